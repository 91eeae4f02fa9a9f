"""Workshop registration in the inbox: the form's endpoint and the author's admin API.

POST /workshops/<slug>/registrations            a person registers (form or JSON)
GET  /workshops/<slug>/registrations            the roster (admin token)
POST /workshops/<slug>/registrations/cancel     cancel one e-mail's registration (admin token)

Seats and state come from the site manifest; names, e-mails and phones stay in this database.
"""

import datetime as dt
import logging
import re
from dataclasses import asdict

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from letterpress.clock import TODAY_VARIABLE, build_date
from letterpress.mailing.base import Contact, MailingError
from letterpress.workshops.seats import WAITLISTED, state_now

from .answers import InboxError, accepted, looks_like_email, read_fields, says_yes
from .auth import admin_only
from .registration_store import SCHEMA, NotRegistered, Registration, cancel, register, roster
from .site import page_address

__all__ = ["SCHEMA", "parse_registration", "routes"]

log = logging.getLogger(__name__)

FIELDS = ("name", "email", "seats", "phone", "message", "newsletter")
MAX_LENGTHS = {"name": 200, "email": 254, "phone": 40, "message": 2000}
_PHONE = re.compile(r"^[0-9+()./ x-]*$")
# The fragment of the workshop page that shows each outcome (CSS :target).
FRAGMENTS = {"confirmed": "registered", "waitlisted": "waitlisted"}


def parse_registration(fields: dict[str, str], limit: int) -> Registration:
    """Check the submitted fields; raise InboxError naming the first field that is wrong."""
    values = {name: fields.get(name, "").strip() for name in FIELDS}
    for name, longest in MAX_LENGTHS.items():
        if len(values[name]) > longest:
            raise InboxError(
                f"The field “{name}” is longer than {longest} characters; please shorten it.",
                field=name,
            )
    if not values["name"]:
        raise InboxError("Please give your name (the field “name”).", field="name")
    if not values["email"]:
        raise InboxError("Please give your e-mail address (the field “email”).", field="email")
    if not looks_like_email(values["email"]):
        raise InboxError(
            f"“{values['email']}” does not look like an e-mail address (the field “email”).",
            field="email",
        )
    if not _PHONE.match(values["phone"]):
        raise InboxError(
            "A phone number has digits, spaces and + ( ) - . only (the field “phone”).",
            field="phone",
        )
    seats_text = values["seats"] or "1"
    seats = int(seats_text) if re.fullmatch(r"[0-9]{1,4}", seats_text) else 0
    if not 1 <= seats <= limit:
        raise InboxError(
            f"The number of seats (the field “seats”) must be from 1 to {limit}; "
            f"you asked for {seats_text}.",
            field="seats",
        )
    return Registration(
        name=values["name"],
        email=values["email"],
        seats=seats,
        phone=values["phone"],
        message=values["message"],
        newsletter=says_yes(values["newsletter"]),
    )


def _workshop(request: Request) -> tuple[str, dict]:
    slug = request.path_params["slug"]
    entry = request.state.site.current().workshops.get(slug)
    if entry is None:
        raise InboxError(f"There is no workshop “{slug}” on this site.", status=404)
    return slug, entry


def _now(request: Request) -> dt.datetime:
    """Now; noon UTC on $LETTERPRESS_TODAY when it is set, as the build does for tests."""
    environ = request.state.config.environ
    if environ.get(TODAY_VARIABLE, "").strip():
        return dt.datetime.combine(build_date("UTC", environ), dt.time(12), tzinfo=dt.UTC)
    return dt.datetime.now(dt.UTC)


def _open_state(slug: str, entry: dict, now: dt.datetime) -> str:
    """The state now; refuse with a reason unless registration (or its waiting list) is open."""
    start = dt.datetime.fromisoformat(entry["start"])
    end = dt.datetime.fromisoformat(entry["end"])
    current = state_now(entry["state"], start, end, now)
    title = entry.get("title", slug)
    if current == "past":
        raise InboxError(
            f"“{title}” has already taken place, so it takes no more registrations.", status=410
        )
    if current == "closed":
        raise InboxError(f"Registration for “{title}” is closed.", status=403)
    return current


def _page_url(request: Request, entry: dict) -> str:
    """The workshop page to send the browser back to: site URL from the configuration, the
    manifest, or the allowed origin; a path on this host when none is known."""
    return page_address(request.state.config, request.state.site.current(), entry["url"])


async def submit(request: Request):
    slug, entry = _workshop(request)
    current = _open_state(slug, entry, _now(request))
    fields = await read_fields(request, FIELDS)
    person = parse_registration(fields, int(entry.get("max_seats_per_registration", 2)))
    outcome = register(
        request.state.db,
        slug,
        int(entry["seats"]),
        person,
        waitlist_only=current == "waitlist",
    )
    if outcome.created:
        await _tell_mailing(request.state.mailing, slug, person, outcome.status)
    payload = {
        "workshop": slug,
        "status": outcome.status,
        "seats": outcome.seats,
        "already_registered": not outcome.created,
    }
    location = f"{_page_url(request, entry)}#{FRAGMENTS[outcome.status]}"
    return accepted(request, location, payload, status=201 if outcome.created else 200)


async def _tell_mailing(mailing, slug: str, person: Registration, status: str) -> None:
    """Add the person to the list, tagged; subscribed to the newsletter only if they ticked it.

    The seat is already recorded: a mailing failure is logged, never turned into a lost
    registration.
    """
    tags = (f"workshop:{slug}", "waitlist") if status == WAITLISTED else (f"workshop:{slug}",)
    contact = Contact(person.email, person.name, tags=tags, subscribe=person.newsletter)
    try:
        await run_in_threadpool(mailing.add_contact, contact)
    except MailingError as error:
        log.warning("registration for %s kept; the mailing list was not updated: %s", slug, error)


async def _off_the_waiting_list(mailing, slug: str, email: str) -> None:
    """A promoted person is no longer waiting; the seat is recorded whatever the list says."""
    try:
        await run_in_threadpool(mailing.untag, email, ("waitlist",))
    except MailingError as error:
        log.warning("%s now holds a seat at %s; 'waitlist' tag not removed: %s", email, slug, error)


@admin_only
async def list_roster(request: Request):
    slug, entry = _workshop(request)
    entries = roster(request.state.db, slug)
    return JSONResponse(
        {
            "workshop": slug,
            "seats": entry["seats"],
            "registrations": [asdict(e) for e in entries],
        }
    )


@admin_only
async def cancel_registration(request: Request):
    slug, entry = _workshop(request)
    fields = await read_fields(request, ("email",))
    email = fields.get("email", "").strip()
    if not email:
        raise InboxError("Say whose registration to cancel (the field “email”).", field="email")
    try:
        promoted = cancel(request.state.db, slug, email, int(entry["seats"]))
    except NotRegistered as error:
        raise InboxError(str(error), field="email", status=404) from None
    for person in promoted:
        await _off_the_waiting_list(request.state.mailing, slug, person)
    return JSONResponse({"workshop": slug, "cancelled": email.lower(), "promoted": promoted})


routes = [
    Route("/workshops/{slug}/registrations", submit, methods=["POST"]),
    Route("/workshops/{slug}/registrations", list_roster, methods=["GET"]),
    Route("/workshops/{slug}/registrations/cancel", cancel_registration, methods=["POST"]),
]
