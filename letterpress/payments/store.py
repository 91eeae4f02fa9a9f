"""The payments ledger in the inbox's SQLite database: one row per registration that owes money,
and the Stripe events already handled. Every statement is parameterised; none of these functions
opens a transaction, so the caller makes each decision and its record one transaction.

  payments       what a registration owes or paid, its hold, its Checkout Session and refund
  stripe_events  the id of every event handled: a redelivered event is recognised and skipped
"""

import datetime as dt
import sqlite3
from dataclasses import dataclass

from .holds import HELD, STATUSES

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS payments (
    id              INTEGER PRIMARY KEY,
    workshop        TEXT NOT NULL,
    email           TEXT NOT NULL,          -- lower-cased, as the registration holds it
    queue           INTEGER NOT NULL,       -- the registration's arrival: one payment each
    seats           INTEGER NOT NULL CHECK (seats >= 1),
    amount          INTEGER NOT NULL,       -- minor units (cents) for all the seats
    currency        TEXT NOT NULL,          -- ISO 4217, upper case
    method          TEXT NOT NULL CHECK (method IN ('stripe', 'invoice')),
    status          TEXT NOT NULL CHECK (status IN ({", ".join(f"'{s}'" for s in STATUSES)})),
    hold_until      TEXT,                   -- ISO 8601 UTC: when an unpaid hold ends
    session_id      TEXT UNIQUE,            -- the Stripe Checkout Session
    checkout_url    TEXT NOT NULL DEFAULT '',
    payment_intent  TEXT NOT NULL DEFAULT '',
    paid_amount     INTEGER NOT NULL DEFAULT 0,
    refund_amount   INTEGER NOT NULL DEFAULT 0,  -- what is to go back, or went back
    refund_id       TEXT NOT NULL DEFAULT '',
    reminded        INTEGER NOT NULL DEFAULT 0,  -- the reminder before the hold ends was queued
    note            TEXT NOT NULL DEFAULT '',    -- why the status is what it is, for the roster
    created         TEXT NOT NULL,
    updated         TEXT NOT NULL,
    UNIQUE (workshop, email, queue)
);
CREATE INDEX IF NOT EXISTS payments_by_status ON payments (status, hold_until);
CREATE TABLE IF NOT EXISTS stripe_events (
    id          TEXT PRIMARY KEY,               -- Stripe's evt_… id
    type        TEXT NOT NULL,
    session_id  TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL,
    received    TEXT NOT NULL
);
"""

COLUMNS = (
    "id, workshop, email, queue, seats, amount, currency, method, status, hold_until, session_id,"
    " checkout_url, payment_intent, paid_amount, refund_amount, refund_id, reminded, note,"
    " created, updated"
)


@dataclass(frozen=True)
class Payment:
    id: int
    workshop: str
    email: str
    queue: int
    seats: int
    amount: int
    currency: str
    method: str
    status: str
    hold_until: str | None
    session_id: str | None
    checkout_url: str
    payment_intent: str
    paid_amount: int
    refund_amount: int
    refund_id: str
    reminded: bool
    note: str
    created: str
    updated: str


def stamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat(timespec="seconds")


def _payment(row: sqlite3.Row) -> Payment:
    return Payment(**{k: row[k] for k in row.keys()})  # noqa: SIM118


def _found(row: sqlite3.Row | None) -> Payment | None:
    return None if row is None else _payment(row)


def open_hold(
    db: sqlite3.Connection,
    *,
    workshop: str,
    email: str,
    queue: int,
    seats: int,
    amount: int,
    currency: str,
    method: str,
    until: dt.datetime,
    now: dt.datetime,
) -> Payment:
    """The hold for this registration (made now, or the one it already has)."""
    db.execute(
        "INSERT INTO payments (workshop, email, queue, seats, amount, currency, method, status,"
        " hold_until, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (workshop, email, queue) DO NOTHING",
        (
            workshop,
            email,
            queue,
            seats,
            amount,
            currency,
            method,
            HELD,
            stamp(until),
            stamp(now),
            stamp(now),
        ),
    )
    return by_registration(db, workshop, email, queue)


def by_registration(db: sqlite3.Connection, workshop: str, email: str, queue: int) -> Payment:
    row = db.execute(
        f"SELECT {COLUMNS} FROM payments WHERE workshop = ? AND email = ? AND queue = ?",
        (workshop, email, queue),
    ).fetchone()
    return _payment(row)


def latest(db: sqlite3.Connection, workshop: str, email: str) -> Payment | None:
    """The newest payment row of this address for this workshop."""
    row = db.execute(
        f"SELECT {COLUMNS} FROM payments WHERE workshop = ? AND email = ? ORDER BY id DESC LIMIT 1",
        (workshop, email.strip().lower()),
    ).fetchone()
    return _found(row)


def by_id(db: sqlite3.Connection, payment_id: int) -> Payment | None:
    return _found(
        db.execute(f"SELECT {COLUMNS} FROM payments WHERE id = ?", (payment_id,)).fetchone()
    )


def by_session(db: sqlite3.Connection, session_id: str) -> Payment | None:
    row = db.execute(
        f"SELECT {COLUMNS} FROM payments WHERE session_id = ?", (session_id,)
    ).fetchone()
    return _found(row)


def attach_session(db, payment_id: int, session_id: str, url: str, now: dt.datetime) -> None:
    db.execute(
        "UPDATE payments SET session_id = ?, checkout_url = ?, updated = ? WHERE id = ?",
        (session_id, url, stamp(now), payment_id),
    )


def set_status(
    db, payment_id: int, status: str, now: dt.datetime, note: str = "", **values
) -> None:
    """Move a payment to `status`, with any of payment_intent, paid_amount, refund_amount,
    refund_id, hold_until given as keywords."""
    allowed = {
        "payment_intent",
        "paid_amount",
        "refund_amount",
        "refund_id",
        "hold_until",
        "reminded",
    }
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not a payment column: {', '.join(sorted(unknown))}")
    sets = "".join(f", {name} = ?" for name in values)
    db.execute(
        f"UPDATE payments SET status = ?, note = ?, updated = ?{sets} WHERE id = ?",
        (status, note, stamp(now), *values.values(), payment_id),
    )


def holds_due(db: sqlite3.Connection, now: dt.datetime) -> list[Payment]:
    """Unpaid holds whose time is up."""
    rows = db.execute(
        f"SELECT {COLUMNS} FROM payments WHERE status = ? AND hold_until <= ? ORDER BY id",
        (HELD, stamp(now)),
    ).fetchall()
    return [_payment(row) for row in rows]


def in_status(db: sqlite3.Connection, status: str) -> list[Payment]:
    rows = db.execute(
        f"SELECT {COLUMNS} FROM payments WHERE status = ? ORDER BY id", (status,)
    ).fetchall()
    return [_payment(row) for row in rows]


def for_workshop(db: sqlite3.Connection, workshop: str) -> dict[tuple[str, int], Payment]:
    rows = db.execute(f"SELECT {COLUMNS} FROM payments WHERE workshop = ?", (workshop,)).fetchall()
    return {(row["email"], row["queue"]): _payment(row) for row in rows}


def event_seen(db: sqlite3.Connection, event_id: str) -> bool:
    return (
        db.execute("SELECT 1 FROM stripe_events WHERE id = ?", (event_id,)).fetchone() is not None
    )


def record_event(db, event_id: str, kind: str, session_id: str, outcome: str, now) -> bool:
    """Remember a handled event; False when it had been handled already (by another delivery)."""
    row = db.execute(
        "INSERT INTO stripe_events (id, type, session_id, outcome, received) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING RETURNING id",
        (event_id, kind, session_id, outcome, stamp(now)),
    ).fetchone()
    return row is not None
