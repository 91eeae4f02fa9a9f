"""Helpers the mailing tests share: the test API key and list, built issue folders, and a real
inbox process."""

import json
import os
from pathlib import Path

from tests.conftest import ADMIN_TOKEN, InboxProcess, write_test_manifest

# A made-up key in Mailchimp's shape (32 hex digits, then the data centre).
API_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0-us21"
LIST_ID = "b7c5e1a2d9"
SITE = "http://127.0.0.1:9"  # the site URL a test inbox sends browsers back to (never contacted)


def write_issue(build: Path, month="2026-11", note="Four essays on slack.", subject=None) -> Path:
    """A built issue as the newsletter build writes it: email.html, email.txt, issue.json."""
    folder = build / "newsletter" / month
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "email.html").write_text(
        "<!doctype html><html><body>"
        '<div style="display:none">Four essays and one workshop</div>'
        f"<p>Hello *|FNAME|*,</p><p>{note}</p>"
        '<p><a href="*|UNSUB|*">Unsubscribe</a> · <a href="*|UPDATE_PROFILE|*">Preferences</a>'
        "</p>*|HTML:LIST_ADDRESS_HTML|*</body></html>\n",
        encoding="utf-8",
    )
    (folder / "email.txt").write_text(
        f"Hello *|FNAME|*,\n\n{note}\n\nUnsubscribe: *|UNSUB|*\n", encoding="utf-8"
    )
    record = {
        "month": month,
        "subject": subject or "November: slack, receipts and the first ten",
        "preheader": "Four essays and one workshop",
        "hash": "written-by-the-newsletter-build",
    }
    (folder / "issue.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def start_inbox_process(folder: Path, env: dict) -> InboxProcess:
    """A real inbox process (uvicorn, SQLite in `folder`); starting one costs seconds: share it."""
    full_env = {
        **os.environ,
        "AKISMET_KEY": "",
        "LETTERPRESS_INBOX_DB": str(folder / "var" / "inbox.sqlite3"),
        "LETTERPRESS_SITE_MANIFEST": str(write_test_manifest(folder / "output")),
        "LETTERPRESS_ADMIN_TOKEN": ADMIN_TOKEN,
        "LETTERPRESS_SITE_URL": SITE,
        "LETTERPRESS_BUILD_DIR": str(folder / "build"),
        "LETTERPRESS_SIGNUP_RATE": "0",
        "MAILCHIMP_API_KEY": "",
        "MAILCHIMP_LIST_ID": "",
        **env,
    }
    inbox = InboxProcess(
        env=full_env,
        db_path=folder / "var" / "inbox.sqlite3",
        manifest_path=folder / "output" / "letterpress.json",
    )
    return inbox.start()
