"""How many sign-ups and registrations one network may send in a window: one table of recent
events, counted per kind and per client network (never the address itself).

Comments are counted over their own table (comments.check_rate); everything else that makes the
inbox write to strangers, or hold a seat, is counted here.
"""

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from .db import transaction
from .errors import TooMany

SCHEMA = """
CREATE TABLE IF NOT EXISTS sender_events (
    kind        TEXT NOT NULL,          -- what was sent: signup | registration
    client      TEXT NOT NULL,          -- the sender's network (IPv4 /24, IPv6 /48), never the IP
    created_ts  REAL NOT NULL           -- Unix seconds
);
CREATE INDEX IF NOT EXISTS sender_events_by_client ON sender_events (kind, client, created_ts);
"""

WINDOW_SECONDS = 600


@dataclass(frozen=True)
class Allowance:
    """At most `limit` events of `kind` per network per WINDOW_SECONDS; 0 means no limit.
    `refusal` is the sentence a refused sender reads; `field` the form field it is about."""

    kind: str
    limit: int
    refusal: str
    field: str | None = None


def count_or_refuse(
    db: sqlite3.Connection, client: str, now: float, allowances: Sequence[Allowance]
) -> None:
    """Count one event of each kind for `client`, or refuse them all (TooMany) when one of the
    allowances is used up. One transaction: concurrent requests cannot overrun a limit."""
    since = now - WINDOW_SECONDS
    with transaction(db):
        for allowance in allowances:
            (recent,) = db.execute(
                "SELECT COUNT(*) FROM sender_events WHERE kind = ? AND client = ?"
                " AND created_ts > ?",
                (allowance.kind, client, since),
            ).fetchone()
            if allowance.limit and recent >= allowance.limit:
                raise TooMany(allowance.refusal, retry_after=WINDOW_SECONDS, field=allowance.field)
        db.executemany(
            "INSERT INTO sender_events (kind, client, created_ts) VALUES (?, ?, ?)",
            [(allowance.kind, client, now) for allowance in allowances],
        )
        db.execute("DELETE FROM sender_events WHERE created_ts < ?", (since,))
