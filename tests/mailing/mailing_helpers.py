"""Helpers the mailing tests share: the test API key and list, built issue folders, and a real
inbox process."""

import json
from pathlib import Path

from tests.support import SITE_URL, InboxProcess, prepare_inbox

# A made-up key in Mailchimp's shape (32 hex digits, then the data centre).
API_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0-us21"
LIST_ID = "b7c5e1a2d9"
SITE = SITE_URL  # the site URL a test inbox sends browsers back to (never contacted)


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
    """A real inbox process (uvicorn, SQLite in `folder`); starting one costs seconds: share it.
    Sign-ups are not rate limited and Mailchimp is off unless `env` says otherwise."""
    mailing_env = {
        "LETTERPRESS_SIGNUP_RATE": "0",
        "MAILCHIMP_API_KEY": "",
        "MAILCHIMP_LIST_ID": "",
    }
    return prepare_inbox(folder, env={**mailing_env, **env}).start()
