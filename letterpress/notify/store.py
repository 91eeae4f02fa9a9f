"""The inbox's e-mail queue and reply opt-ins, in its SQLite database. Every statement is
parameterised; none of these functions opens a transaction of its own, so a caller can queue a
notice in the same transaction as the decision that causes it.

  reply_optins    the comments whose writer ticked "E-mail me when someone replies" (the address
                  is the comment's own, never copied)
  notifications   every e-mail the inbox sends: one row per (kind, key), so the same event can
                  never be queued, nor sent, twice
  inbox_secrets   a secret generated once per database, for signing links when
                  LETTERPRESS_SECRET is not set
"""

import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

SCHEMA = """
CREATE TABLE IF NOT EXISTS reply_optins (
    comment_id  TEXT PRIMARY KEY,       -- the comment whose writer wants to hear of replies
    created     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notifications (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,          -- reply | author | registration | payment
    key         TEXT NOT NULL,          -- what it is about: never queued twice for one key
    recipient   TEXT NOT NULL,          -- the address it goes to
    facts       TEXT NOT NULL,          -- JSON: what the message says (rendered when sent)
    status      TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'sending', 'sent', 'dropped')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    created     TEXT NOT NULL,
    claimed     TEXT,                   -- when a sender took it
    retry_after TEXT,                   -- after a failure: the background sender waits till then
    sent        TEXT,
    UNIQUE (kind, key, recipient)
);
CREATE INDEX IF NOT EXISTS notifications_by_status ON notifications (status, id);
CREATE TABLE IF NOT EXISTS inbox_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL
);
"""

# A claim older than this is taken to belong to a sender that died mid-send: queued again.
STALE_CLAIM = dt.timedelta(minutes=10)
# After a failed try every sender waits this long, doubling, at most MAX_BACKOFF.
FIRST_BACKOFF = dt.timedelta(minutes=1)
MAX_BACKOFF = dt.timedelta(hours=1)
# Nothing is tried for ever: after this many failed tries, or once queued this long (an SMTP
# server down for days), a message is given up (status 'dropped', the reason kept).
MAX_ATTEMPTS = 20
GIVE_UP_AFTER = dt.timedelta(days=3)


@dataclass(frozen=True)
class Job:
    """A queued e-mail as a sender takes it."""

    id: int
    kind: str
    key: str
    recipient: str
    facts: dict
    attempts: int


def _stamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat(timespec="seconds")


def add_optin(db: sqlite3.Connection, comment_id: str, now: dt.datetime) -> None:
    db.execute(
        "INSERT INTO reply_optins (comment_id, created) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (comment_id, _stamp(now)),
    )


def optin_address(db: sqlite3.Connection, comment_id: str) -> str | None:
    """The address of the writer of `comment_id` when they asked to hear of replies."""
    row = db.execute(
        "SELECT c.email FROM reply_optins o JOIN comments c ON c.id = o.comment_id"
        " WHERE o.comment_id = ? AND c.email != ''",
        (comment_id,),
    ).fetchone()
    return row["email"] if row else None


def drop_optins(db: sqlite3.Connection, email: str) -> int:
    """Forget every opt-in of this address (any thread) and its reply e-mail not sent yet."""
    dropped = db.execute(
        "DELETE FROM reply_optins WHERE comment_id IN"
        " (SELECT id FROM comments WHERE lower(email) = lower(?))",
        (email,),
    ).rowcount
    db.execute(
        "DELETE FROM notifications WHERE kind = 'reply' AND status = 'queued'"
        " AND lower(recipient) = lower(?)",
        (email,),
    )
    return dropped


def queue(
    db: sqlite3.Connection,
    kind: str,
    key: str,
    recipient: str,
    facts: Mapping,
    now: dt.datetime,
) -> bool:
    """Queue one e-mail; False when the same (kind, key, recipient) was queued before."""
    row = db.execute(
        "INSERT INTO notifications (kind, key, recipient, facts, created)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
        (kind, key, recipient, json.dumps(dict(facts), ensure_ascii=False), _stamp(now)),
    ).fetchone()
    return row is not None


def claim(
    db: sqlite3.Connection,
    now: dt.datetime,
    kinds: tuple[str, ...] = (),
    *,
    wait_after_failure: bool = True,
) -> list[Job]:
    """Take every queued e-mail (of `kinds`, or all) for sending. The claim is one UPDATE, so two
    senders (the inbox and `invoke notifications.send`) never take the same row.
    A row whose last try failed is left alone until its back-off is over, unless
    `wait_after_failure` is False (the author asking to try everything now)."""
    stamp = _stamp(now)
    db.execute(
        "UPDATE notifications SET status = 'queued' WHERE status = 'sending' AND claimed < ?",
        (_stamp(now - STALE_CLAIM),),
    )
    conditions, params = ["status = 'queued'"], [stamp]
    if kinds:
        conditions.append(f"kind IN ({', '.join('?' * len(kinds))})")
        params += kinds
    if wait_after_failure:
        conditions.append("(retry_after IS NULL OR retry_after <= ?)")
        params.append(stamp)
    rows = db.execute(
        "UPDATE notifications SET status = 'sending', claimed = ?, attempts = attempts + 1"
        f" WHERE {' AND '.join(conditions)}"
        " RETURNING id, kind, key, recipient, facts, attempts",
        params,
    ).fetchall()
    jobs = [
        Job(r["id"], r["kind"], r["key"], r["recipient"], json.loads(r["facts"]), r["attempts"])
        for r in rows
    ]
    return sorted(jobs, key=lambda job: job.id)


