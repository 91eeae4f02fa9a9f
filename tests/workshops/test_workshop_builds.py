"""Builds of our own: a later build date, a broken workshop file, and where registrations go."""

import subprocess
import uuid

import icalendar
from bs4 import BeautifulSoup
from workshop_helpers import workshop_text

from tests.support import ROOT, TODAY, files_holding, run_build


def html(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_once_a_workshop_is_over_it_leaves_listings_and_block_to_the_next(content_copy, tmp_path):
    # The Arc ends on May 15, 2027; a later one-seat-each workshop takes its place by itself.
    (content_copy / "workshops" / "autumn.md").write_text(
        workshop_text(
            Title="Autumn Arc",
            Start="2027-09-09 09:00",
            End="2027-09-10 17:00",
            Seats_Per_Registration="1",
        ),
        "utf-8",
    )
    output = tmp_path / "output"
    result = run_build(content_copy, output, tmp_path / "build", today="2027-05-20")
    assert result.returncode == 0, result.stdout + result.stderr
    essay = html(output / "essays/2026/09/generative-not-competitive/index.html")
    assert essay.select_one(".workshop-block h2").get_text(strip=True) == "Autumn Arc"
    index = html(output / "workshops/index.html")
    upcoming, past = index.select(".workshop-list")
    assert [a.get_text() for a in upcoming.select("h3 a")] == ["Autumn Arc"]
    assert [a.get_text() for a in past.select("a")] == ["The Arc", "The First Hundred Days"]
    arc = html(output / "workshops/the-arc/index.html")
    assert not arc.select("form.registration-form")
    assert "The Arc took place on May 14–15, 2027 in Seattle." in arc.get_text(" ")
    calendar = icalendar.Calendar.from_ical((output / "workshops/calendar.ics").read_bytes())
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Autumn Arc"]
    # One seat per registration: the form asks no question about seats.
    autumn = html(output / "workshops/autumn/index.html").select_one("form.registration-form")
    assert autumn.select_one("input[name=seats]")["type"] == "hidden"
    assert autumn.select_one("label[for=reg-seats]") is None


def test_a_broken_workshop_file_stops_the_build_naming_file_and_field(content_copy, tmp_path):
    path = content_copy / "workshops" / "the-arc.md"
    path.write_text(path.read_text("utf-8").replace("Seats: 12", "Seats: a dozen"), "utf-8")
    result = run_build(content_copy, tmp_path / "output", tmp_path / "build")
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "the-arc.md: field 'Seats' 'a dozen' is not a whole number" in " ".join(said.split())


def test_registrations_never_reach_the_site_the_content_or_git(site, start_inbox, http):
    marker = f"probe-{uuid.uuid4().hex[:12]}"
    inbox = start_inbox(
        manifest_path=site.output / "letterpress.json", env={"LETTERPRESS_TODAY": TODAY}
    )
    data = {"name": marker, "email": f"{marker}@example.org", "phone": "+1 206 555 0199"}
    answer = http.post(inbox.url + "/workshops/the-arc/registrations", data=data)
    assert answer.status_code == 303
    assert inbox.rows("SELECT COUNT(*) FROM registrations WHERE name = ?", (marker,))[0][0] == 1
    assert files_holding(marker, site.output, site.content, site.build) == []
    tracked = subprocess.run(["git", "grep", "-I", "-l", marker], cwd=ROOT, capture_output=True)
    assert tracked.stdout == b""
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in untracked:
        assert marker.encode() not in (ROOT / name).read_bytes(), name
