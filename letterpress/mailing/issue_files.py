"""Read a built newsletter issue from BUILD_PATH/newsletter/YYYY-MM/ (email.html, email.txt,
issue.json), as the newsletter build writes it."""

import hashlib
import json
import re
from pathlib import Path

from letterpress.mailing.base import Issue, MailingError

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
REQUIRED = ("month", "subject", "preheader")


def check_month(month: str) -> str:
    if not MONTH.match(month or ""):
        raise MailingError(f"--month {month!r} is not a month; write it as YYYY-MM (2026-11).")
    return month


def issue_folder(build_path: Path, month: str) -> Path:
    return Path(build_path) / "newsletter" / check_month(month)


def load_issue(build_path: Path, month: str) -> Issue:
    folder = issue_folder(build_path, month)
    if not folder.is_dir():
        raise MailingError(
            f"{folder} does not exist: build the site first (make build) so the {month} issue "
            "is written there."
        )
    parts = {}
    for name in ("issue.json", "email.html", "email.txt"):
        path = folder / name
        if not path.is_file():
            raise MailingError(f"{path} is missing: rebuild the site (make build).")
        parts[name] = path.read_text(encoding="utf-8")
    try:
        meta = json.loads(parts["issue.json"])
    except json.JSONDecodeError as error:
        raise MailingError(f"{folder / 'issue.json'} is not valid JSON: {error}.") from None
    missing = [key for key in REQUIRED if not isinstance(meta.get(key), str)]
    if missing:
        raise MailingError(f"{folder / 'issue.json'} lacks {', '.join(missing)}: rebuild the site.")
    if meta["month"] != month:
        raise MailingError(f"{folder / 'issue.json'} is for {meta['month']}, not {month}.")
    if not meta["subject"].strip():
        raise MailingError(f"{folder / 'issue.json'}: the subject is empty.")
    return Issue(
        month=month,
        subject=meta["subject"],
        preheader=meta["preheader"],
        html=parts["email.html"],
        text=parts["email.txt"],
        content_hash=content_hash(
            meta["subject"], meta["preheader"], parts["email.html"], parts["email.txt"]
        ),
    )


def content_hash(subject: str, preheader: str, html: str, text: str) -> str:
    """A hash of everything the campaign will hold, so any change (even to the subject alone)
    is pushed, and nothing else is. The newsletter build writes the same hash into issue.json."""
    digest = hashlib.sha256()
    for piece in (subject, preheader, html, text):
        digest.update(piece.encode("utf-8"))
        digest.update(b"\0")
    return "sha256:" + digest.hexdigest()