def due_kinds(db: sqlite3.Connection, now: dt.datetime, batch_delay: float) -> tuple[str, ...]:
    """The kinds the background sender should take now: each kind with a row ready, except the
    author's notices until the oldest has waited `batch_delay` seconds (so a burst is one
    e-mail)."""
    stamp = _stamp(now)
    rows = db.execute(
        "SELECT kind, MIN(created) AS oldest FROM notifications WHERE status = 'queued'"
        " AND (retry_after IS NULL OR retry_after <= ?) GROUP BY kind",
        (stamp,),
    ).fetchall()
    held_since = _stamp(now - dt.timedelta(seconds=batch_delay))
    return tuple(
        row["kind"] for row in rows if row["kind"] != "author" or row["oldest"] <= held_since
    )


def mark_sent(db: sqlite3.Connection, job_ids: list[int], now: dt.datetime) -> None:
    db.executemany(
        "UPDATE notifications SET status = 'sent', sent = ?, last_error = '' WHERE id = ?",
        [(_stamp(now), job_id) for job_id in job_ids],
    )


def mark_failed(
    db: sqlite3.Connection, job_ids: list[int], error: str, now: dt.datetime, attempts: int = 1
) -> list[int]:
    """Back in the queue, with the reason; every sender tries again after a back-off that
    doubles with each failed attempt. A row tried MAX_ATTEMPTS times, or queued longer than
    GIVE_UP_AFTER, is given up instead. Returns the Ids given up."""
    backoff = min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)
    given_up = []
    for job_id in job_ids:
        row = db.execute(
            "UPDATE notifications SET status = CASE WHEN attempts >= ? OR created < ?"
            " THEN 'dropped' ELSE 'queued' END, last_error = ?, retry_after = ?"
            " WHERE id = ? RETURNING status, attempts",
            (MAX_ATTEMPTS, _stamp(now - GIVE_UP_AFTER), error, _stamp(now + backoff), job_id),
        ).fetchone()
        if row is not None and row["status"] == "dropped":
            reason = f"given up after {row['attempts']} tries; the last: {error}"
            mark_dropped(db, job_id, reason)
            given_up.append(job_id)
    return given_up


def give_up_stale(db: sqlite3.Connection, now: dt.datetime) -> int:
    """Give up every message still queued after GIVE_UP_AFTER (nobody sent the queue for days):
    what `inbox.prune` does first, so nothing waits for ever."""
    return db.execute(
        "UPDATE notifications SET status = 'dropped',"
        " last_error = 'given up: still not sent ' || ? || ' days after it was queued. '"
        " || last_error WHERE status IN ('queued', 'sending') AND created < ?",
        (GIVE_UP_AFTER.days, _stamp(now - GIVE_UP_AFTER)),
    ).rowcount


# A message failing this many tries in a row makes /healthz report the mail as failing (one
# failure is often a greylisting server's "try again later").
FAILING_AFTER_ATTEMPTS = 2


def failing_mail(db: sqlite3.Connection) -> str | None:
    """A sentence when e-mail in the queue keeps failing (the last error of the oldest), or
    None when the queue is healthy."""
    row = db.execute(
        "SELECT COUNT(*) AS failing, MIN(created) AS since, MAX(last_error) AS error"
        " FROM notifications WHERE status = 'queued' AND last_error != '' AND attempts >= ?",
        (FAILING_AFTER_ATTEMPTS,),
    ).fetchone()
    if not row["failing"]:
        return None
    return f"{row['failing']} e-mail failing since {row['since']}: {row['error']}"


def waiting_for_backoff(db: sqlite3.Connection, now: dt.datetime) -> list[sqlite3.Row]:
    """Queued rows whose back-off is not over: the next sender leaves them till `retry_after`."""
    return db.execute(
        "SELECT id, kind, retry_after, last_error FROM notifications"
        " WHERE status = 'queued' AND retry_after > ? ORDER BY id",
        (_stamp(now),),
    ).fetchall()


def mark_dropped(db: sqlite3.Connection, job_id: int, reason: str) -> None:
    """Never to be sent (the comment it was about is gone, the person unsubscribed)."""
    db.execute(
        "UPDATE notifications SET status = 'dropped', last_error = ? WHERE id = ?",
        (reason, job_id),
    )


def queued(db: sqlite3.Connection) -> list[sqlite3.Row]:
    """What waits to be sent, with the reason of the last failure, oldest first."""
    return db.execute(
        "SELECT id, kind, recipient, attempts, last_error, created FROM notifications"
        " WHERE status IN ('queued', 'sending') ORDER BY id"
    ).fetchall()


def database_secret(db: sqlite3.Connection, name: str = "links") -> str:
    """This database's own secret `name`, made on first use."""
    db.execute(
        "INSERT INTO inbox_secrets (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (name, secrets.token_urlsafe(32)),
    )
    return db.execute("SELECT value FROM inbox_secrets WHERE name = ?", (name,)).fetchone()[0]
