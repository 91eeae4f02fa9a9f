"""Workshop registration in the inbox: the form's endpoint and the author's admin API.

POST /workshops/<slug>/registrations            a person registers (form or JSON)
GET  /workshops/<slug>/registrations            the roster (admin token)
POST /workshops/<slug>/registrations/cancel     cancel one e-mail's registration (admin token)

Seats and state come from the site manifest; names, e-mails and phones stay in this database.
Each network may register a few people per window (LETTERPRESS_REGISTRATION_RATE), and a ticked
newsletter box counts against the sign-up allowance too: a registration makes the mailing
service write to the address given.
"""

import datetime as dt
import logging
import re
from dataclasses import asdict

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from letterpress.fields import (
    clean_line,
    clean_multiline,
    has_letter_or_digit,
    normalise_email,
    says_yes,
)
from letterpress.mailing.base import Contact, MailingError
from letterpress.manifest import WorkshopEntry
from letterpress.notify import queueing
from letterpress.notify.transport import without_addresses
from letterpress.payments import roster as money
from letterpress.payments import store as payment_store
from letterpress.workshops.seats import WAITLISTED, state_now

from . import payment_flow
from .auth import admin_only
from .db import transaction
from .errors import Gone, InboxError, NotAllowed, NotFound
from .forms import read_fields
from .origins import check_origin
from .registration_store import (
    NotRegistered,
    Outcome,
    Registration,
    cancel,
    confirmed_among,
    counts,
    register,
    roster,
)
from .responses import accepted
from .sender_limits import WINDOW_SECONDS, Allowance, count_or_refuse
from .senders import client_network
from .site import page_address

__all__ = ["parse_registration", "routes"]


log = logging.getLogger(__name__)

FIELDS = ("name", "email", "seats", "phone", "message", "newsletter")
MAX_LENGTHS = {"name": 200, "email": 254, "phone": 40, "message": 2000}
_PHONE = re.compile(r"[0-9+()./ x-]*")
# The fragment of the workshop page that shows each outcome (CSS :target).
# "held" at a workshop with a price: held until paid; "check-email" at a free one: held until
# the person confirms with the e-mailed link (seat_holds.py).
FRAGMENTS = {
    "confirmed": "registered",
    "waitlisted": "waitlisted",
    "held": "held",
    "check-email": "check-email",
}


def parse_registration(fields: dict[str, str], limit: int) -> Registration:
    """Check the submitted fields; raise InboxError naming every field that is wrong, in the
    form's order, so the reader corrects them all at once."""
    values = {name: clean_line(fields.get(name, "")) for name in FIELDS}
    values["message"] = clean_multiline(fields.get("message", ""))
    problems = {
        name: f"The field “{name}” is longer than {longest} characters; please shorten it."
        for name, longest in MAX_LENGTHS.items()
        if len(values[name]) > longest
    }
    if not values["name"]:
        problems["name"] = "Please give your name (the field “name”)."
    elif not has_letter_or_digit(values["name"]):
        problems["name"] = (
            "A name must contain a letter or a digit that can be seen (the field “name”)."
        )
    email = normalise_email(fields.get("email", ""))
    if not values["email"]:
        problems["email"] = "Please give your e-mail address (the field “email”)."
    elif email is None:
        typed = values["email"]
        problems.setdefault(
            "email", f"“{typed}” does not look like an e-mail address (the field “email”)."
        )
    if not _PHONE.fullmatch(values["phone"]):
        problems.setdefault(
            "phone", "A phone number has digits, spaces and + ( ) - . only (the field “phone”)."
        )
    seats_text = values["seats"] or "1"
    seats = int(seats_text) if re.fullmatch(r"[0-9]{1,4}", seats_text) else 0
    if not 1 <= seats <= limit:
        problems["seats"] = (
            f"The number of seats (the field “seats”) must be from 1 to {limit}; "
            f"you asked for {seats_text}."
        )
    if problems or email is None:  # (an address that is not one is always among the problems)
        raise InboxError.of_fields([(name, problems[name]) for name in FIELDS if name in problems])
    return Registration(
        name=values["name"],
        email=email,
        seats=seats,
        phone=values["phone"],
        message=values["message"],
        newsletter=says_yes(values["newsletter"]),
    )


def _workshop(request: Request) -> WorkshopEntry:
    slug = request.path_params["slug"]
    entry = request.state.site.current().workshops.get(slug)
    if entry is None:
        raise NotFound(f"There is no workshop “{slug}” on this site.")
    return entry


