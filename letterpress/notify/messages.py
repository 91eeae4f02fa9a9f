"""The e-mail the inbox sends, built with the stdlib `email` package: plain text and HTML, both
from Jinja2 templates (templates/, HTML autoescaped), a commenter's Markdown rendered by the
comments' own safe renderer.

Each builder is pure: the facts queued with the e-mail, plus `Letterhead` (where the site and
the inbox are, who the mail is from, the key that signs links), give one message.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from letterpress.comments import render_markdown
from letterpress.manifest import EssayEntry, WorkshopEntry

from .tokens import confirm_url, unsubscribe_url

TEMPLATES = Path(__file__).parent / "templates"
_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"], default_for_string=False, default=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
ONE_CLICK = "List-Unsubscribe=One-Click"
# A name typed by a reader goes into a subject line shortened to this many characters.
SUBJECT_NAME_LENGTH = 40
# Headers whose value is a URI list a mail program reads as it is (RFC 2369, RFC 8058): written
# as plain ASCII on one line, never RFC 2047-encoded, which the email package does on its own
# to a long value it cannot fold.
PLAIN_HEADERS = frozenset({"list-unsubscribe", "list-unsubscribe-post"})


class _Policy(EmailPolicy):
    """SMTP's policy (CRLF), writing PLAIN_HEADERS verbatim."""

    def fold(self, name, value):
        if name.lower() in PLAIN_HEADERS and str(value).isascii():
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() in PLAIN_HEADERS and str(value).isascii():
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


MAIL_POLICY = _Policy(linesep="\r\n")


def short_name(name: str, limit: int = SUBJECT_NAME_LENGTH) -> str:
    """A reader's name as a subject line shows it: at most `limit` characters, "…" when cut."""
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Letterhead:
    """What every message needs besides its own facts."""

    site_url: str  # the site's base address, no trailing slash
    inbox_url: str  # the inbox's public address, for unsubscribe links
    mail_from: str  # "Name <address>"
    secret: str  # signs unsubscribe links
    essays: Mapping[str, EssayEntry] = field(default_factory=dict)
    workshops: Mapping[str, WorkshopEntry] = field(default_factory=dict)


def _address(name: str, email: str) -> Address | str:
    try:
        return Address(display_name=name, addr_spec=email)
    except (ValueError, IndexError):
        return email


def _message(
    head: Letterhead, to: Address | str, template: str, values: Mapping, now: dt.datetime
) -> EmailMessage:
    """The e-mail `template` (.txt and .html beside each other) filled with `values`, whose
    "subject" is also the message's Subject."""
    text = _ENV.get_template(f"{template}.txt").render(values)
    html = _ENV.get_template(f"{template}.html").render(values)
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = values["subject"]
    message["From"] = head.mail_from
    message["To"] = to
    message["Date"] = format_datetime(now.astimezone(dt.UTC))
    domain = parseaddr(head.mail_from)[1].rpartition("@")[2] or "letterpress.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def page_link(head: Letterhead, path: str, fragment: str = "") -> str:
    link = f"{head.site_url}/{path.lstrip('/')}"
    return f"{link}#{fragment}" if fragment else link


def reply_message(head: Letterhead, recipient: str, facts: Mapping, now: dt.datetime):
    """The e-mail telling a commenter who opted in that `facts["reply_author"]` answered them:
    the reply in plain text and in safe HTML, a link to it, and a signed unsubscribe link (also
    in List-Unsubscribe, with RFC 8058 one-click)."""
    essay = head.essays.get(facts["essay"])
    title = essay.title if essay else facts.get("essay_title") or facts["essay"]
    path = essay.url if essay else facts.get("essay_url", "")
    unsubscribe = unsubscribe_url(head.inbox_url, head.secret, facts["parent_id"], recipient)
    values = {
        "parent_author": facts["parent_author"],
        "reply_author": facts["reply_author"],
        "by_author": bool(facts.get("by_author")),
        "essay_title": title,
        "reply_body": facts["reply_body"].strip(),
        "reply_html": Markup(render_markdown(facts["reply_body"])),
        "link": page_link(head, path, f"comment-{facts['reply_id']}"),
        "unsubscribe": unsubscribe,
    }
    subject = f"{short_name(facts['reply_author'])} replied to your comment on “{title}”"
    values["subject"] = subject
    message = _message(head, _address(facts["parent_author"], recipient), "reply", values, now)
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = ONE_CLICK
    return message


