"""One person's data, on request: everything held about an e-mail address (`export`), and
erasing it (`forget`), across the inbox's database, the mailing list and the outbox's files.

The inbox's admin API (GET /people/<email>, POST /people/<email>/forget) and the local tasks
(`invoke people.export`, `people.forget`) call the same two functions; deleting a published
comment's file from content/comments/ is done where the repository is
(letterpress.moderation.publishing.remove_comment_files).
"""

import sqlite3
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

from letterpress.errors import LetterpressError
from letterpress.fields import normalise_email
from letterpress.mailing.base import MailingError
from letterpress.manifest import EssayEntry
from letterpress.notify.transport import OutboxTransport

from . import people_store


class PeopleError(LetterpressError):
    """The address cannot be looked up or erased; the message says why and what to do."""


def address(typed: str) -> str:
    """The address as the inbox stores it; PeopleError when it is not one."""
    email = normalise_email(typed or "")
    if email is None:
        raise PeopleError(f"“{typed}” is not an e-mail address; give the address to look up.")
    return email


def held_here(
    db: sqlite3.Connection,
    email: str,
    *,
    site_url: str = "",
    essays: Mapping[str, EssayEntry] | None = None,
) -> dict:
    """What the inbox's database holds about `email`, JSON-ready: comments (with a link when
    published), reply-notification opt-ins and the e-mail sent, registrations and payments."""
    email = address(email)
    held = people_store.held_about(db, email)
    essays = essays or {}
    for comment in held["comments"]:
        essay = essays.get(comment["essay"])
        link = None
        if comment["status"] == "approved" and essay is not None:
            link = f"{site_url.rstrip('/')}/{essay.url}#comment-{comment['id']}"
        comment["link"] = link
    return {
        "email": email,
        "comments": held["comments"],
        "reply_notifications": {
            "opted_in_on": [c["id"] for c in held["comments"] if c["notify_replies"]],
        },
        "registrations": held["registrations"],
        "payments": held.get("payments", []),
        "e-mail_from_the_inbox": held["notifications"],
    }


def on_the_list(mailing, email: str) -> dict | None:
    """The mailing list's membership and tags for `email` (a call to the service)."""
    try:
        contact = mailing.find_contact(address(email))
    except MailingError as error:
        raise PeopleError(f"The mailing list could not be read: {error}") from None
    if contact is None:
        return None
    return {"service": mailing.name, **asdict(contact), "tags": list(contact.tags)}


def export(db: sqlite3.Connection, mailing, email: str, **where) -> dict:
    """Everything held about `email`: the database's part and the mailing list's."""
    return {**held_here(db, email, **where), "mailing_list": on_the_list(mailing, email)}


def forget_here(
    db: sqlite3.Connection,
    email: str,
    *,
    remove_comments: bool = False,
    outbox: Path | None = None,
    compact: bool = True,
) -> dict:
    """Erase `email` from the inbox's database and the outbox of notifications (folder
    `outbox`): e-mail to the address, and every notice about them; returns what was done.
    `compact` rewrites the database file at once (the server does it from a worker thread
    instead, `compact=False`). Harmless to run twice."""
    email = address(email)
    done = people_store.forget(db, email, remove_comments=remove_comments)
    if compact:
        people_store.compact(db)
    removed_files = (
        OutboxTransport(outbox).forget(email, done.notification_ids) if outbox is not None else []
    )
    facts = asdict(done)
    del facts["notification_ids"]
    return {"email": email, **facts, "outbox_files_removed": len(removed_files)}


def forget_on_list(mailing, email: str) -> str:
    """Erase `email` from the mailing list for good; says what happened."""
    try:
        held = mailing.forget_contact(address(email))
    except MailingError as error:
        raise PeopleError(
            f"The mailing list has not forgotten {email}: {error} Run the command again to finish."
        ) from None
    if not held:
        return "not on the list"
    if mailing.name == "mailchimp":
        return "deleted permanently from Mailchimp (delete-permanent)"
    return f"removed from the {mailing.name}'s contacts and log"


def forget(db: sqlite3.Connection, mailing, email: str, **options) -> dict:
    """Erase `email` everywhere: the database and outbox first, then the mailing list."""
    done = forget_here(db, email, **options)
    return {**done, "mailing_list": forget_on_list(mailing, email)}
