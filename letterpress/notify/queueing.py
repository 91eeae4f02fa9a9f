"""What each event queues. Called inside the transaction that records the event, so the e-mail
is queued exactly when the decision is stored, and the queue's (kind, key) uniqueness makes a
retried request or a second approval queue nothing more.

  reply_approved     an approved reply whose parent's writer opted in: one reply e-mail
  author_replied     the same, for a reply the author wrote straight into content/comments/
  comment_received   a notice to the author (batched with others by the sender)
  registration_made, seat_given   the registrant's confirmation, and a notice to the author
"""

import datetime as dt
import sqlite3
from collections.abc import Mapping

from . import store


def _same_address(one: str, other: str) -> bool:
    return one.strip().lower() == other.strip().lower()


def _queue_reply(db, parent_id: str, reply: Mapping, replier_email: str, now) -> bool:
    recipient = store.optin_address(db, parent_id)
    if recipient is None or (replier_email and _same_address(recipient, replier_email)):
        return False  # nobody asked, or they answered themselves
    parent = db.execute("SELECT author FROM comments WHERE id = ?", (parent_id,)).fetchone()
    facts = {
        "essay": reply["essay"],
        "parent_id": parent_id,
        "parent_author": parent["author"],
        "reply_id": reply["id"],
        "reply_author": reply["author"],
        "reply_body": reply["body"],
        "by_author": bool(reply.get("by_author")),
    }
    return store.queue(db, "reply", reply["id"], recipient, facts, now)


def reply_approved(db: sqlite3.Connection, reply: sqlite3.Row, now: dt.datetime) -> bool:
    """Queue the e-mail to the writer of the comment `reply` answers, when they opted in and
    are not the one replying. True when something was queued."""
    if not reply["parent"]:
        return False
    return _queue_reply(db, reply["parent"], dict(reply), reply["email"], now)


def author_replied(
    db: sqlite3.Connection, reply: Mapping, now: dt.datetime, author_email: str = ""
) -> bool:
    """The same for the author's own reply (`reply`: id, essay, parent, author, body), which
    never waits in the inbox. `author_email` keeps the author from being told of it."""
    if not reply.get("parent"):
        return False
    return _queue_reply(db, reply["parent"], {**reply, "by_author": True}, author_email, now)


def comment_received(
    db: sqlite3.Connection, author_email: str, comment: Mapping, now: dt.datetime
) -> bool:
    """A notice to the author of a new comment waiting for moderation."""
    if not author_email:
        return False
    facts = {
        "what": "comment",
        "id": comment["id"],
        "essay": comment["essay"],
        "author": comment["author"],
        "body": comment["body"],
    }
    return store.queue(db, "author", f"comment:{comment['id']}", author_email, facts, now)


def registration_made(
    db: sqlite3.Connection,
    author_email: str,
    workshop: str,
    person: Mapping,
    status: str,
    now: dt.datetime,
    promoted: bool = False,
    tell_registrant: bool = True,
) -> None:
    """The registrant's confirmation (a seat or a waiting-list place) and the author's notice.
    `person`: id, name, email, seats, message, queue. The key starts with the registration's
    Id, which stays the person's for the workshop, so forgetting them finds every notice ever
    queued about them; and holds its arrival, so someone who cancels and registers again is told
    again. `tell_registrant` False: only the author's notice (a held seat's e-mail, with how to
    pay, is letterpress/inbox/payment_flow's)."""
    key = f"{workshop}:{person['id']}:{person['queue']}:{status}"
    facts = {
        "workshop": workshop,
        "id": person["id"],
        "name": person["name"],
        "seats": person["seats"],
        "status": status,
        "hold_until": person.get("hold_until"),
        "promoted": promoted,
        "registration": person.get("id", 0),
        "queue": person["queue"],
    }
    if tell_registrant:
        store.queue(db, "registration", key, person["email"], facts, now)
    if author_email and not promoted:
        notice = {
            "what": "registration",
            "workshop": workshop,
            "name": person["name"],
            "seats": person["seats"],
            "status": "waiting list" if status == "waitlisted" else status,
            "message": person.get("message", ""),
        }
        store.queue(db, "author", f"registration:{key}", author_email, notice, now)


def seats_given(db: sqlite3.Connection, workshop: str, emails: list[str], now: dt.datetime) -> None:
    """An e-mail to each person moved up from the waiting list: their seat confirmed, or held for
    them with the link to confirm (registration_store.cancel says which)."""
    for email in emails:
        row = db.execute(
            "SELECT id, name, email, seats, queue, status, hold_until FROM registrations"
            " WHERE workshop = ? AND email = ?",
            (workshop, email),
        ).fetchone()
        if row is not None:
            registration_made(db, "", workshop, dict(row), row["status"], now, promoted=True)