def _open_state(workshop: WorkshopEntry, now: dt.datetime) -> str:
    """The state now; refuse with a reason unless registration (or its waiting list) is open."""
    current = state_now(workshop.state, workshop.start, workshop.end, now)
    if current == "past":
        raise Gone(
            f"“{workshop.title}” has already taken place, so it takes no more registrations."
        )
    if current == "closed":
        raise NotAllowed(f"Registration for “{workshop.title}” is closed.")
    return current


def _page_url(request: Request, workshop: WorkshopEntry) -> str:
    """The workshop page to send the browser back to: site URL from the configuration, the
    manifest, or the allowed origin; a path on this host when none is known."""
    return page_address(request.state.config, request.state.site.current(), workshop.url)


async def submit(request: Request):
    workshop = _workshop(request)
    slug = workshop.slug
    config = request.state.config
    now = config.clock()
    current = _open_state(workshop, now)
    check_origin(request)
    fields = await read_fields(request, FIELDS)
    person = parse_registration(fields, workshop.max_seats_per_registration)
    client = client_network(
        request.client.host if request.client else None, request.state.config.ipv6_prefix
    )
    # A seat with a price is held until paid: its e-mail, saying how to pay, is payment_flow's.
    costs_money = payment_flow.is_paid(workshop)

    # A free seat is held until the person confirms with the e-mailed link: only then is the
    # author told and the mailing list written (seat_holds.py). Anyone can type an address.
    hold = None if costs_money else config.seat_hold

    def take(db) -> Outcome:
        count_registration(db, config, client, person, now)
        outcome = register(
            db,
            slug,
            workshop.seats,
            person,
            now=now,
            hold=hold,
            waitlist_only=current == "waitlist",
        )
        if outcome.created:
            paying = costs_money and outcome.status == "confirmed"
            queue_confirmation(
                db,
                config,
                slug,
                person.email,
                now,
                tell_registrant=not paying,
                tell_author=costs_money,
            )
        return outcome

    # Through the group commit: a write lock held by another program is waited for off the loop.
    outcome = await request.state.writes.run(take)
    if outcome.created:
        if costs_money and outcome.status == "confirmed":
            await payment_flow.start_payment(
                request.state.db, config, workshop, person.email, now, call_in_thread
            )
        if costs_money:
            await tell_mailing(request.state.mailing, slug, person, outcome.status, False)
    # The same answer whether or not the address had registered (registration_store.register):
    # a seat with a price is "held" either way. The way to pay (Stripe's Checkout link, or the
    # transfer's details) goes only to the address, by e-mail: sending a new registration on to
    # Stripe and a repeated one to a page would tell a stranger the address had registered,
    # and paying through the e-mailed link proves the address is the payer's.
    status = "held" if costs_money and outcome.status == "confirmed" else outcome.status
    payload = {"workshop": slug, "status": status, "seats": outcome.seats}
    fragment = "check-email" if status == "held" and not costs_money else status
    location = f"{_page_url(request, workshop)}#{FRAGMENTS[fragment]}"
    return accepted(request, location, payload, status=201)


async def call_in_thread(function, *args, **kwargs):
    return await run_in_threadpool(function, *args, **kwargs)


def queue_confirmation(
    db,
    config,
    slug: str,
    email: str,
    now: dt.datetime,
    *,
    tell_registrant: bool = True,
    tell_author: bool = True,
) -> None:
    """Queue the registrant's e-mail for the state their registration is in (a hold or a
    waiting-list place with the link to confirm it; a confirmed seat with the .ics) and, unless
    turned off, the author's notice; the inbox's sender sends them."""
    author = config.author_email if config.author_notices and tell_author else ""
    with transaction(db):
        row = db.execute(
            "SELECT id, name, email, seats, message, status, queue, hold_until FROM registrations"
            " WHERE workshop = ? AND email = lower(?)",
            (slug, email),
        ).fetchone()
        if row is not None:
            queueing.registration_made(
                db, author, slug, dict(row), row["status"], now, tell_registrant=tell_registrant
            )


def count_registration(db, config, client: str, person: Registration, now: dt.datetime) -> None:
    """Count this registration (and its newsletter sign-up) for the sender's network, or refuse
    it with TooMany: a flood from one network can neither fill a workshop nor mail strangers."""
    minutes = WINDOW_SECONDS // 60
    allowances = [
        Allowance(
            "registration",
            config.registration_rate,
            f"Too many registrations from your network just now (the limit is "
            f"{config.registration_rate} every {minutes} minutes); please try again later.",
        )
    ]
    if person.newsletter:  # the same kind of event, and allowance, as POST /subscribe
        allowances.append(
            Allowance(
                "signup",
                config.signup_rate,
                "Too many newsletter sign-ups from your network just now; untick the newsletter "
                "box to register without it, or try again later.",
                field="newsletter",
            )
        )
    count_or_refuse(db, client, now.timestamp(), allowances)


