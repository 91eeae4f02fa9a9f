"""Everything the inbox's database holds about one e-mail address, and erasing it: the SQL behind
`invoke people.export` and `people.forget` (and the admin API's /people routes).

Addresses are compared without regard to case (they are ASCII once normalised). Forgetting runs
in one transaction; every connection has SQLite's secure_delete on (db.connect), so the erased
values are overwritten, and the caller then compacts the file (db.compact: VACUUM, and the WAL
emptied into it), so no copy survives in a free page or an old log frame.
"""

import sqlite3
from dataclasses import dataclass, field

from .db import compact as compact_database
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
    # The Ids of the e-mail records removed: their copies in the outbox go too.
    notification_ids: list[int] = field(default_factory=list)


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
    with transaction(db):
        mine = _rows(
            db, "SELECT id, essay, status FROM comments WHERE lower(email) = lower(?)", (email,)
        )
        ids = [row["id"] for row in mine]
        registrations = _rows(
            db, "SELECT workshop, id FROM registrations WHERE email = lower(?)", (email,)
        )
        done.optins_removed = _delete_in(db, "reply_optins", "comment_id", ids)
        # Every notice about this person, however long ago: keyed by the comment's Id, or by the
        # registration's, which stays theirs when they cancel and register again.
        about_them = [f"comment:{i}" for i in ids]
        about_them += [f"registration:{r['workshop']}:{r['id']}:" for r in registrations]
        removed = db.execute(
            "DELETE FROM notifications WHERE lower(recipient) = lower(?) RETURNING id", (email,)
        ).fetchall()
        for key in about_them:
            removed += db.execute(
                "DELETE FROM notifications WHERE kind = 'author' AND substr(key, 1, length(?)) = ?"
                " RETURNING id",
                (key, key),
            ).fetchall()
        for comment_id in ids:  # their reply, quoted in the e-mail to the comment it answers
            removed += db.execute(
                "DELETE FROM notifications WHERE kind = 'reply' AND key = ? RETURNING id",
                (comment_id,),
            ).fetchall()
        done.notification_ids = sorted(row["id"] for row in removed)
        done.notifications_removed = len(removed)
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
    return done


def compact(db: sqlite3.Connection) -> None:
    """After a forget: nothing erased may survive in a free page or the WAL (db.compact)."""
    compact_database(db)


def _delete_in(db: sqlite3.Connection, table: str, column: str, values: list[str]) -> int:
    removed = 0
    for value in values:
        removed += db.execute(f"DELETE FROM {table} WHERE {column} = ?", (value,)).rowcount
    return removed
