"""Workshop registrations in the inbox's SQLite database: hold seats, confirm, cancel, release
lapsed holds, read the roster.

A registration holds its seats (status 'held') only until `hold_until`: the person confirms with
the link e-mailed to them (registrations.py), which proves the address is theirs. A hold not
confirmed in time lapses ('cancelled') and its seats go to the waiting list in order: a
confirmed address gets the seat outright, any other a new hold. So made-up addresses cannot keep
seats from real readers for longer than a hold.

Each change is one `BEGIN IMMEDIATE` transaction (or a savepoint of the caller's), so two
registrations can never both take the last seat, whether they arrive at one server, several
workers, or the command line. Who gets a seat is decided by letterpress.workshops.seats; this
module only reads and writes rows.
"""

import datetime as dt
import sqlite3
from dataclasses import dataclass

from letterpress.errors import LetterpressError
from letterpress.workshops.seats import (
    CANCELLED,
    CONFIRMED,
    HELD,
    WAITLISTED,
    Waiting,
    decide,
    promotions,
)

from .db import transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS registrations (
    id          INTEGER PRIMARY KEY,
    workshop    TEXT NOT NULL,             -- the workshop's slug
    email       TEXT NOT NULL,             -- lower-cased: one registration per address
    name        TEXT NOT NULL,
    seats       INTEGER NOT NULL CHECK (seats >= 1),
    phone       TEXT NOT NULL DEFAULT '',
    message     TEXT NOT NULL DEFAULT '',
    newsletter  INTEGER NOT NULL DEFAULT 0,  -- consent to the monthly newsletter, as ticked
    status      TEXT NOT NULL
                CHECK (status IN ('held', 'confirmed', 'waitlisted', 'cancelled')),
    hold_until  TEXT,                      -- ISO 8601, UTC: when a 'held' registration lapses
    verified    INTEGER NOT NULL DEFAULT 0,  -- the person followed the e-mailed link
    queue       INTEGER NOT NULL,          -- arrival order: first come, first served
    created     TEXT NOT NULL,             -- ISO 8601, UTC
    updated     TEXT NOT NULL,
    UNIQUE (workshop, email)
);
CREATE INDEX IF NOT EXISTS registrations_by_state ON registrations (workshop, status, queue);
"""

# What a roster and the counts call each state.
SHOWN = {HELD: "held", CONFIRMED: "confirmed", WAITLISTED: "waiting"}


@dataclass(frozen=True)
class Registration:
    """What a person asked for; `email` is compared without regard to case."""

    name: str
    email: str
    seats: int = 1
    phone: str = ""
    message: str = ""
    newsletter: bool = False


@dataclass(frozen=True)
class Outcome:
    status: str  # held | waitlisted
    seats: int
    created: bool  # False: this address had already registered; nothing was changed


@dataclass(frozen=True)
class Entry:
    """A roster line."""

    name: str
    email: str
    seats: int
    status: str
    phone: str
    message: str
    newsletter: bool
    created: str
    hold_until: str | None = None


class NotRegistered(LetterpressError, LookupError):
    """Cancelling someone who holds no seat and no waiting-list place."""


def _timestamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat(timespec="seconds")


def seats_taken(db: sqlite3.Connection, workshop: str, now: dt.datetime | None = None) -> int:
    """Seats confirmed, and held by a hold not lapsed at `now` (every hold when None)."""
    stamp = _timestamp(now) if now is not None else ""
    row = db.execute(
        "SELECT COALESCE(SUM(seats), 0) FROM registrations WHERE workshop = ?"
        " AND (status = ? OR (status = ? AND hold_until > ?))",
        (workshop, CONFIRMED, HELD, stamp),
    ).fetchone()
    return row[0]


def counts(db: sqlite3.Connection, workshop: str) -> dict[str, int]:
    """Seats by state: {"held", "confirmed", "waiting"}."""
    rows = db.execute(
        "SELECT status, COALESCE(SUM(seats), 0) AS seats FROM registrations"
        " WHERE workshop = ? GROUP BY status",
        (workshop,),
    ).fetchall()
    found = {row["status"]: row["seats"] for row in rows}
    return {shown: found.get(status, 0) for status, shown in SHOWN.items()}


def register(
    db: sqlite3.Connection,
    workshop: str,
    capacity: int,
    person: Registration,
    *,
    now: dt.datetime,
    hold: dt.timedelta | None = None,
    waitlist_only: bool = False,
) -> Outcome:
    """Hold seats (until now + `hold`) or a waiting-list place for `person`, in one transaction.
    Without `hold` the seats are recorded 'confirmed': the caller holds them its own way (a
    workshop with a price holds them until paid, letterpress/inbox/payment_flow.py).

    An address already holding, confirmed or waiting gets the answer a newcomer would get and
    nothing changes; one that had cancelled (or let its hold lapse) starts again at the back of
    the queue, unverified.
    """
    email = person.email.strip().lower()
    stamp = _timestamp(now)
    with transaction(db):
        existing = db.execute(
            "SELECT id, status FROM registrations WHERE workshop = ? AND email = ?",
            (workshop, email),
        ).fetchone()
        someone_waiting = db.execute(
            "SELECT EXISTS (SELECT 1 FROM registrations WHERE workshop = ? AND status = ?)",
            (workshop, WAITLISTED),
        ).fetchone()[0]
        status = decide(
            capacity,
            seats_taken(db, workshop, now),
            bool(someone_waiting) or waitlist_only,
            person.seats,
        )
        if status == CONFIRMED and hold is not None:
            status = HELD
        if existing and existing["status"] != CANCELLED:
            # The answer a new registration would get, and nothing changed: the reply must not
            # tell a stranger that the address registered, nor let them alter its registration.
            return Outcome(status, person.seats, created=False)
        queue = db.execute(
            "SELECT COALESCE(MAX(queue), 0) + 1 FROM registrations WHERE workshop = ?",
            (workshop,),
        ).fetchone()[0]
        hold_until = _timestamp(now + hold) if status == HELD and hold else None
        values = (
            person.name,
            person.seats,
            person.phone,
            person.message,
            int(person.newsletter),
            status,
            hold_until,
            queue,
            stamp,
        )
        if existing:
            db.execute(
                "UPDATE registrations SET name = ?, seats = ?, phone = ?, message = ?,"
                " newsletter = ?, status = ?, hold_until = ?, queue = ?, updated = ?,"
                " verified = 0 WHERE id = ?",
                (*values, existing["id"]),
            )
        else:
            db.execute(
                "INSERT INTO registrations (name, seats, phone, message, newsletter, status,"
                " hold_until, queue, updated, created, workshop, email)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, stamp, workshop, email),
            )
    return Outcome(status, person.seats, created=True)


def confirm(
    db: sqlite3.Connection,
    workshop: str,
    registration_id: int,
    queue: int,
    *,
    now: dt.datetime,
) -> sqlite3.Row | None:
    """The person followed their link: a live hold becomes 'confirmed', a waiting-list place is
    marked verified (a seat freed later is then theirs outright). Returns the row as it now is
    ('cancelled' when the hold had lapsed or the author cancelled), or None when no such
    registration (this arrival of it) exists. Harmless to repeat."""
    stamp = _timestamp(now)
    with transaction(db):
        row = db.execute(
            "SELECT * FROM registrations WHERE id = ? AND workshop = ? AND queue = ?",
            (registration_id, workshop, queue),
        ).fetchone()
        if row is None:
            return None
        if row["status"] == HELD and (row["hold_until"] or "") > stamp:
            db.execute(
                "UPDATE registrations SET status = ?, verified = 1, hold_until = NULL,"
                " updated = ? WHERE id = ?",
                (CONFIRMED, stamp, registration_id),
            )
        elif row["status"] == WAITLISTED:
            db.execute(
                "UPDATE registrations SET verified = 1, updated = ? WHERE id = ?",
                (stamp, registration_id),
            )
        return db.execute("SELECT * FROM registrations WHERE id = ?", (registration_id,)).fetchone()


def _promote(
    db: sqlite3.Connection,
    workshop: str,
    capacity: int,
    now: dt.datetime,
    hold: dt.timedelta | None,
) -> list[str]:
    """Give free seats to those waiting, in order: confirmed outright when their address is
    verified (or no `hold` is asked for: a payment holds them), else held until now + `hold`.
    Returns their addresses."""
    stamp = _timestamp(now)
    waiting = db.execute(
        "SELECT id, email, seats, verified FROM registrations WHERE workshop = ? AND status = ?"
        " ORDER BY queue",
        (workshop, WAITLISTED),
    ).fetchall()
    in_line = [Waiting(row["id"], row["seats"]) for row in waiting]
    chosen = set(promotions(capacity, seats_taken(db, workshop, now), in_line))
    moved = []
    for row in waiting:
        if row["id"] not in chosen:
            continue
        until = now + hold if hold is not None and not row["verified"] else None
        status = HELD if until is not None else CONFIRMED
        hold_until = _timestamp(until) if until is not None else None
        db.execute(
            "UPDATE registrations SET status = ?, hold_until = ?, updated = ? WHERE id = ?",
            (status, hold_until, stamp, row["id"]),
        )
        moved.append(row["email"])
    return moved


def release_lapsed(
    db: sqlite3.Connection, workshop: str, capacity: int, *, now: dt.datetime, hold: dt.timedelta
) -> tuple[int, list[str]]:
    """Cancel the holds of `workshop` not confirmed by `now` and give their seats to those
    waiting, in order. Returns (holds lapsed, people promoted)."""
    stamp = _timestamp(now)
    with transaction(db):
        lapsed = db.execute(
            "UPDATE registrations SET status = ?, hold_until = NULL, updated = ?"
            " WHERE workshop = ? AND status = ? AND hold_until <= ?",
            (CANCELLED, stamp, workshop, HELD, stamp),
        ).rowcount
        moved = _promote(db, workshop, capacity, now, hold)
    return lapsed, moved


def cancel(
    db: sqlite3.Connection,
    workshop: str,
    email: str,
    capacity: int,
    *,
    now: dt.datetime,
    hold: dt.timedelta | None = None,
) -> list[str]:
    """Cancel `email`'s registration and give the freed seats to those waiting, in order (each
    held for `hold` until they confirm, unless their address is verified or no `hold` is given).

    Returns the addresses moved up; raises NotRegistered.
    """
    email = email.strip().lower()
    stamp = _timestamp(now)
    with transaction(db):
        changed = db.execute(
            "UPDATE registrations SET status = ?, hold_until = NULL, updated = ?"
            " WHERE workshop = ? AND email = ? AND status != ?",
            (CANCELLED, stamp, workshop, email, CANCELLED),
        ).rowcount
        if not changed:
            raise NotRegistered(f"{email} holds no registration for the workshop '{workshop}'.")
        return _promote(db, workshop, capacity, now, hold)


def confirmed_among(db: sqlite3.Connection, workshop: str, emails: list[str]) -> list[str]:
    """Those of `emails` whose registration is now confirmed (of those just moved up)."""
    return [
        email
        for email in emails
        if db.execute(
            "SELECT 1 FROM registrations WHERE workshop = ? AND email = ? AND status = ?",
            (workshop, email, CONFIRMED),
        ).fetchone()
    ]


def roster(db: sqlite3.Connection, workshop: str) -> list[Entry]:
    """Everyone confirmed or holding seats, then everyone waiting, each in order of arrival."""
    rows = db.execute(
        "SELECT name, email, seats, status, phone, message, newsletter, created, hold_until"
        " FROM registrations WHERE workshop = ? AND status != ?"
        " ORDER BY status = 'waitlisted', queue",
        (workshop, CANCELLED),
    ).fetchall()
    return [
        Entry(
            name=row["name"],
            email=row["email"],
            seats=row["seats"],
            status=row["status"],
            phone=row["phone"],
            message=row["message"],
            newsletter=bool(row["newsletter"]),
            created=row["created"],
            hold_until=row["hold_until"],
        )
        for row in rows
    ]