async def tell_mailing(
    mailing, slug: str, person: Registration, status: str, confirmed: bool = True
) -> None:
    """Add the person to the list, tagged; subscribed to the newsletter only if they ticked it.
    `confirmed`: the person confirmed the registration with the e-mailed link, their own action,
    so the name they gave may replace the list's (Contact.confirmed).

    The seat is already recorded: a mailing failure is logged, never turned into a lost
    registration.
    """
    tags = (f"workshop:{slug}", "waitlist") if status == WAITLISTED else (f"workshop:{slug}",)
    contact = Contact(
        person.email, person.name, tags=tags, subscribe=person.newsletter, confirmed=confirmed
    )
    try:
        await run_in_threadpool(mailing.add_contact, contact)
    except MailingError as error:
        log.warning(
            "registration for %s kept; the mailing list was not updated: %s",
            slug,
            without_addresses(str(error)),
        )


async def off_the_waiting_list(mailing, slug: str, email: str) -> None:
    """A promoted person is no longer waiting; the seat is recorded whatever the list says."""
    try:
        await run_in_threadpool(mailing.untag, email, ("waitlist",))
    except MailingError as error:
        log.warning(
            "a person promoted at %s keeps the 'waitlist' tag: %s",
            slug,
            without_addresses(str(error)),
        )


@admin_only
async def list_roster(request: Request):
    workshop = _workshop(request)
    entries = roster(request.state.db, workshop.slug)
    found = money.lines(request.state.db, workshop.slug)
    return JSONResponse(
        {
            "workshop": workshop.slug,
            "title": workshop.title,
            "seats": workshop.seats,
            "counts": counts(request.state.db, workshop.slug),
            "registrations": [asdict(e) for e in entries],
            "lines": [asdict(line) for line in found],
            "totals": asdict(money.totals(found, workshop.currency)),
        }
    )


async def cancel_and_promote(
    state, workshop: WorkshopEntry, typed: str, refund: bool | None = None
) -> tuple[str, list[str]]:
    """Cancel the registration of the address `typed` and give the freed seats to those waiting,
    telling each (their e-mail, the mailing list's tag): what `invoke workshops.cancel` does, for
    the admin API and the moderation page. `state`: the request's state (db, config, mailing).
    At a workshop with a price, the payment is refunded as its policy says (`refund` True/False:
    the author's --refund/--no-refund) and each promoted person gets a hold and a payment link.
    Returns (the address cancelled, the addresses promoted); NotFound when none is registered."""
    typed = typed.strip()
    if not typed:
        raise InboxError("Say whose registration to cancel (the field “email”).", field="email")
    email = normalise_email(typed) or typed  # as it was stored; anything else is not registered
    slug, now = workshop.slug, state.config.clock()
    if payment_flow.is_paid(workshop):
        try:
            _, promoted = await payment_flow.cancel_paid(
                state.db, state.config, workshop, email, now, call_in_thread, refund
            )
        except NotRegistered as error:
            raise NotFound(str(error), field="email") from None
        for person in promoted:
            await off_the_waiting_list(state.mailing, slug, person)
        return email.lower(), promoted
    try:
        promoted = cancel(
            state.db, slug, email, workshop.seats, now=now, hold=state.config.seat_hold
        )
    except NotRegistered as error:
        raise NotFound(str(error), field="email") from None
    with transaction(state.db):
        queueing.seats_given(state.db, slug, promoted, now)
    # Those given a seat outright (their address confirmed) leave the list's waiting tag; the
    # others get a hold and the link, and reach the list when they confirm.
    for person in confirmed_among(state.db, slug, promoted):
        await off_the_waiting_list(state.mailing, slug, person)
    return email.lower(), promoted


@admin_only
async def cancel_registration(request: Request):
    workshop = _workshop(request)
    fields = await read_fields(request, ("email", "refund"))
    # The author's --refund/--no-refund; absent, the workshop's refund policy decides.
    refund = {"yes": True, "no": False}.get(fields.get("refund", "").strip().lower())
    email, promoted = await cancel_and_promote(
        request.state, workshop, fields.get("email", ""), refund
    )
    body: dict[str, object] = {"workshop": workshop.slug, "cancelled": email, "promoted": promoted}
    if payment_flow.is_paid(workshop):
        ended = payment_store.latest(request.state.db, workshop.slug, email)
        body["payment"] = asdict(ended) if ended else None
    return JSONResponse(body)


routes = [
    Route("/workshops/{slug}/registrations", submit, methods=["POST"]),
    Route("/workshops/{slug}/registrations", list_roster, methods=["GET"]),
    Route("/workshops/{slug}/registrations/cancel", cancel_registration, methods=["POST"]),
]
