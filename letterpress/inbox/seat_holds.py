"""A seat belongs to a verified person: the link that confirms a registration, and the release of
holds nobody confirmed.

  GET  /workshops/<slug>/registrations/confirm?r=…&q=…&t=…   a page asking to confirm (the
                                                             signed link in the e-mail)
  POST /workshops/<slug>/registrations/confirm?r=…&q=…&t=…   confirm: a live hold becomes a
                                                             confirmed seat; a waiting-list
                                                             place is marked verified

A GET changes nothing (mail programs and scanners open links on their own). Only a confirmed
registration reaches the author's notice and the mailing list, with the name and tags the person
gave: strangers cannot rename a member or tag them by typing their address.

In the background, every HOLD_CHECK_SECONDS, holds past their time lapse and their seats go to
the waiting list in order (registration_store.release_lapsed); everyone moved up is e-mailed.
"""

import asyncio
import logging

from starlette.requests import Request
from starlette.routing import Route

from letterpress.notify import queueing, tokens
from letterpress.workshops.seats import CANCELLED, CONFIRMED, WAITLISTED

from . import payment_flow
from .db import transaction
from .notifications import link_secret, page
from .registration_store import Registration, confirm, confirmed_among, release_lapsed
from .registrations import off_the_waiting_list, queue_confirmation, tell_mailing
from .site import ManifestError

__all__ = ["background", "routes"]

HOLD_CHECK_SECONDS = 30.0
log = logging.getLogger(__name__)

INVALID = (
    "This link is not valid (any more): it may have been cut short, or the registration it was "
    "made for has changed since. Nothing was changed."
)
DONE = {
    CONFIRMED: ("Registration confirmed", "Thank you: your seat at “{title}” is confirmed."),
    WAITLISTED: (
        "Address confirmed",
        "Thank you: you are on the waiting list for “{title}”. If a seat becomes free and it "
        "is your turn, it is yours at once, and we write to you.",
    ),
    CANCELLED: (
        "This hold has lapsed",
        "The seat held for you at “{title}” was not confirmed in time (or the registration was "
        "cancelled) and has gone to someone waiting. Register again on the workshop page.",
    ),
}


def _registration(request: Request) -> tuple[str, int, int] | None:
    """(workshop, registration Id, arrival) of a signed link; None when it is not valid."""
    slug = request.path_params["slug"]
    number, queue = request.query_params.get("r", ""), request.query_params.get("q", "")
    token = request.query_params.get("t", "")
    if not (number.isdigit() and queue.isdigit() and token):
        return None
    secret = link_secret(request.state.config, request.state.db)
    if not tokens.verify_registration(secret, slug, int(number), int(queue), token):
        return None
    return slug, int(number), int(queue)


def _title(request: Request, slug: str) -> str:
    try:
        workshop = request.state.site.current().workshops.get(slug)
    except ManifestError:
        workshop = None
    return workshop.title if workshop else slug


async def confirm_page(request: Request):
    found = _registration(request)
    if found is None:
        return page(request, "Link not valid", INVALID, status=404)
    title = _title(request, found[0])
    return page(
        request,
        "Confirm your registration?",
        f"Confirm your registration for “{title}”: a seat held for you becomes yours, or your "
        "place on the waiting list is kept.",
        action=f"{request.url.path}?{request.url.query}",
        button="Confirm my registration",
    )


async def confirm_registration(request: Request):
    found = _registration(request)
    if found is None:
        return page(request, "Link not valid", INVALID, status=404)
    slug, number, queue = found
    config, db = request.state.config, request.state.db
    was = db.execute(
        "SELECT status, verified FROM registrations WHERE id = ?", (number,)
    ).fetchone()
    row = confirm(db, slug, number, queue, now=config.clock())
    if row is None:
        return page(request, "Link not valid", INVALID, status=404)
    status = row["status"]
    first_time = was is not None and (was["status"], was["verified"]) != (status, row["verified"])
    if first_time and status in (CONFIRMED, WAITLISTED):
        queue_confirmation(db, config, slug, row["email"], config.clock())
        person = Registration(
            row["name"], row["email"], row["seats"], newsletter=bool(row["newsletter"])
        )
        await tell_mailing(request.state.mailing, slug, person, status)
    heading, message = DONE.get(status, DONE[CANCELLED])
    return page(
        request,
        heading,
        message.format(title=_title(request, slug)),
        status=410 if status == CANCELLED else 200,
    )


async def release(state: dict) -> None:
    """Let lapsed holds go, for every workshop the site lists, and tell those moved up."""
    config, db = state["config"], state["db"]
    try:
        workshops = state["site"].current().workshops
    except ManifestError:
        return
    for slug, workshop in workshops.items():
        if payment_flow.is_paid(workshop):  # a payment holds those seats: payment_flow.sweep
            continue
        now = config.clock()
        lapsed, moved = release_lapsed(db, slug, workshop.seats, now=now, hold=config.seat_hold)
        if not (lapsed or moved):
            continue
        with transaction(db):
            queueing.seats_given(db, slug, moved, now)
        for person in confirmed_among(db, slug, moved):
            await off_the_waiting_list(state["mailing"], slug, person)
        log.info("%s: %s hold(s) lapsed, %s moved up", slug, lapsed, len(moved))


async def background(state: dict) -> None:
    """Release lapsed holds at start-up, then every HOLD_CHECK_SECONDS while the server runs."""
    while True:
        try:
            await release(state)
        except Exception:  # a locked database or a bad manifest: the next round tries again
            log.exception("releasing lapsed seat holds failed; trying again shortly")
        await asyncio.sleep(HOLD_CHECK_SECONDS)


routes = [
    Route("/workshops/{slug}/registrations/confirm", confirm_page, methods=["GET"]),
    Route("/workshops/{slug}/registrations/confirm", confirm_registration, methods=["POST"]),
]