def author_message(
    head: Letterhead, recipient: str, items: Sequence[Mapping], now: dt.datetime
) -> EmailMessage:
    """One notice to the author for every new comment and registration in `items` (a batch)."""
    comments = [i for i in items if i["what"] == "comment"]
    registrations = [i for i in items if i["what"] == "registration"]
    lines = []
    for item in items:
        if item["what"] == "comment":
            essay = head.essays.get(item["essay"])
            title = essay.title if essay else item["essay"]
            line = f"New comment by {item['author']} on “{title}” ({item['id']})"
            detail = _first_words(item["body"])
            # The comment on the moderation page, where one tap approves or answers it.
            link = f"{head.inbox_url}/admin/comments/{quote(item['id'], safe='')}"
            label = "Moderate it"
        else:
            workshop = head.workshops.get(item["workshop"])
            title = workshop.title if workshop else item["workshop"]
            seats = f"{item['seats']} seat{'s' if item['seats'] != 1 else ''}"
            line = f"{item['name']} registered for “{title}”: {seats}, {item['status']}"
            detail = item.get("message") or ""
            link, label = f"{head.inbox_url}/admin/workshops", "See the roster"
        lines.append({"line": line, "detail": detail, "link": link, "label": label})
    parts = []
    if comments:
        parts.append(f"{len(comments)} new comment{'s' if len(comments) != 1 else ''}")
    if registrations:
        count = len(registrations)
        parts.append(f"{count} new registration{'s' if count != 1 else ''}")
    subject = " and ".join(parts) + " in the inbox"
    values = {
        "items": lines,
        "comments": comments,
        "registrations": registrations,
        "subject": subject,
    }
    return _message(head, recipient, "author", values, now)


def _first_words(text: str, words: int = 40) -> str:
    found = text.split()
    return " ".join(found[:words]) + (" …" if len(found) > words else "")


def registration_message(head: Letterhead, recipient: str, facts: Mapping, now: dt.datetime):
    """A registrant's confirmation (a seat at a free workshop, or the waiting list; `promoted`
    when a seat came free): each day's hours, the place, the cancel link, and for a seat the
    calendar file with one event per day."""
    from .workshop_facts import attach_calendar, cancel_link, workshop_values

    slug = facts["workshop"]
    workshop = head.workshops.get(slug)
    page = page_link(head, workshop.url if workshop else "workshops/")
    values = {
        "title": facts.get("title", slug),
        "days": [],
        "place": "",
        "paying": False,
        "price": "",
        "refund_policy": "",
        "instructions": "",
        **(workshop_values(workshop, page) if workshop else {"page": page}),
        "name": facts["name"],
        "status": facts["status"],
        "promoted": bool(facts.get("promoted")),
        "seats": facts["seats"],
        "cancel": cancel_link(head, facts, recipient),
        # A free seat is held until the link is followed (letterpress/inbox/seat_holds.py).
        "hold_until": _hold_until(facts.get("hold_until"), workshop),
        "confirm": confirm_url(
            head.inbox_url, head.secret, slug, facts.get("id", 0), facts.get("queue", 0)
        ),
    }
    title = values["title"]
    if facts["status"] == "confirmed":
        subject = f"Your seat at “{title}” is confirmed"
    elif facts["status"] == "held":
        subject = f"Please confirm your registration for “{title}”"
    elif facts["status"] == "upcoming":
        first = values["days"][0].split(":")[0] if values["days"] else ""
        subject = f"A reminder: “{title}” is on {first}"
    else:
        subject = f"You are on the waiting list for “{title}”"
    values["subject"] = subject
    message = _message(head, _address(facts["name"], recipient), "registration", values, now)
    if facts["status"] in ("confirmed", "upcoming") and workshop is not None:
        attach_calendar(message, workshop, page, now)
    return message


def _hold_until(stamp: str | None, workshop: WorkshopEntry | None) -> str:
    """When a hold lapses, in the workshop's time zone (UTC without one)."""
    if not stamp:
        return ""
    moment = dt.datetime.fromisoformat(stamp)
    if workshop is not None and workshop.start.tzinfo is not None:
        moment = moment.astimezone(workshop.start.tzinfo)
    return f"{moment:%A %B} {moment.day}, {moment:%H:%M} ({moment.tzname() or 'UTC'})"
