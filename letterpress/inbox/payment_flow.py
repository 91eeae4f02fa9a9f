"""What the inbox does with money: hold a registration's seats while the person pays, confirm them
when Stripe says the session is paid, give expired holds' seats to the waiting list, refund what
must go back, and record invoice payments.

The database is touched on the caller's thread in short `BEGIN IMMEDIATE` transactions (the seat
decisions among them); Stripe is called between them, never inside one, through `call` (the
server passes a function that runs it in a worker thread). Each step can be repeated: a hold is
one row per registration, every Stripe call has an idempotency key, and the sweep retries what a
failure left half done (a hold with no Checkout Session yet, a refund not yet made).
"""

import datetime as dt
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal

from letterpress.manifest import WorkshopEntry
from letterpress.notify import store as notify_store
from letterpress.payments import store
from letterpress.payments.gateway import PaymentServiceError, SessionState, StripeGateway
from letterpress.payments.holds import (
    CANCELLED,
    CONFIRM,
    EXPIRED,
    HELD,
    PAID,
    REFUND,
    REFUND_DUE,
    REFUNDED,
    on_payment,
    session_expiry,
)
from letterpress.payments.money import minor_units
from letterpress.workshops.seats import CONFIRMED, WAITLISTED, decide

from .config import InboxConfig
from .db import transaction
from .registration_store import NotRegistered, cancel, seats_taken

log = logging.getLogger(__name__)

Call = Callable[..., Awaitable]
# Events that say something about a Checkout Session; each is answered from the session's state
# as Stripe holds it now (read back), so their order of arrival does not matter.
SESSION_EVENTS = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
)
INVOICE_REMINDER = dt.timedelta(days=1)
# A hold still without a payment link this long after it was made had its Stripe call fail (a
# younger one may have its call under way): the sweep asks again, with the same idempotency key.
LINK_RETRY_AFTER = dt.timedelta(minutes=1)


async def direct(function, *args, **kwargs):
    """`call` for the terminal and tests: run the Stripe call right here."""
    return function(*args, **kwargs)


def gateway_for(config: InboxConfig) -> StripeGateway | None:
    key = str(config.stripe_secret_key)
    if not key:
        return None
    return StripeGateway(key, str(config.stripe_webhook_secret), config.stripe_api_base)


def is_paid(workshop: WorkshopEntry) -> bool:
    return Decimal(workshop.price or "0") > 0


def _registration(db: sqlite3.Connection, slug: str, email: str) -> sqlite3.Row | None:
    return db.execute(
        "SELECT id, name, email, seats, status, queue, message FROM registrations"
        " WHERE workshop = ? AND email = ?",
        (slug, email.strip().lower()),
    ).fetchone()


def _reread(db: sqlite3.Connection, payment_id: int) -> store.Payment:
    """The payment as the ledger holds it now. Payment rows are never deleted (forgetting a person
    anonymises theirs), so a payment read once is always found again."""
    payment = store.by_id(db, payment_id)
    if payment is None:
        raise LookupError(f"payment {payment_id} is no longer in the ledger")
    return payment


def _hold_end(payment: store.Payment) -> dt.datetime:
    """When a held payment's hold ends (every hold is opened with an end; only paying clears it)."""
    if payment.hold_until is None:
        raise ValueError(f"payment {payment.id} is {payment.status} but has no hold_until")
    return dt.datetime.fromisoformat(payment.hold_until)


def queue_mail(db, payment: store.Payment, what: str, now: dt.datetime, **extra) -> None:
    """Queue the e-mail that tells the person what happened to their payment (`what`: hold,
    reminder, paid, expired, late_refund, refunded, cancelled); never twice for one event."""
    person = _registration(db, payment.workshop, payment.email)
    facts = {
        "workshop": payment.workshop,
        "name": person["name"] if person else "",
        "seats": payment.seats,
        "what": what,
        "method": payment.method,
        "amount": payment.amount,
        "currency": payment.currency,
        "checkout_url": payment.checkout_url,
        "hold_until": payment.hold_until or "",
        "refund_amount": payment.refund_amount,
        "note": payment.note,
        "registration": person["id"] if person else 0,
        "queue": person["queue"] if person else 0,
        **extra,
    }
    notify_store.queue(db, "payment", f"{payment.id}:{what}", payment.email, facts, now)


