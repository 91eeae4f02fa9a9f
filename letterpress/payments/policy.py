"""The refund policy a workshop file states (`Refund-Days: 14`: a full refund for a cancellation
up to 14 days before the workshop starts, none after), as pure functions of the dates."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Refund:
    """What a cancellation at a given moment gives back, and the sentence that says so."""

    amount: int  # minor units; 0 when nothing is refunded
    within_policy: bool
    reason: str


def refund_deadline(start: dt.datetime, days: int) -> dt.datetime:
    """The last moment a cancellation is fully refunded: `days` before the start, same time."""
    return start - dt.timedelta(days=days)


def policy_text(start: dt.datetime, days: int | None) -> str:
    """One sentence for the page and the e-mail."""
    if days is None:
        return "Cancellations are refunded at the organiser's discretion; write to ask."
    if days == 0:
        return "Cancel any time before the workshop starts for a full refund."
    deadline = refund_deadline(start, days)
    return (
        f"Cancel by {deadline:%B} {deadline.day}, {deadline.year} ({days} day"
        f"{'s' if days != 1 else ''} before the workshop) for a full refund; "
        "after that, cancelling frees your seat for someone waiting but is not refunded."
    )


def refund_for(paid: int, start: dt.datetime, days: int | None, now: dt.datetime) -> Refund:
    """The refund due for cancelling at `now` a seat for which `paid` was received."""
    if paid <= 0:
        return Refund(0, True, "Nothing was paid, so nothing is refunded.")
    if days is None:
        return Refund(0, False, "This workshop states no refund policy; nothing is refunded.")
    if now <= refund_deadline(start, days):
        return Refund(paid, True, "Within the refund policy: the full amount is refunded.")
    deadline = refund_deadline(start, days)
    return Refund(
        0,
        False,
        f"Outside the refund policy (full refunds ended on {deadline:%B} {deadline.day}, "
        f"{deadline.year}): nothing is refunded.",
    )
