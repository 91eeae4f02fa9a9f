"""Seat holds and what a payment does to them: pure decisions over plain values.

A paid workshop's registration holds its seats until a deadline; the payment confirms them. The
ledger's statuses only move forward (a paid seat never goes back to held because an older event
arrived late), so the order in which Stripe's events arrive does not matter.
"""

import datetime as dt

HELD = "held"  # seats kept for the person until `hold_until`, not paid yet
PAID = "paid"  # the money is in and the seats are theirs
EXPIRED = "expired"  # the hold ran out unpaid; the seats went back (to the waiting list)
REFUND_DUE = "refund_due"  # money that must go back (a late payment without a seat, a cancellation)
REFUNDED = "refunded"
CANCELLED = "cancelled"  # cancelled with nothing to refund (unpaid, or outside the policy)
STATUSES = (HELD, PAID, EXPIRED, REFUND_DUE, REFUNDED, CANCELLED)

CONFIRM = "confirm"
REFUND = "refund"
IGNORE = "ignore"

# Stripe's shortest Checkout Session, and the margin for its clock and ours disagreeing.
STRIPE_SHORTEST = dt.timedelta(minutes=30)
CLOCK_MARGIN = dt.timedelta(minutes=2)


def hold_until(now: dt.datetime, minutes: int) -> dt.datetime:
    return now + dt.timedelta(minutes=minutes)


def session_expiry(now: dt.datetime, deadline: dt.datetime) -> dt.datetime:
    """Stripe's expires_at for a hold ending at `deadline`: the deadline, but never closer than
    Stripe accepts. The inbox expires the session itself when the hold ends, so this is only the
    backstop; a payment that still lands after the deadline is judged by `on_payment`."""
    return max(deadline, now + STRIPE_SHORTEST + CLOCK_MARGIN)


def on_payment(status: str, seats_still_held: bool, seats_free: bool) -> str:
    """What a paid Checkout Session does to the payment in `status`.

    held, and the registration still has its seats: confirm. The hold ran out before the money
    came (expired, or held but the seats already given back): confirm if the seats can be taken
    again without passing anyone waiting, otherwise refund. Cancelled before paying: refund.
    Already paid or refunded: nothing more (a second event about the same payment).
    """
    if status == HELD and seats_still_held:
        return CONFIRM
    if status in (HELD, EXPIRED):
        return CONFIRM if seats_free else REFUND
    if status == CANCELLED:
        return REFUND
    return IGNORE


def is_due(status: str, deadline: str | None, now: dt.datetime) -> bool:
    """Is this hold over at `now`? (`deadline`: ISO 8601 with offset, as the ledger stores it.)"""
    return status == HELD and deadline is not None and dt.datetime.fromisoformat(deadline) <= now