# ---- holding seats and asking for the money ---------------------------------------------------


async def start_payment(
    db: sqlite3.Connection,
    config: InboxConfig,
    workshop: WorkshopEntry,
    email: str,
    now: dt.datetime,
    call: Call = direct,
    promoted: bool = False,
) -> store.Payment | None:
    """Hold the seats `email` was just given at a workshop with a price, and ask for the money:
    a Checkout Session when Stripe is set up (its link in the answer and the e-mail), otherwise
    the workshop's payment instructions. None when the registration holds no seat (waiting)."""
    person = _registration(db, workshop.slug, email)
    if person is None or person["status"] != CONFIRMED:
        return None
    gateway = gateway_for(config)
    method = "stripe" if gateway else "invoice"
    length = (
        dt.timedelta(minutes=config.hold_minutes)
        if gateway
        else dt.timedelta(days=config.invoice_hold_days)
    )
    with transaction(db):
        payment = store.open_hold(
            db,
            workshop=workshop.slug,
            email=person["email"],
            queue=person["queue"],
            seats=person["seats"],
            amount=minor_units(Decimal(workshop.price), workshop.currency) * person["seats"],
            currency=workshop.currency,
            method=method,
            until=now + length,
            now=now,
        )
        if gateway is None:
            queue_mail(db, payment, "hold", now, promoted=promoted)
            return payment
    return await attach_checkout(db, config, workshop, payment, now, call, promoted)


async def attach_checkout(
    db,
    config: InboxConfig,
    workshop: WorkshopEntry,
    payment: store.Payment,
    now,
    call: Call,
    promoted: bool = False,
) -> store.Payment:
    """Give a held card payment its Checkout Session (once: the idempotency key is the hold's)
    and queue the e-mail carrying its link. A Stripe failure leaves the hold without one; the
    sweep tries again."""
    gateway = gateway_for(config)
    if gateway is None or payment.session_id or payment.status != HELD:
        return payment
    deadline = _hold_end(payment)
    site = config.site_url.rstrip("/")
    try:
        checkout = await call(
            gateway.create_checkout,
            key=f"letterpress-hold-{payment.id}",
            title=f"{workshop.title}: {payment.seats} seat{'s' if payment.seats != 1 else ''}",
            unit_amount=minor_units(Decimal(workshop.price), workshop.currency),
            currency=workshop.currency,
            quantity=payment.seats,
            email=payment.email,
            success_url=f"{site}/{workshop.url.lstrip('/')}#paid" if site else config.inbox_url,
            expires_at=session_expiry(now, deadline),
            metadata={"workshop": payment.workshop, "payment": str(payment.id)},
        )
    except PaymentServiceError as error:
        log.warning("hold %s kept without a payment link for now: %s", payment.id, error)
        return payment
    with transaction(db):
        store.attach_session(db, payment.id, checkout.session_id, checkout.url, now)
        payment = _reread(db, payment.id)
        queue_mail(db, payment, "hold", now, promoted=promoted)
    return payment


# ---- Stripe's events --------------------------------------------------------------------------


