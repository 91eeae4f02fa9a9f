"""Everything the inbox's database holds about one e-mail address, and erasing it: the SQL behind
`invoke people.export` and `people.forget` (and the admin API's /people routes).

Addresses are compared without regard to case (they are ASCII once normalised). Forgetting runs
in one transaction with SQLite's secure_delete on, so the erased values are overwritten in the
file, not merely unlinked; the WAL is then checkpointed and truncated when no reader holds it.
"""

import contextlib
import sqlite3
from dataclasses import dataclass, field

from .db import transaction

FORGOTTEN_NAME = "(forgotten)"


@dataclass
class Forgotten:
    """What one `forget` did, counted."""

    comments_deleted: int = 0  # pending, rejected or spam: never published, gone
    comments_kept: list[str] = field(default_factory=list)  # published: name stays, address gone
    comments_removed: list[dict] = field(default_factory=list)  # {essay, id}: files to delete
    optins_removed: int = 0
    notifications_removed: int = 0
    registrations_anonymised: int = 0


def _rows(db: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    return [dict(row) for row in db.execute(sql, params).fetchall()]


def held_about(db: sqlite3.Connection, email: str) -> dict:
    """Comments (with their opt-ins), registrations and the e-mail the inbox sent or will send
    to the address, as plain data."""
    comments = _rows(
        db,
        "SELECT c.id, c.essay, c.parent, c.author, c.email, c.url, c.body, c.created, c.status,"
        " o.comment_id IS NOT NULL AS notify_replies FROM comments c"
        " LEFT JOIN reply_optins o ON o.comment_id = c.id"
        " WHERE lower(c.email) = lower(?) ORDER BY c.created_ts, c.id",
        (email,),
    )
    for comment in comments:
        comment["notify_replies"] = bool(comment["notify_replies"])
    registrations = _rows(
        db,
        "SELECT workshop, name, email, seats, phone, message, newsletter, status, created, updated"
        " FROM registrations WHERE email = lower(?) ORDER BY created",
        (email,),
    )
    for registration in registrations:
        registration["newsletter"] = bool(registration["newsletter"])
    notifications = _rows(
        db,
        "SELECT kind, status, created, sent FROM notifications WHERE lower(recipient) = lower(?)"
        " ORDER BY id",
        (email,),
    )
    payments = []
    if _has_table(db, "payments"):
        payments = _rows(
            db,
            "SELECT workshop, seats, amount, currency, method, status, paid_amount,"
            " refund_amount, created, updated FROM payments WHERE email = lower(?) ORDER BY id",
            (email,),
        )
    return {
        "comments": comments,
        "registrations": registrations,
        "payments": payments,
        "notifications": notifications,
    }


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    found = "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?"
    return db.execute(found, (name,)).fetchone() is not None


def forget(db: sqlite3.Connection, email: str, *, remove_comments: bool = False) -> Forgotten:
    """Erase the address everywhere in the database, in one transaction. Published comments stay
    under their name (without the address) unless `remove_comments`; registrations keep their
    seats and place, without name, address, phone or message; opt-ins and e-mail to the address
    go. Running it again finds nothing and changes nothing."""
    done = Forgotten()
    db.execute("PRAGMA secure_delete = ON")
    with transaction(db):
        mine = _rows(
            db, "SELECT id, essay, status FROM comments WHERE lower(email) = lower(?)", (email,)
        )
        ids = [row["id"] for row in mine]
        queues = _rows(
            db, "SELECT workshop, queue FROM registrations WHERE email = lower(?)", (email,)
        )
        done.optins_removed = _delete_in(db, "reply_optins", "comment_id", ids)
        about_them = [f"comment:{i}" for i in ids]
        about_them += [f"registration:{r['workshop']}:{r['queue']}:" for r in queues]
        done.notifications_removed = db.execute(
            "DELETE FROM notifications WHERE lower(recipient) = lower(?)", (email,)
        ).rowcount
        for key in about_them:  # the author's notices about this person's comments and seats
            done.notifications_removed += db.execute(
                "DELETE FROM notifications WHERE kind = 'author' AND substr(key, 1, length(?)) = ?",
                (key, key),
            ).rowcount
        for row in mine:
            published = row["status"] == "approved"
            if published and not remove_comments:
                db.execute(
                    "UPDATE comments SET email = '', client = '', fingerprint = ? WHERE id = ?",
                    (f"forgotten:{row['id']}", row["id"]),
                )
                done.comments_kept.append(row["id"])
                continue
            db.execute("DELETE FROM comments WHERE id = ?", (row["id"],))
            if published:
                done.comments_removed.append({"essay": row["essay"], "id": row["id"]})
            else:
                done.comments_deleted += 1
        if _has_table(db, "payments"):
            # The books keep what was paid and refunded (the law wants them), not who paid.
            db.execute(
                "UPDATE payments SET email = 'forgotten-' || COALESCE((SELECT r.id FROM"
                " registrations r WHERE r.workshop = payments.workshop AND r.email ="
                " payments.email AND r.queue = payments.queue), 'payment-' || payments.id)"
                " WHERE email = lower(?)",
                (email,),
            )
        done.registrations_anonymised = db.execute(
            "UPDATE registrations SET email = 'forgotten-' || id, name = ?, phone = '',"
            " message = '', newsletter = 0 WHERE email = lower(?)",
            (FORGOTTEN_NAME, email),
        ).rowcount
    db.execute("PRAGMA secure_delete = OFF")
    # Copy the overwritten pages into the file and empty the log (when no reader holds it; if
    # one does, the next checkpoint will).
    with contextlib.suppress(sqlite3.Error):
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    return done


def _delete_in(db: sqlite3.Connection, table: str, column: str, values: list[str]) -> int:
    removed = 0
    for value in values:
        removed += db.execute(f"DELETE FROM {table} WHERE {column} = ?", (value,)).rowcount
    return removed
