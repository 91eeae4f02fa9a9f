"""Approved comments on their way into the site's files, in SQL: what `comments.pull` must write,
the author's replies written on the moderation page, and which files a pull reported written.

The inbox never writes into git. An approved comment waits here until `comments.pull` (run by
the publish workflow, or by the author) writes its file; the pull then reports the Ids it wrote,
so the moderation page can say which approvals are still waiting and which can no longer be
taken back. Whether a file exists is decided by the content folder, never by these marks: a
pull whose commit was lost writes the same files again.
"""

import datetime as dt
import sqlite3
from collections.abc import Iterable

from letterpress.comments import Comment

from .comment_store import get_comment, set_status
from .db import transaction
from .errors import Conflict, NotFound

SCHEMA = """
CREATE TABLE IF NOT EXISTS author_replies (
    id       TEXT PRIMARY KEY,      -- the reply's file Id
    essay    TEXT NOT NULL,
    parent   TEXT NOT NULL,         -- the comment answered
    author   TEXT NOT NULL,         -- the site's AUTHOR
    body     TEXT NOT NULL,         -- Markdown, as written
    created  TEXT NOT NULL          -- the reply's date (ISO 8601, UTC)
);
CREATE TABLE IF NOT EXISTS comment_files (
    id       TEXT PRIMARY KEY,      -- a comment's (or author reply's) Id
    written  TEXT NOT NULL          -- when a pull reported the file in the content folder
);
"""

# What a comment file needs, and nothing else: no e-mail address, no sender network.
RECORD_FIELDS = ("id", "essay", "parent", "author", "url", "body", "created", "role")


def _stamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat(timespec="seconds")


def approved_records(db: sqlite3.Connection, live: Iterable[str] = ()) -> list[dict]:
    """Every approved comment and author reply whose Id is not in `live` (the Ids the published
    site already shows), oldest first, as {RECORD_FIELDS…, decided, written}."""
    rows = db.execute(
        "SELECT c.id AS id, c.essay AS essay, c.parent AS parent, c.author AS author,"
        " c.url AS url, c.body AS body, c.created AS created, '' AS role,"
        " c.decided AS decided, f.written AS written"
        " FROM comments AS c LEFT JOIN comment_files AS f ON f.id = c.id"
        " WHERE c.status = 'approved'"
        " UNION ALL"
        " SELECT r.id, r.essay, r.parent, r.author, '', r.body, r.created, 'author',"
        " r.created, f.written FROM author_replies AS r"
        " LEFT JOIN comment_files AS f ON f.id = r.id"
        " ORDER BY created, id"
    ).fetchall()
    shown = frozenset(live)
    return [dict(row) for row in rows if row["id"] not in shown]


def mark_written(db: sqlite3.Connection, ids: Iterable[str], now: dt.datetime) -> int:
    """Record that a pull found or wrote these Ids' files; the first report is kept. Returns how
    many of them are comments or author replies held here."""
    wanted = sorted(set(ids))
    known = 0
    with transaction(db):
        for comment_id in wanted:
            here = db.execute(
                "SELECT 1 FROM comments WHERE id = ? AND status = 'approved'"
                " UNION ALL SELECT 1 FROM author_replies WHERE id = ?",
                (comment_id, comment_id),
            ).fetchone()
            if here is None:
                continue
            known += 1
            db.execute(
                "INSERT INTO comment_files (id, written) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                (comment_id, _stamp(now)),
            )
    return known


def written_at(db: sqlite3.Connection, comment_id: str) -> str | None:
    row = db.execute("SELECT written FROM comment_files WHERE id = ?", (comment_id,)).fetchone()
    return row["written"] if row else None


def store_author_reply(db: sqlite3.Connection, reply: Comment) -> None:
    """Keep the author's reply (made by letterpress.moderation.replies.author_reply) until a
    pull writes its file. Inside the caller's transaction."""
    db.execute(
        "INSERT INTO author_replies (id, essay, parent, author, body, created)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (reply.id, reply.essay, reply.reply_to, reply.author, reply.body, _stamp(reply.date)),
    )


def take_back(
    db: sqlite3.Connection, comment_id: str, now: dt.datetime, live: Iterable[str] = ()
) -> str:
    """Undo an approval whose file no pull has written yet: a reader's comment goes back to
    pending, an author's reply is deleted. Returns "pending" or "deleted".

    Refused (Conflict, saying what to do instead) once a pull has written the file or the site
    shows it, and while an approved reply answers it (the reply's file would name a parent the
    build cannot find)."""
    with transaction(db):
        reply = db.execute("SELECT id FROM author_replies WHERE id = ?", (comment_id,)).fetchone()
        row = get_comment(db, comment_id)
        if reply is None and (row is None or row["status"] != "approved"):
            raise NotFound(f"There is no approved comment {comment_id} in the inbox.")
        written = written_at(db, comment_id)
        if written or comment_id in frozenset(live):
            when = f" on {written}" if written else ""
            raise Conflict(
                f"Comment {comment_id} is already in the site's files (written by "
                f"comments.pull{when}): delete its file from content/comments/ and commit to "
                "take it down."
            )
        answers = db.execute(
            "SELECT id FROM comments WHERE parent = ? AND status = 'approved'"
            " UNION ALL SELECT id FROM author_replies WHERE parent = ?",
            (comment_id, comment_id),
        ).fetchall()
        if answers:
            ids = ", ".join(answer["id"] for answer in answers)
            raise Conflict(
                f"Comment {comment_id} has approved replies ({ids}): take those back first."
            )
        if reply is not None:
            db.execute("DELETE FROM author_replies WHERE id = ?", (comment_id,))
            return "deleted"
        set_status(db, comment_id, "pending", now)
        return "pending"
