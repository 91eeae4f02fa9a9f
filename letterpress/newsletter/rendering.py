"""The e-mail form of an issue: HTML from the theme's e-mail templates with every style inlined,
and the issue record (issue.json) that the mailing tasks read.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from letterpress.html_urls import absolutize

from .built_issue import HTML_NAME, RECORD_NAME, TEXT_NAME, content_hash, issue_folder
from .formats import EmailSite, long_date
from .model import Issue, NewsletterError
from .plaintext import render_text

EMAIL_TEMPLATE = "issue.html"
# Only @media rules stay in a <style>: clients that read them get the phone layout and dark mode,
# every other rule is inlined into style attributes, which every client reads.
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def email_environment(site: EmailSite) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(site.templates)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(absolute=site.absolute, long_date=long_date)
    return env


def render_email(issue: Issue, site: EmailSite, env: Environment | None = None) -> str:
    """The issue as e-mail HTML, styles inlined, ready for Mailchimp's merge tags."""
    env = env or email_environment(site)
    try:
        template = env.get_template(EMAIL_TEMPLATE)
    except Exception as error:
        raise NewsletterError(f"{site.templates}/{EMAIL_TEMPLATE}: {error}") from None
    html = template.render(
        issue=issue,
        site=site,
        note=Markup(absolutize(issue.note_html, site.url + "/")),
        web_url=site.absolute(issue.url),
    )
    return _INLINER.inline(html)


def issue_record(issue: Issue, site: EmailSite, html: str, text: str) -> dict:
    """issue.json: what the issue holds, and a hash that changes whenever what is sent changes."""
    items = [
        {
            "kind": "essay",
            "title": e.title,
            "url": site.absolute(e.url),
            "date": e.date.isoformat(),
            "minutes": e.minutes,
        }
        for e in issue.essays
    ]
    items += [
        {
            "kind": "workshop",
            "title": w.title,
            "url": site.absolute(w.url),
            "start": w.start.isoformat(),
            "state": w.state,
        }
        for w in issue.workshops
    ]
    items += [
        {
            "kind": "thread",
            "title": t.essay_title,
            "url": site.absolute(t.essay_url),
            "comments": t.comments,
        }
        for t in issue.threads
    ]
    return {
        "month": str(issue.month),
        "date": issue.date.isoformat(),
        "subject": issue.subject,
        "preheader": issue.preheader,
        "url": site.absolute(issue.url),
        "has_note": issue.has_note,
        "items": items,
        "files": {"html": HTML_NAME, "text": TEXT_NAME},
        "hash": content_hash(issue.subject, issue.preheader, html, text),
    }


@dataclass(frozen=True)
class IssueFiles:
    folder: Path
    html: Path
    text: Path
    record: Path


def issue_digest(issue: Issue, site: EmailSite) -> str:
    """A hash of everything the e-mail parts are made from: the issue and the site. The same
    digest means the same parts under one build fingerprint (which covers the templates)."""
    return hashlib.blake2b(repr((issue, site)).encode(), digest_size=16).hexdigest()


def render_parts(
    issue: Issue, site: EmailSite, env: Environment | None = None
) -> tuple[str, str, str]:
    """The texts of email.html, email.txt and issue.json for `issue`."""
    html = render_email(issue, site, env)
    text = render_text(issue, site)
    record = issue_record(issue, site, html, text)
    return html, text, json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def write_issue(
    issue: Issue,
    site: EmailSite,
    build_path: Path,
    env: Environment | None = None,
    parts: tuple[str, str, str] | None = None,
) -> IssueFiles:
    """Write email.html, email.txt and issue.json under BUILD_PATH/newsletter/YYYY-MM/, from
    `parts` when they were rendered already (render_parts), else rendered now."""
    if parts is None:
        parts = render_parts(issue, site, env)
    folder = issue_folder(build_path, issue.month)
    folder.mkdir(parents=True, exist_ok=True)
    files = IssueFiles(folder, folder / HTML_NAME, folder / TEXT_NAME, folder / RECORD_NAME)
    for path, text in zip((files.html, files.text, files.record), parts, strict=True):
        path.write_text(text, "utf-8")
    return files
