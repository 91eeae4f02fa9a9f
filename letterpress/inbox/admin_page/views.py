"""The moderation page's signed-in pages and buttons: the queue, one comment, the decisions, the
author's reply, the take-back, the rosters and their cancel. Every answer is a page (or a 303 to
one), never JSON; who may call them is guard.py's business.
"""

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse

from letterpress.payments import roster as money
from letterpress.payments.money import format_amount
from letterpress.workshops.seats import state_now

from ..comment_store import comments_with_status, get_comment
from ..errors import InboxError, NotFound
from ..publication import live_ids
from ..publication_store import approved_records, take_back
from ..registrations import cancel_and_promote
from . import actions, sessions
from .guard import HOME, back_to, one, signed_in
from .render import STYLESHEET, Site, comment_card, render, security_headers

# The roster's states a registration can still be cancelled from.
CANCELLABLE = frozenset({"held", "paid", "confirmed", "waiting"})
# Akismet's verdicts shown for a second look, newest first.
SPAM_SHOWN = 20


# The queue.


@signed_in
async def queue(request: Request, session, fields):
    db = request.state.db
    site = Site.of(request)
    pending = [comment_card(db, row, site) for row in comments_with_status(db, "pending")]
    flagged = [row for row in comments_with_status(db, "spam") if not row["decided"]]
    spam = [comment_card(db, row, site) for row in reversed(flagged[-SPAM_SHOWN:])]
    waiting = [
        {
            **record,
            "essay": site.essay(record["essay"]),
            "time": site.time(record["decided"] or record["created"]),
            "written_time": site.time(record["written"]) if record["written"] else "",
        }
        for record in approved_records(db, live_ids(request))
    ]
    return render(
        request,
        "queue.html",
        site=site,
        title="Comments to moderate",
        session=session,
        notice=sessions.take_notice(db, session),
        pending=pending,
        spam=spam,
        waiting=waiting,
    )


@signed_in
async def one_comment(request: Request, session, fields):
    db = request.state.db
    site = Site.of(request)
    comment_id = request.path_params["comment_id"]
    row = get_comment(db, comment_id)
    if row is None:
        raise NotFound(
            f"There is no comment {comment_id} in the inbox (it may have been deleted, or "
            "published long ago)."
        )
    return render(
        request,
        "comment.html",
        site=site,
        title=f"{row['author']} on “{site.essay(row['essay'])['title']}”",
        session=session,
        notice=sessions.take_notice(db, session),
        comment=comment_card(db, row, site),
    )


def _return_to(fields: dict[str, list[str]], comment_id: str) -> str:
    """Back to the queue, or to the comment's own page when the action was taken there."""
    if one(fields, "from") == "comment":
        return f"/admin/comments/{quote(comment_id, safe='')}"
    return HOME


@signed_in
async def decide_comment(request: Request, session, fields):
    comment_id = request.path_params["comment_id"]
    site = Site.of(request)
    notice = actions.decide_one(
        request.state.db,
        comment_id,
        one(fields, "decision"),
        request.state.config.clock(),
        site.timezone,
    )
    return back_to(request, session, notice, _return_to(fields, comment_id))


@signed_in
async def decide_batch(request: Request, session, fields):
    site = Site.of(request)
    decision = one(fields, "decision")
    if decision not in ("approve", "reject"):
        raise InboxError("Choose approve or reject for the comments selected.")
    batch = actions.decide_many(
        request.state.db,
        fields.get("ids", []),
        decision,
        request.state.config.clock(),
        site.timezone,
    )
    return back_to(request, session, batch.notice())


@signed_in
async def reply(request: Request, session, fields):
    comment_id = request.path_params["comment_id"]
    config, site = request.state.config, Site.of(request)
    if not site.author:
        raise InboxError(
            "The site's manifest names no author (AUTHOR in the site's settings): rebuild and "
            "deploy the site, then reply."
        )
    written = actions.reply_as_author(
        request.state.db,
        comment_id,
        one(fields, "body"),
        author=site.author,
        timezone=site.timezone,
        now=config.clock(),
        author_email=config.author_email,
    )
    notice = (
        f"Replied as {written.reply.author}; the comment answered is approved. Both go live with "
        "the next comments.pull."
    )
    if written.notified:
        notice += " Its writer asked to hear of replies: the e-mail is queued and goes out shortly."
    return back_to(request, session, notice, _return_to(fields, comment_id))


@signed_in
async def take_back_approval(request: Request, session, fields):
    comment_id = request.path_params["comment_id"]
    state = take_back(request.state.db, comment_id, request.state.config.clock(), live_ids(request))
    if state == "deleted":
        notice = f"Your reply {comment_id} is taken back: it will not be published."
    else:
        notice = f"Comment {comment_id} is taken back: it waits for moderation again."
    return back_to(request, session, notice, _return_to(fields, comment_id))


# Workshops.


@signed_in
async def workshops(request: Request, session, fields):
    db, now = request.state.db, request.state.config.clock()
    site = Site.of(request)
    listed = []
    entries = site.manifest.workshops.values() if site.manifest else ()
    # Those still to come first, soonest first; past ones after them.
    for workshop in sorted(entries, key=lambda w: (w.end < now, w.start)):
        # The roster as workshops.roster reads it: held, paid, confirmed, waiting, and how a
        # registration ended (cancelled, refunded, expired), each group in order of arrival.
        lines = money.lines(db, workshop.slug)
        groups = [
            {
                "status": status,
                "people": [line for line in lines if line.status == status],
                "cancellable": status in CANCELLABLE,
            }
            for status in money.ORDER
            if any(line.status == status for line in lines)
        ]
        listed.append(
            {
                "slug": workshop.slug,
                "title": workshop.title,
                "url": site.address(workshop.url),
                "when": site.time(workshop.start.isoformat()),
                "state": state_now(workshop.state, workshop.start, workshop.end, now),
                "seats": workshop.seats,
                "totals": money.totals(lines, workshop.currency),
                "groups": groups,
            }
        )
    return render(
        request,
        "workshops.html",
        site=site,
        amount=format_amount,
        title="Workshop registrations",
        session=session,
        notice=sessions.take_notice(db, session),
        workshops=listed,
    )


@signed_in
async def cancel_registration(request: Request, session, fields):
    slug = request.path_params["slug"]
    site = Site.of(request)
    workshop = site.manifest.workshops.get(slug) if site.manifest else None
    if workshop is None:
        raise NotFound(f"There is no workshop “{slug}” on this site.")
    email, promoted = await cancel_and_promote(request.state, workshop, one(fields, "email"))
    notice = f"Cancelled {email}'s registration for “{workshop.title}”."
    if promoted:
        notice += " Confirmed from the waiting list (an e-mail tells them): " + ", ".join(promoted)
    return back_to(request, session, notice, "/admin/workshops")


@signed_in
async def no_such_page(request: Request, session, fields):
    """Any other address under /admin, and a GET where only a form may POST: a page saying so,
    never the framework's bare text."""
    if request.method == "GET" and not request.path_params.get("rest"):
        return RedirectResponse(HOME, status_code=303, headers=security_headers(""))
    raise NotFound(f"There is no page {request.url.path} here.")


async def stylesheet(request: Request):
    return FileResponse(STYLESHEET, media_type="text/css", headers={"Cache-Control": "no-cache"})
