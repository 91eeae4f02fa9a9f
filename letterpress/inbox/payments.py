"""Payments in the inbox: Stripe's webhook, the attendee's cancel link, and the sweep.

POST /payments/stripe/webhook    Stripe's events, signature verified (stripe_webhook_secret);
                                 each handled once, however often it is delivered
GET  /workshops/cancel?r=…&t=…   the signed link in the confirmation: what cancelling would do
                                 (the refund, or why there is none), and a button to confirm
POST /workshops/cancel?r=…&t=…   cancel: the seats go to the waiting list, the refund is made
POST /workshops/<slug>/payments/paid   the author records a transfer (admin; workshops.paid)

Beside the server, the sweep runs every few seconds (payment_flow.sweep): unpaid holds whose time
is up give their seats to the waiting list, a hold whose payment link could not be made gets one,
refunds still due are made, invoice payers are reminded a day before their hold ends.
"""

import asyncio
import logging
from dataclasses import asdict

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from letterpress.manifest import ManifestError
from letterpress.notify import queueing
from letterpress.notify.messages import TEMPLATES
from letterpress.payments import links, store
from letterpress.payments.gateway import PaymentServiceError, WebhookRejected
from letterpress.payments.holds import HELD, PAID
from letterpress.payments.money import format_amount
from letterpress.payments.policy import refund_for

from . import payment_flow
from .auth import admin_only
from .db import transaction
from .errors import InboxError, NotFound
from .forms import read_fields
from .notifications import link_secret
from .registration_store import NotRegistered, cancel
from .site import site_base

__all__ = ["background", "routes"]

SWEEP_SECONDS = 2.0

log = logging.getLogger(__name__)
_PAGES = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


async def call_in_thread(function, *args, **kwargs):
    """Stripe's library blocks: its calls run in a worker thread, the database stays here."""
    return await run_in_threadpool(function, *args, **kwargs)


async def stripe_webhook(request: Request) -> JSONResponse:
    config = request.state.config
    gateway = payment_flow.gateway_for(config)
    if gateway is None:
        raise NotFound("Card payments are not set up on this inbox (no stripe_secret_key).")
    payload = await request.body()
    # Stripe reads the status only; the body (always JSON) is for whoever looks at its log.
    try:
        event = gateway.verify(payload, request.headers.get("stripe-signature", ""))
    except WebhookRejected as error:
        log.warning("Stripe webhook refused: %s", error)
        return JSONResponse({"error": str(error)}, status_code=400)
    workshops = request.state.site.current().workshops
    try:
        outcome = await payment_flow.handle_event(
            request.state.db, config, workshops, event, config.clock(), call_in_thread
        )
    except PaymentServiceError as error:
        # Not recorded as handled: Stripe delivers the event again later.
        message = f"The event will be handled when Stripe answers again: {error}"
        return JSONResponse({"error": message}, status_code=503)
    log.info("Stripe event %s (%s): %s", event.get("id"), event.get("type"), outcome)
    return JSONResponse({"received": True, "outcome": outcome})


# ---- the attendee's cancel link ---------------------------------------------------------------


def _linked_registration(request: Request):
    """The registration a signed cancel link names; None when the link is not (any more) valid."""
    db = request.state.db
    raw, token = request.query_params.get("r", ""), request.query_params.get("t", "")
    if not raw.isdigit() or not token:
        return None
    row = db.execute(
        "SELECT id, workshop, email, name, seats, status, queue FROM registrations WHERE id = ?",
        (int(raw),),
    ).fetchone()
    secret = link_secret(request.state.config, db)
    if row is None or not links.verify(secret, row["id"], row["queue"], row["email"], token):
        return None
    return row


