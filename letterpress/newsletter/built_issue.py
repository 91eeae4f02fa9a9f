"""A built newsletter issue on disk: where it lives, its files, its content hash, reading it back.

The site build writes each month's issue into BUILD_PATH/newsletter/YYYY-MM/ (rendering.py); the
pre-flight (checks.py), the previews and the mailing push read it back here, as one `BuiltIssue`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from letterpress.paths import issue_path

from .model import Month, NewsletterError

HTML_NAME = "email.html"
TEXT_NAME = "email.txt"
RECORD_NAME = "issue.json"
# Fields of issue.json that every reader relies on.
REQUIRED = ("month", "subject", "preheader")


def parse_month(text: str, where: str = "--month") -> Month:
    """'YYYY-MM' as a Month; NewsletterError naming `where` otherwise."""
    return Month.parse(text, where=where)


def issue_folder(build_path: Path, month: Month | str) -> Path:
    """BUILD_PATH/newsletter/YYYY-MM: the folder of one month's e-mail parts."""
    return issue_path(build_path, month)


def content_hash(subject: str, preheader: str, html: str, text: str) -> str:
    """A hash of everything the campaign will hold, so any change (even to the subject alone) is
    pushed, and nothing else is. The build writes it into issue.json; the push compares it."""
    digest = hashlib.sha256()
    for piece in (subject, preheader, html, text):
        digest.update(piece.encode("utf-8"))
        digest.update(b"\0")
    return "sha256:" + digest.hexdigest()


@dataclass(frozen=True)
class BuiltIssue:
    """One built issue as read from its folder: the e-mail's parts and its record (issue.json)."""

    month: str
    subject: str
    preheader: str
    html: str
    text: str
    record: dict = field(default_factory=dict, compare=False)

    @property
    def content_hash(self) -> str:
        return content_hash(self.subject, self.preheader, self.html, self.text)


def read_issue(folder: Path) -> BuiltIssue:
    """The issue in `folder`; NewsletterError naming the missing or broken file."""
    folder = Path(folder)
    parts = {}
    for name in (RECORD_NAME, HTML_NAME, TEXT_NAME):
        path = folder / name
        if not path.is_file():
            raise NewsletterError(f"{path} is missing: build the site first (make build).")
        parts[name] = path.read_text(encoding="utf-8")
    record_path = folder / RECORD_NAME
    try:
        record = json.loads(parts[RECORD_NAME])
    except json.JSONDecodeError as error:
        raise NewsletterError(f"{record_path} is not valid JSON ({error}).") from None
    if not isinstance(record, dict):
        raise NewsletterError(f"{record_path} does not hold a JSON object: rebuild the site.")
    missing = [key for key in REQUIRED if not isinstance(record.get(key), str)]
    if missing:
        raise NewsletterError(f"{record_path} lacks {', '.join(missing)}: rebuild the site.")
    return BuiltIssue(
        month=record["month"],
        subject=record["subject"],
        preheader=record["preheader"],
        html=parts[HTML_NAME],
        text=parts[TEXT_NAME],
        record=record,
    )


def load_issue(build_path: Path, month: Month | str) -> BuiltIssue:
    """The issue of `month` under BUILD_PATH, checked to be that month's."""
    folder = issue_folder(build_path, parse_month(str(month)))
    if not folder.is_dir():
        raise NewsletterError(
            f"{folder} does not exist: build the site first (make build) so the {month} issue "
            "is written there. A month has an issue when it has published essays or a note "
            f"(content/newsletters/{month}.md)."
        )
    issue = read_issue(folder)
    if issue.month != str(month):
        raise NewsletterError(f"{folder / RECORD_NAME} is for {issue.month}, not {month}.")
    if not issue.subject.strip():
        raise NewsletterError(f"{folder / RECORD_NAME}: the subject is empty.")
    return issue