async def handle_event(
    db, config: InboxConfig, workshops: Mapping[str, WorkshopEntry], event: dict, now, call: Call
) -> str:
    """Act on one verified event, once; returns what was done (for the log and the answer).
    PaymentServiceError when Stripe cannot be asked about the session: the webhook then answers
    503 and Stripe delivers the event again later."""
    event_id, kind = event.get("id", ""), event.get("type", "")
    session_id = (event.get("data", {}).get("object") or {}).get("id", "")
    if store.event_seen(db, event_id):
        return "already handled"
    if kind not in SESSION_EVENTS:
        with transaction(db):
            store.record_event(db, event_id, kind, "", "not an event Letterpress acts on", now)
        return "ignored"
    payment = store.by_session(db, session_id)
    if payment is None:
        with transaction(db):
            store.record_event(db, event_id, kind, session_id, "not a Letterpress session", now)
        return "not ours"
    gateway = gateway_for(config)
    if gateway is None:  # the webhook answers 404 before verifying when Stripe is not set up
        raise PaymentServiceError(
            "Card payments are not set up on this inbox (no stripe_secret_key)."
        )
    state: SessionState = await call(gateway.session, session_id)
    workshop = workshops.get(payment.workshop)
    if state.paid:
        return await _paid(db, config, workshop, payment, state, event_id, kind, now, call)
    if state.status == "expired":
        with transaction(db):
            if not store.record_event(db, event_id, kind, session_id, "session expired", now):
                return "already handled"
        if workshop is not None:
            await release(db, config, workshop, _reread(db, payment.id), now, call)
        return "session expired"
    with transaction(db):
        store.record_event(db, event_id, kind, session_id, f"session {state.status}, unpaid", now)
    return "not paid yet"


async def _paid(db, config, workshop, payment, state, event_id, kind, now, call) -> str:
    """The money is in: confirm the seats, or, if they went to someone else meanwhile, refund."""
    capacity = workshop.seats if workshop else 0
    with transaction(db):
        if not store.record_event(db, event_id, kind, state.session_id, "paid", now):
            return "already handled"
        payment = _reread(db, payment.id)
        person = _registration(db, payment.workshop, payment.email)
        still_held = (
            person is not None
            and person["status"] == CONFIRMED
            and person["queue"] == payment.queue
        )
        someone_waiting = db.execute(
            "SELECT EXISTS (SELECT 1 FROM registrations WHERE workshop = ? AND status = ?)",
            (payment.workshop, WAITLISTED),
        ).fetchone()[0]
        free = (
            person is not None
            and decide(capacity, seats_taken(db, payment.workshop), someone_waiting, payment.seats)
            == CONFIRMED
        )
        decision = on_payment(payment.status, still_held, free)
        paid = {"payment_intent": state.payment_intent, "paid_amount": state.amount_total}
        if decision == CONFIRM:
            if not still_held:  # the hold had run out, but the seats are still free: take them
                # (confirming without the hold needs `free`, and `free` needs the registration)
                assert person is not None
                db.execute(
                    "UPDATE registrations SET status = ?, updated = ? WHERE id = ?",
                    (CONFIRMED, store.stamp(now), person["id"]),
                )
            store.set_status(db, payment.id, PAID, now, "paid by card", hold_until=None, **paid)
            queue_mail(db, _reread(db, payment.id), "paid", now)
            return "confirmed"
        if decision == REFUND:
            note = (
                "paid after cancelling"
                if payment.status == CANCELLED
                else "paid after the hold ended and the seats had gone to someone else"
            )
            store.set_status(
                db, payment.id, REFUND_DUE, now, note, refund_amount=state.amount_total, **paid
            )
        else:
            return f"nothing to do (the payment is {payment.status})"
    await settle_refund(db, config, _reread(db, payment.id), now, call, "late_refund")
    return "refunded: the seats had gone to someone else"


# ---- expiry, refunds, the sweep ---------------------------------------------------------------


async def release(db, config, workshop: WorkshopEntry, payment, now, call: Call) -> list[str]:
    """An unpaid hold is over: close its Checkout Session, give its seats to those waiting (each
    promoted person gets a hold and a payment link of their own), tell the person. Returns the
    addresses promoted."""
    if payment is None or payment.status != HELD:
        return []
    gateway = gateway_for(config)
    if gateway is not None and payment.session_id:
        try:
            await call(gateway.expire, payment.session_id)
        except PaymentServiceError as error:
            # The seats go anyway: a payment that still lands is refunded (never a seat twice).
            log.warning(
                "hold %s released; its session is still open at Stripe: %s", payment.id, error
            )
    try:
        promoted = cancel(db, payment.workshop, payment.email, workshop.seats, now=now)
    except NotRegistered:
        promoted = []  # cancelled already (the author, or a crash after this step)
    with transaction(db):
        current = _reread(db, payment.id)
        if current.status != HELD:
            return promoted
        store.set_status(db, payment.id, EXPIRED, now, "not paid in time")
        queue_mail(db, _reread(db, payment.id), "expired", now)
    for email in promoted:
        await start_payment(db, config, workshop, email, now, call, promoted=True)
    return promoted


