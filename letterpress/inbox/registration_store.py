"""Workshop registrations in the inbox's SQLite database: take a seat, cancel, read the roster.

Each change is one `BEGIN IMMEDIATE` transaction, so two registrations can never both take the
last seat, whether they arrive at one server, several workers, or the command line. Who gets a
seat is decided by letterpress.workshops.seats; this module only reads and writes rows.
"""

import datetime as dt
import sqlite3
from dataclasses import dataclass

from letterpress.errors import LetterpressError
from letterpress.workshops.seats import (
    CANCELLED,
    CONFIRMED,
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
    status      TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    queue       INTEGER NOT NULL,          -- arrival order: first come, first served
    created     TEXT NOT NULL,             -- ISO 8601, UTC
    updated     TEXT NOT NULL,
    UNIQUE (workshop, email)
);
CREATE INDEX IF NOT EXISTS registrations_by_state ON registrations (workshop, status, queue);
"""


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
    status: str  # confirmed | waitlisted
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


class NotRegistered(LetterpressError, LookupError):
    """Cancelling someone who holds no seat and no waiting-list place."""


def _timestamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat(timespec="seconds")


def seats_taken(db: sqlite3.Connection, workshop: str) -> int:
    row = db.execute(
        "SELECT COALESCE(SUM(seats), 0) FROM registrations WHERE workshop = ? AND status = ?",
        (workshop, CONFIRMED),
    ).fetchone()
    return row[0]


def register(
    db: sqlite3.Connection,
    workshop: str,
    capacity: int,
    person: Registration,
    *,
    now: dt.datetime,
    waitlist_only: bool = False,
) -> Outcome:
    """Take seats or a waiting-list place for `person`, in one transaction.

    An address already confirmed or waiting gets the answer a newcomer would get and nothing
    changes; one that had cancelled starts again at the back of the queue.
    """
    email = person.email.strip().lower()
    stamp = _timestamp(now)
    with transaction(db):
        existing = db.execute(
            "SELECT id, status, seats FROM registrations WHERE workshop = ? AND email = ?",
            (workshop, email),
        ).fetchone()
        someone_waiting = db.execute(
            "SELECT EXISTS (SELECT 1 FROM registrations WHERE workshop = ? AND status = ?)",
            (workshop, WAITLISTED),
        ).fetchone()[0]
        status = decide(
            capacity,
            seats_taken(db, workshop),
            bool(someone_waiting) or waitlist_only,
            person.seats,
        )
        if existing and existing["status"] != CANCELLED:
            # The answer a new registration would get, and nothing changed: the reply must not
            # tell a stranger that the address registered, nor let them alter its registration.
            return Outcome(status, person.seats, created=False)
        queue = db.execute(
            "SELECT COALESCE(MAX(queue), 0) + 1 FROM registrations WHERE workshop = ?",
            (workshop,),
        ).fetchone()[0]
        values = (
            person.name,
            person.seats,
            person.phone,
            person.message,
            int(person.newsletter),
            status,
            queue,
            stamp,
        )
        if existing:
            db.execute(
                "UPDATE registrations SET name = ?, seats = ?, phone = ?, message = ?,"
                " newsletter = ?, status = ?, queue = ?, updated = ? WHERE id = ?",
                (*values, existing["id"]),
            )
        else:
            db.execute(
                "INSERT INTO registrations (name, seats, phone, message, newsletter, status,"
                " queue, updated, created, workshop, email)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, stamp, workshop, email),
            )
    return Outcome(status, person.seats, created=True)


def cancel(
    db: sqlite3.Connection, workshop: str, email: str, capacity: int, *, now: dt.datetime
) -> list[str]:
    """Cancel `email`'s registration and give the freed seats to those waiting, in order.

    Returns the addresses moved from the waiting list to confirmed; raises NotRegistered.
    """
    email = email.strip().lower()
    stamp = _timestamp(now)
    with transaction(db):
        changed = db.execute(
            "UPDATE registrations SET status = ?, updated = ?"
            " WHERE workshop = ? AND email = ? AND status != ?",
            (CANCELLED, stamp, workshop, email, CANCELLED),
        ).rowcount
        if not changed:
            raise NotRegistered(f"{email} holds no registration for the workshop '{workshop}'.")
        waiting = db.execute(
            "SELECT id, email, seats FROM registrations WHERE workshop = ? AND status = ?"
            " ORDER BY queue",
            (workshop, WAITLISTED),
        ).fetchall()
        in_line = [Waiting(row["id"], row["seats"]) for row in waiting]
        chosen = promotions(capacity, seats_taken(db, workshop), in_line)
        db.executemany(
            "UPDATE registrations SET status = ?, updated = ? WHERE id = ?",
            [(CONFIRMED, stamp, key) for key in chosen],
        )
    return [row["email"] for row in waiting if row["id"] in chosen]


def roster(db: sqlite3.Connection, workshop: str) -> list[Entry]:
    """Everyone confirmed, then everyone waiting, each in order of arrival."""
    rows = db.execute(
        "SELECT name, email, seats, status, phone, message, newsletter, created"
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
        )
        for row in rows
    ]