def _page(request: Request, title: str, message: str, action: str = "", status: int = 200):
    try:
        site = site_base(request.state.config, request.state.site.current())
    except ManifestError:
        site = request.state.config.site_url
    html = _PAGES.get_template("cancel.html").render(
        title=title, message=message, action=action, site=site
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


INVALID = (
    "This cancel link is not valid (any more): it may have been cut short, or the registration "
    "it was made for has changed. Nothing was changed; reply to the confirmation e-mail instead."
)


def _what_cancelling_does(request: Request, row) -> str:
    """The sentence the page shows before the person confirms: the refund, or why there is none."""
    db, now = request.state.db, request.state.config.clock()
    workshop = request.state.site.current().workshops.get(row["workshop"])
    seats = f"{row['seats']} seat{'s' if row['seats'] != 1 else ''}"
    if row["status"] == "waitlisted":
        return f"You will leave the waiting list for “{workshop.title}”."
    payment = store.latest(db, row["workshop"], row["email"])
    freed = f"Your {seats} at “{workshop.title}” will go to the first person waiting."
    if payment is None or payment.status == HELD:
        return f"{freed} Nothing has been paid, so nothing is refunded."
    if payment.status != PAID:
        return freed
    due = refund_for(payment.paid_amount, workshop.start, workshop.refund_days, now)
    if due.amount:
        return (
            f"{freed} {format_amount(due.amount, payment.currency)} will be refunded to your card."
        )
    return f"{freed} {due.reason}"


async def cancel_page(request: Request):
    row = _linked_registration(request)
    if row is None or row["status"] == "cancelled":
        return _page(request, "Link not valid", INVALID, status=404)
    return _page(
        request,
        "Cancel your registration?",
        _what_cancelling_does(request, row),
        action=f"{request.url.path}?{request.url.query}",
    )


async def cancel_now(request: Request):
    row = _linked_registration(request)
    if row is None or row["status"] == "cancelled":
        return _page(request, "Link not valid", INVALID, status=404)
    config, db = request.state.config, request.state.db
    workshop = request.state.site.current().workshops.get(row["workshop"])
    if workshop is None:
        raise NotFound(f"There is no workshop “{row['workshop']}” on this site any more.")
    now = config.clock()
    said = _what_cancelling_does(request, row)
    try:
        if payment_flow.is_paid(workshop):
            await payment_flow.cancel_paid(db, config, workshop, row["email"], now, call_in_thread)
        else:
            promoted = cancel(db, workshop.slug, row["email"], workshop.seats, now=now)
            with transaction(db):
                queueing.seats_given(db, workshop.slug, promoted, now)
    except NotRegistered:
        return _page(request, "Link not valid", INVALID, status=404)
    return _page(request, "Cancelled", f"Done. {said}")


# ---- the author's admin API -------------------------------------------------------------------


@admin_only
async def invoice_paid(request: Request):
    """POST /workshops/<slug>/payments/paid (email): the transfer arrived; confirm the seats."""
    slug = request.path_params["slug"]
    fields = await read_fields(request, ("email",))
    email = fields.get("email", "").strip()
    if not email:
        raise InboxError("Say whose payment arrived (the field “email”).", field="email")
    try:
        paid = payment_flow.record_invoice_payment(
            request.state.db, slug, email, request.state.config.clock()
        )
    except NotRegistered as error:
        raise NotFound(str(error), field="email") from None
    return JSONResponse({"workshop": slug, "payment": asdict(paid)})


# ---- the sweep --------------------------------------------------------------------------------


async def background(state) -> None:
    db, config, site = state["db"], state["config"], state["site"]
    while True:
        await asyncio.sleep(SWEEP_SECONDS)
        try:
            workshops = site.current().workshops
            await payment_flow.sweep(db, config, workshops, config.clock(), call_in_thread)
        except ManifestError as error:
            log.warning("payments sweep waits for the manifest: %s", error)
        except Exception:  # the sweep must outlive any one bad row; it says which
            log.exception("payments sweep failed; trying again in %s s", SWEEP_SECONDS)


routes = [
    Route("/payments/stripe/webhook", stripe_webhook, methods=["POST"]),
    Route("/workshops/cancel", cancel_page, methods=["GET"]),
    Route("/workshops/cancel", cancel_now, methods=["POST"]),
    Route("/workshops/{slug}/payments/paid", invoice_paid, methods=["POST"]),
]