async def settle_refund(db, config, payment, now, call: Call, what: str = "refunded") -> None:
    """Send back `refund_amount` of a payment marked refund_due, once (the refund's idempotency
    key is the payment's); on failure it stays due and the sweep tries again."""
    if payment.status != REFUND_DUE:
        return
    gateway = gateway_for(config)
    if gateway is None or not payment.payment_intent:
        return  # an invoice payment: the author sends the money back by hand (the roster says)
    try:
        refund_id = await call(
            gateway.refund,
            key=f"letterpress-refund-{payment.id}",
            payment_intent=payment.payment_intent,
            amount=payment.refund_amount,
            metadata={"workshop": payment.workshop, "payment": str(payment.id)},
        )
    except PaymentServiceError as error:
        log.warning("refund of payment %s still due: %s", payment.id, error)
        return
    with transaction(db):
        store.set_status(db, payment.id, REFUNDED, now, payment.note, refund_id=refund_id)
        queue_mail(db, _reread(db, payment.id), what, now)


async def sweep(db, config, workshops: Mapping[str, WorkshopEntry], now, call: Call) -> dict:
    """What the inbox does every few seconds: release holds whose time is up, give payment links
    to holds that lack one, send refunds still due, remind invoice payers a day before the end."""
    done = {"released": 0, "links": 0, "refunds": 0, "reminders": 0}
    for payment in store.holds_due(db, now):
        workshop = workshops.get(payment.workshop)
        if workshop is not None:
            await release(db, config, workshop, payment, now, call)
            done["released"] += 1
    if gateway_for(config) is not None:
        stale = store.stamp(now - LINK_RETRY_AFTER)
        for payment in store.in_status(db, HELD):
            workshop = workshops.get(payment.workshop)
            lacking = payment.method == "stripe" and not payment.session_id
            if lacking and payment.created <= stale and workshop is not None:
                await attach_checkout(db, config, workshop, payment, now, call)
                done["links"] += 1
    for payment in store.in_status(db, REFUND_DUE):
        await settle_refund(
            db,
            config,
            payment,
            now,
            call,
            "late_refund" if "after the hold" in payment.note else "refunded",
        )
        done["refunds"] += 1
    done["upcoming"] = remind_attendees(db, config, workshops, now)
    for payment in store.in_status(db, HELD):
        ends = _hold_end(payment)
        if payment.method == "invoice" and not payment.reminded and ends - INVOICE_REMINDER <= now:
            with transaction(db):
                store.set_status(db, payment.id, HELD, now, payment.note, reminded=1)
                queue_mail(db, payment, "reminder", now)
            done["reminders"] += 1
    return done


def remind_attendees(db, config, workshops: Mapping[str, WorkshopEntry], now) -> int:
    """Queue, once per registration, the reminder `reminder_days` before a workshop to everyone
    holding a confirmed seat (paid, at a workshop with a price). Returns how many were queued."""
    if config.reminder_days <= 0:
        return 0
    queued = 0
    for workshop in workshops.values():
        if not workshop.start - dt.timedelta(days=config.reminder_days) <= now < workshop.start:
            continue
        paid = store.for_workshop(db, workshop.slug)
        rows = db.execute(
            "SELECT id, name, email, seats, queue FROM registrations"
            " WHERE workshop = ? AND status = ?",
            (workshop.slug, CONFIRMED),
        ).fetchall()
        with transaction(db):
            for row in rows:
                payment = paid.get((row["email"], row["queue"]))
                if is_paid(workshop) and (payment is None or payment.status != PAID):
                    continue  # a hold still unpaid is reminded of its deadline, not of the day
                facts = {
                    "workshop": workshop.slug,
                    "name": row["name"],
                    "seats": row["seats"],
                    "status": "upcoming",
                    "registration": row["id"],
                    "queue": row["queue"],
                }
                key = f"{workshop.slug}:{row['queue']}:upcoming"
                queued += notify_store.queue(db, "registration", key, row["email"], facts, now)
    return queued


