"""The e-mail the inbox sends, as an inbox feature: the unsubscribe link, the author's replies,
and the background sender.

  GET  /notifications/unsubscribe?c=…&t=…   a page asking to confirm (the signed link in e-mail)
  POST /notifications/unsubscribe?c=…&t=…   unsubscribe: from the page, or a mail program's
                                            one-click (RFC 8058, body List-Unsubscribe=One-Click)
  POST /notifications/replies               the author's reply, written straight into the site's
                                            files, so its parent's writer is told (admin)
  GET  /notifications/queue                 what waits to be sent, and why (admin)

The sender runs beside the server: it looks at the queue every second, sends reply e-mail and
confirmations at once and the author's notices in batches (LETTERPRESS_NOTIFY_DELAY), and after a
failure waits before trying again. Queued rows are claimed, so `invoke notifications.send` and
the server never send one twice.
"""

import asyncio
import logging
import sqlite3

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from letterpress.notify import queueing, store, tokens
from letterpress.notify.messages import TEMPLATES
from letterpress.notify.sending import Report, delivery, prepare, record, try_send

from .auth import admin_only
from .config import InboxConfig
from .db import transaction
from .errors import InboxError
from .forms import read_fields
from .outgoing_mail import letterhead, transport_for
from .site import ManifestError, site_base

__all__ = ["background", "routes"]

POLL_SECONDS = 1.0
REPLY_FIELDS = ("id", "essay", "parent", "author", "body")

log = logging.getLogger(__name__)
_PAGES = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def link_secret(config: InboxConfig, db: sqlite3.Connection) -> str:
    return str(config.secret) or store.database_secret(db)


def page(
    request: Request,
    title: str,
    message: str,
    status: int = 200,
    action: str = "",
    button: str = "",
):
    """A small page of the inbox's own (a link's answer): a title, a sentence, and a form
    posting back to `action` with `button` when the link asks to be confirmed."""
    try:
        site = site_base(request.state.config, request.state.site.current())
    except ManifestError:
        site = request.state.config.site_url
    html = _PAGES.get_template("unsubscribe.html").render(
        title=title, message=message, action=action, site=site, button=button
    )
    return HTMLResponse(html, status_code=status)


def _address_of_link(request: Request) -> str | None:
    """The address a signed link was made for; None when the link is not (or no longer) valid."""
    comment_id = request.query_params.get("c", "")
    token = request.query_params.get("t", "")
    db = request.state.db
    row = db.execute("SELECT email FROM comments WHERE id = ?", (comment_id,)).fetchone()
    if row is None or not row["email"] or not token:
        return None
    if not tokens.verify(link_secret(request.state.config, db), comment_id, row["email"], token):
        return None
    return row["email"]


INVALID = (
    "This link is not valid (any more): it may have been cut short, or the address it was made "
    "for has been removed. Nothing was changed."
)


async def unsubscribe_page(request: Request):
    email = _address_of_link(request)
    if email is None:
        return page(request, "Link not valid", INVALID, status=404)
    action = f"{request.url.path}?{request.url.query}"
    return page(
        request,
        "Stop reply notifications?",
        "You will get no more e-mail when someone replies to your comments, on any essay. "
        "Your comments stay as they are.",
        action=action,
    )


async def unsubscribe(request: Request):
    email = _address_of_link(request)
    if email is None:
        return page(request, "Link not valid", INVALID, status=404)
    db = request.state.db
    with transaction(db):
        store.drop_optins(db, email)
    return page(
        request,
        "Unsubscribed",
        "Done: this address gets no more e-mail about replies, from any thread. To hear of "
        "replies again, tick the box when you next comment.",
    )


@admin_only
async def author_reply(request: Request):
    fields = await read_fields(request, REPLY_FIELDS)
    missing = [name for name in REPLY_FIELDS if not fields.get(name, "").strip()]
    if missing:
        raise InboxError(f"The reply needs the field “{missing[0]}”.", field=missing[0])
    config, db = request.state.config, request.state.db
    with transaction(db):
        queued = queueing.author_replied(db, fields, config.clock(), config.author_email)
    answer = {"reply": fields["id"], "queued": queued}
    if queued:
        # Sent now rather than by the sender's next round, so the author's task can say what
        # happened ("sent", "queued (SMTP failed: …)", "written to the local outbox").
        transport = transport_for(config)
        report = await _send_replies_now(request.state, transport)
        answer["delivery"] = delivery(report, transport.name) or "queued"
    return JSONResponse(answer)


async def _send_replies_now(state, transport) -> Report:
    db, config = state.db, state.config
    try:
        manifest = state.site.current()
    except ManifestError:
        manifest = None
    head = letterhead(config, db, manifest)
    outgoing, report = prepare(db, head, config.clock(), ("reply",))
    for item in outgoing:
        error = await asyncio.to_thread(try_send, transport, item)
        record(db, report, item, error, config.clock())
    return report


@admin_only
async def show_queue(request: Request):
    rows = store.queued(request.state.db)
    return JSONResponse({"queued": [dict(row) for row in rows]})


async def send_due(state: dict, transport) -> None:
    """Send what is due now: reply e-mail and confirmations, the author's notices once the
    batch delay has passed, nothing whose back-off is not over."""
    db, config = state["db"], state["config"]
    kinds = store.due_kinds(db, config.clock(), config.notify_delay)
    if not kinds:
        return
    try:
        manifest = state["site"].current()
    except ManifestError:
        manifest = None
    head = letterhead(config, db, manifest)
    outgoing, report = prepare(db, head, config.clock(), kinds)
    for item in outgoing:
        error = await asyncio.to_thread(try_send, transport, item)
        record(db, report, item, error, config.clock())


async def background(state: dict) -> None:
    """The sender, for as long as the server runs."""
    transport = transport_for(state["config"])
    while True:
        await asyncio.sleep(POLL_SECONDS)
        try:
            await send_due(state, transport)
        except Exception:  # a bad row or a full disk must not stop the sender for good
            log.exception("sending queued e-mail failed; trying again shortly")


routes = [
    Route("/notifications/unsubscribe", unsubscribe_page, methods=["GET"]),
    Route("/notifications/unsubscribe", unsubscribe, methods=["POST"]),
    Route("/notifications/replies", author_reply, methods=["POST"]),
    Route("/notifications/queue", show_queue, methods=["GET"]),
]
