"""SQL for comments waiting in the inbox. Every statement is parameterised.

Used by the HTTP routes (letterpress/inbox/comments.py) and by `invoke comments.review` working on
the database file directly, so both moderate through the same few functions.
"""

import datetime as dt
import hashlib
import secrets
import sqlite3
import string
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from letterpress.comments import Comment

SCHEMA = """
CREATE TABLE IF NOT EXISTS comments (
    id          TEXT PRIMARY KEY,       -- becomes the comment file's Id when approved
    essay       TEXT NOT NULL,          -- the essay's slug
    parent      TEXT,                   -- the Id of the comment answered, if any
    author      TEXT NOT NULL,
    email       TEXT NOT NULL,
    url         TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,          -- Markdown, stored as typed; escaped when shown
    created     TEXT NOT NULL,          -- ISO 8601, UTC
    created_ts  REAL NOT NULL,          -- the same instant in Unix seconds, for the rate window
    client      TEXT NOT NULL,          -- the sender's network (IPv4 /24, IPv6 /48), never the IP
    fingerprint TEXT NOT NULL UNIQUE,   -- hash of what was sent: an identical re-post is ignored
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
    decided     TEXT                    -- when the author moderated it
);
CREATE INDEX IF NOT EXISTS comments_by_client ON comments (client, created_ts);
CREATE INDEX IF NOT EXISTS comments_by_status ON comments (status, created_ts);
"""

STATUSES = ("pending", "approved", "rejected", "spam")
_ID_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class Submission:
    """A checked comment as a reader sent it."""

    essay: str
    parent: str | None
    author: str
    email: str
    url: str
    body: str

    def fingerprint(self) -> str:
        parts = (self.essay, self.parent or "", self.author, self.email, self.url, self.body)
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Stored:
    id: str
    duplicate: bool  # True when an identical comment was already there


def new_comment_id(now: dt.datetime) -> str:
    """An Id like 20261126-0412-k7q2: sortable by time, short enough to read aloud."""
    number, suffix = secrets.randbelow(len(_ID_ALPHABET) ** 4), ""
    for _ in range(4):
        number, digit = divmod(number, len(_ID_ALPHABET))
        suffix += _ID_ALPHABET[digit]
    return f"{now.astimezone(dt.UTC):%Y%m%d-%H%M}-{suffix}"


def store_comment(
    db: sqlite3.Connection,
    submission: Submission,
    client: str,
    now: dt.datetime,
    status: str = "pending",
) -> Stored:
    """Insert the comment, or find the identical one already stored. Committed on return."""
    fingerprint = submission.fingerprint()
    for _ in range(8):
        comment_id = new_comment_id(now)
        try:
            row = db.execute(
                "INSERT INTO comments (id, essay, parent, author, email, url, body, created,"
                " created_ts, client, fingerprint, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (fingerprint) DO NOTHING RETURNING id",
                (
                    comment_id,
                    submission.essay,
                    submission.parent,
                    submission.author,
                    submission.email,
                    submission.url,
                    submission.body,
                    now.astimezone(dt.UTC).isoformat(timespec="seconds"),
                    now.timestamp(),
                    client,
                    fingerprint,
                    status,
                ),
            ).fetchone()
        except sqlite3.IntegrityError:
            continue  # the random Id suffix collided within the same minute: draw again
        if row is not None:
            return Stored(row["id"], duplicate=False)
        existing = db.execute(
            "SELECT id FROM comments WHERE fingerprint = ?", (fingerprint,)
        ).fetchone()
        return Stored(existing["id"], duplicate=True)
    raise RuntimeError("could not draw a free comment Id")


def recent_count(db: sqlite3.Connection, client: str, since: float) -> int:
    """Comments from this network since the Unix time `since` (the rate window)."""
    return db.execute(
        "SELECT COUNT(*) FROM comments WHERE client = ? AND created_ts > ?", (client, since)
    ).fetchone()[0]


def waiting_parent(db: sqlite3.Connection, essay: str, parent: str) -> bool:
    """True when `parent` is a comment on `essay` held here, pending or approved."""
    row = db.execute(
        "SELECT 1 FROM comments WHERE id = ? AND essay = ? AND status IN ('pending', 'approved')",
        (parent, essay),
    ).fetchone()
    return row is not None


def get_comment(db: sqlite3.Connection, comment_id: str) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM comments WHERE id = ?", (comment_id,)).fetchone()


def comments_with_status(db: sqlite3.Connection, status: str = "pending") -> list[sqlite3.Row]:
    """Oldest first, so a parent comes up for moderation before its replies."""
    return db.execute(
        "SELECT * FROM comments WHERE status = ? ORDER BY created_ts, id", (status,)
    ).fetchall()


def set_status(
    db: sqlite3.Connection, comment_id: str, status: str, now: dt.datetime
) -> sqlite3.Row | None:
    """Record the author's decision; None when there is no such comment."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    db.execute(
        "UPDATE comments SET status = ?, decided = ? WHERE id = ?",
        (status, now.astimezone(dt.UTC).isoformat(timespec="seconds"), comment_id),
    )
    return get_comment(db, comment_id)


def public_fields(row: sqlite3.Row) -> dict:
    """What the moderation API returns about a comment (e-mail included: it is for the author)."""
    keys = ("id", "essay", "parent", "author", "email", "url", "body", "created", "status")
    return {key: row[key] for key in keys}


def as_comment(row: Mapping, timezone: str = "UTC") -> Comment:
    """The approved comment as it goes into its file: no e-mail, no client address."""
    created = dt.datetime.fromisoformat(row["created"]).astimezone(ZoneInfo(timezone))
    return Comment(
        id=row["id"],
        essay=row["essay"],
        author=row["author"],
        date=created,
        body=row["body"],
        reply_to=row["parent"] or None,
        url=row["url"] or "",
    )