# ---- the author's and the attendee's actions --------------------------------------------------


def record_invoice_payment(db, slug: str, email: str, now: dt.datetime) -> store.Payment:
    """`invoke workshops.paid`: the money came by transfer; the seats are confirmed."""
    with transaction(db):
        payment = store.latest(db, slug, email)
        if payment is None or payment.status not in (HELD, EXPIRED):
            state = payment.status if payment else "no payment"
            raise NotRegistered(
                f"{email.strip().lower()} owes nothing for '{slug}' ({state}); "
                "see invoke workshops.roster."
            )
        if payment.status == EXPIRED:
            raise NotRegistered(
                f"{email} was not paid in time: the hold ended and the seats went back. Have "
                "them register again, or refund the transfer."
            )
        store.set_status(
            db,
            payment.id,
            PAID,
            now,
            "paid by transfer",
            paid_amount=payment.amount,
            hold_until=None,
        )
        queue_mail(db, _reread(db, payment.id), "paid", now)
        return _reread(db, payment.id)


async def cancel_paid(
    db, config, workshop: WorkshopEntry, email: str, now, call: Call, refund: bool | None = None
) -> tuple[store.Payment | None, list[str]]:
    """Cancel `email`'s registration at a workshop with a price: the seats go to those waiting,
    and the payment is refunded as the policy says (`refund` True/False overrides it: the
    author's --refund/--no-refund). Returns the payment as it ends and who was promoted."""
    from letterpress.payments.policy import refund_for

    payment = store.latest(db, workshop.slug, email)
    promoted = cancel(db, workshop.slug, email, workshop.seats, now=now)
    if payment is None:
        return None, promoted
    with transaction(db):
        payment = _reread(db, payment.id)
        if payment.status == PAID:
            due = refund_for(payment.paid_amount, workshop.start, workshop.refund_days, now)
            amount, why = due.amount, due.reason
            if refund is not None:  # the author's decision, over the policy
                amount = payment.paid_amount if refund else 0
                why = "The organiser cancelled it without a refund: nothing is refunded."
            if amount > 0:
                store.set_status(db, payment.id, REFUND_DUE, now, "cancelled", refund_amount=amount)
            else:
                store.set_status(db, payment.id, CANCELLED, now, f"cancelled: {why}")
                queue_mail(db, _reread(db, payment.id), "cancelled", now)
        elif payment.status == HELD:
            store.set_status(db, payment.id, CANCELLED, now, "cancelled before paying")
            queue_mail(db, _reread(db, payment.id), "cancelled", now)
    payment = _reread(db, payment.id)
    gateway = gateway_for(config)
    if payment.status == CANCELLED and payment.session_id and gateway is not None:
        try:  # nobody may pay for a seat they gave up (a payment that still lands is refunded)
            await call(gateway.expire, payment.session_id)
        except PaymentServiceError as error:
            log.warning("payment %s cancelled; its session is still open: %s", payment.id, error)
    if payment.status == REFUND_DUE and gateway is not None and payment.session_id:
        await settle_refund(db, config, payment, now, call)
    for promoted_email in promoted:
        await start_payment(db, config, workshop, promoted_email, now, call, promoted=True)
    return _reread(db, payment.id), promoted


def roster_payments(db: sqlite3.Connection, slug: str) -> dict[tuple[str, int], store.Payment]:
    return store.for_workshop(db, slug)
