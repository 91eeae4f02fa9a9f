"""The monthly newsletter: which essays, workshops and conversations go in each month's issue,
and the issue's three forms (web, e-mail HTML, plain text), its pre-flight checks and previews.

Modules: model (plain data), notes (the editor's notes), selection (pure decisions), formats,
rendering (e-mail HTML and issue.json), plaintext (email.txt), built_issue (a built issue's
folder, files and hash, read back), checks (pre-flight), preview.
"""

from .built_issue import BuiltIssue, issue_folder, load_issue, parse_month, read_issue
from .checks import (
    RULES,
    IssueUnderCheck,
    Problem,
    blocking,
    check_issue,
    errors,
    preflight,
    under_check,
)
from .formats import EmailSite
from .model import (
    EssayItem,
    EssaySource,
    Issue,
    Month,
    NewsletterError,
    Note,
    Sources,
    ThreadItem,
    WorkshopItem,
)
from .notes import parse_note, read_notes
from .plaintext import render_text
from .rendering import IssueFiles, render_email, write_issue
from .selection import select_issue, select_issues

__all__ = [
    "RULES",
    "BuiltIssue",
    "EmailSite",
    "EssayItem",
    "EssaySource",
    "Issue",
    "IssueFiles",
    "IssueUnderCheck",
    "Month",
    "NewsletterError",
    "Note",
    "Problem",
    "Sources",
    "ThreadItem",
    "WorkshopItem",
    "blocking",
    "check_issue",
    "errors",
    "issue_folder",
    "load_issue",
    "parse_month",
    "parse_note",
    "preflight",
    "read_issue",
    "read_notes",
    "render_email",
    "render_text",
    "select_issue",
    "select_issues",
    "under_check",
    "write_issue",
]
