"""The roster with the money: each registration's state as the author reads it (held, paid,
confirmed, waiting, cancelled, refunded, expired), what it paid or owes, and the totals."""

import sqlite3
from dataclasses import dataclass

from . import store
from .holds import EXPIRED, HELD, PAID, REFUND_DUE, REFUNDED

# A registration's own status and its payment's, to the one word the roster shows.
LIVE = {HELD: "held", PAID: "paid", None: "confirmed"}
ENDED = {REFUNDED: "refunded", REFUND_DUE: "refund due", EXPIRED: "expired"}
ORDER = ("paid", "confirmed", "held", "waiting", "refund due", "refunded", "expired", "cancelled")


@dataclass(frozen=True)
class Line:
    status: str
    name: str
    email: str
    seats: int
    amount: int  # minor units: what was received (even if refunded since), or owed (held)
    refunded: int
    currency: str
    method: str  # stripe | invoice | "" (free)
    phone: str
    newsletter: bool
    created: str
    message: str


@dataclass(frozen=True)
class Totals:
    seats_taken: int  # held + paid + confirmed: the seats nobody else can have
    seats_paid: int
    paid: int
    owed: int
    refunded: int
    waiting: int
    currency: str


def status_of(registration: str, payment: store.Payment | None) -> str:
    if registration == "waitlisted":
        return "waiting"
    if registration == "held":  # a free seat held until its e-mailed link is followed
        return "held"
    if registration == "confirmed":
        return LIVE.get(payment.status if payment else None, "confirmed")
    return ENDED.get(payment.status, "cancelled") if payment else "cancelled"


def lines(db: sqlite3.Connection, workshop: str) -> list[Line]:
    """Everyone who registered, grouped by state in ORDER, each group in order of arrival."""
    payments = store.for_workshop(db, workshop)
    rows = db.execute(
        "SELECT name, email, seats, status, queue, phone, message, newsletter, created"
        " FROM registrations WHERE workshop = ? ORDER BY queue",
        (workshop,),
    ).fetchall()
    found = []
    for row in rows:
        payment = payments.get((row["email"], row["queue"]))
        status = status_of(row["status"], payment)
        # What was received (kept or not), or, for a hold, what is owed.
        amount = 0
        if payment:
            amount = payment.amount if status == "held" else payment.paid_amount
        found.append(
            Line(
                status=status,
                name=row["name"],
                email=row["email"],
                seats=row["seats"],
                amount=amount,
                refunded=payment.refund_amount if payment and status == "refunded" else 0,
                currency=payment.currency if payment else "",
                method=payment.method if payment else "",
                phone=row["phone"],
                newsletter=bool(row["newsletter"]),
                created=row["created"],
                message=row["message"],
            )
        )
    return sorted(found, key=lambda line: ORDER.index(line.status))


def totals(found: list[Line], currency: str) -> Totals:
    def seats(*states: str) -> int:
        return sum(line.seats for line in found if line.status in states)

    return Totals(
        seats_taken=seats("paid", "confirmed", "held"),
        seats_paid=seats("paid"),
        paid=sum(line.amount for line in found if line.status != "held"),
        owed=sum(line.amount for line in found if line.status == "held"),
        refunded=sum(line.refunded for line in found),
        waiting=sum(1 for line in found if line.status == "waiting"),
        currency=currency,
    )
