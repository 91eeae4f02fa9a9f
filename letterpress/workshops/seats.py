"""Who gets a seat: the decisions, as pure functions over plain numbers and lists.

The inbox runs them inside one database transaction; here they only decide.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

# A registration's states. HELD: seats kept for a person who has not yet followed the link
# e-mailed to them, until its hold lapses (at a workshop with a price, the payment holds the
# seat instead: letterpress/payments); CONFIRMED: theirs; WAITLISTED: in line; CANCELLED: by the
# author, or a hold that lapsed.
HELD = "held"
CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Waiting:
    """A place on the waiting list: who (any key the caller uses) and how many seats."""

    key: object
    seats: int


def decide(capacity: int, seats_taken: int, someone_waiting: bool, seats_wanted: int) -> str:
    """Confirm when the seats fit and nobody is already waiting; otherwise the waiting list.

    Nobody jumps the queue: while anyone waits, a seat freed by a cancellation belongs to them.
    """
    if not someone_waiting and seats_taken + seats_wanted <= capacity:
        return CONFIRMED
    return WAITLISTED


def promotions(capacity: int, seats_taken: int, waiting: Sequence[Waiting]) -> list[object]:
    """Whom to move from the waiting list to confirmed, in queue order.

    Each person in line, first come first served, gets their seats if they fit; someone asking
    for more seats than are free stays in line without holding up those behind.
    """
    free = capacity - seats_taken
    chosen = []
    for place in waiting:
        if free <= 0:
            break
        if place.seats <= free:
            chosen.append(place.key)
            free -= place.seats
    return chosen


def state_now(recorded: str, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> str:
    """The registration state at `now`, from the state the build recorded and the dates.

    The inbox may run days after the last build: a workshop that has begun takes no more
    registrations, and one that has ended is past, whatever the manifest said then.
    """
    if now >= end or recorded == "past":
        return "past"
    if now >= start:
        return "closed"
    return recorded
