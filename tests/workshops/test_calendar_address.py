"""The workshop's calendar address has one owner, the workshops plugin's ics_url setting: the
manifest carries it, and the confirmation e-mail still carries the calendar when it is renamed."""

import datetime as dt
import json
import subprocess
import sys

import icalendar
from bs4 import BeautifulSoup

from letterpress.manifest import read_manifest
from letterpress.notify.messages import Letterhead, registration_message
from tests.support import ROOT, build_env

RENAMED = "calendars/{slug}-dates.ics"


def build_with_ics_url(content, output, build) -> None:
    workshops = json.dumps({"block": "next", "ics_url": RENAMED})
    args = [sys.executable, "-m", "pelican", str(content), "-s", "pelicanconf.py"]
    # One -e with both pairs: a second -e would replace the first.
    args += ["-o", str(output), "--fatal", "warnings"]
    args += ["-e", f"WORKSHOPS={workshops}", "SEARCH_INDEX=false"]
    done = subprocess.run(
        args, cwd=ROOT, env=build_env(build), capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_renamed_calendar_address_reaches_the_page_the_manifest_and_the_email(
    content_copy, tmp_path
):
    output = tmp_path / "output"
    build_with_ics_url(content_copy, output, tmp_path / "build")
    renamed = RENAMED.format(slug="the-arc")
    assert (output / renamed).is_file()
    assert not (output / "workshops" / "the-arc.ics").exists()
    page = BeautifulSoup((output / "workshops/the-arc/index.html").read_text("utf-8"), "lxml")
    assert any(a["href"].endswith(renamed) for a in page.select("a[href]"))

    manifest = read_manifest(output / "letterpress.json")
    workshop = manifest.workshops["the-arc"]
    assert workshop.ics_url == renamed
    head = Letterhead(
        site_url="https://letterpress.example",
        inbox_url="https://inbox.letterpress.example",
        mail_from="Author <author@letterpress.example>",
        secret="s3cret",
        workshops=manifest.workshops,
    )
    facts = {"workshop": "the-arc", "name": "Ada", "status": "confirmed", "seats": 1, "id": 1}
    now = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
    message = registration_message(head, "ada@example.org", facts, now)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "the-arc-dates.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_payload(decode=True))
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert summaries == ["The Arc (day 1 of 2)", "The Arc (day 2 of 2)"]
