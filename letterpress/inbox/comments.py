"""Comments in the inbox: readers' comments wait here, pending, until the author moderates them.

  POST /comments                  a reader's comment (form or JSON) -> 303 to the essay, or JSON 201
  GET  /comments/pending          moderation queue (admin; ?status=spam|rejected|approved as well)
  GET  /comments/{id}             one comment (admin)
  POST /comments/{id}/approve     approve, reject or mark spam (admin)
  POST /comments/{id}/reject
  POST /comments/{id}/spam

The e-mail address and the sender's network stay in this database: they never reach a comment
file, the site or git.
"""

import datetime as dt
import sqlite3

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from letterpress.fields import says_yes
from letterpress.manifest import EssayEntry, Manifest
from letterpress.notify import queueing
from letterpress.notify.store import add_optin

from .akismet import is_spam
from .auth import admin_only
from .comment_checks import FIELDS, check_essay, check_fields
from .comment_decisions import decide
from .comment_store import (
    STATUSES,
    Stored,
    Submission,
    comments_with_status,
    get_comment,
    new_comment_id,
    public_fields,
    recent_count,
    store_comment,
    waiting_parent,
)
from .config import InboxConfig
from .errors import InboxError, NotFound, TooMany
from .forms import read_fields
from .origins import check_origin
from .responses import accepted
from .senders import client_network
from .site import page_address, site_base

__all__ = ["routes"]

PENDING_FRAGMENT = "#comment-pending"
# The unticked box "E-mail me when someone replies to this comment"; kept here, never in a file.
NOTIFY_FIELD = "notify_replies"


def essay_address(request: Request, manifest: Manifest, essay: EssayEntry) -> str:
    return page_address(request.state.config, manifest, essay.url)


def check_parent(db: sqlite3.Connection, submission: Submission, essay: EssayEntry) -> None:
    """A reply answers a published comment, or one still waiting here, on the same essay."""
    parent = submission.parent
    if parent is None or parent in essay.comment_ids:
        return
    if not waiting_parent(db, essay.slug, parent):
        raise InboxError(
            "The comment you are replying to does not exist on this essay.", field="parent"
        )


def check_rate(db: sqlite3.Connection, config: InboxConfig, client: str, now: dt.datetime) -> None:
    """At most `comment_rate` comments per network per window: one indexed COUNT."""
    if not config.comment_rate:
        return
    since = now.timestamp() - config.comment_rate_window
    if recent_count(db, client, since) >= config.comment_rate:
        raise TooMany(
            f"Too many comments from your network: the limit is {config.comment_rate} "
            f"every {config.comment_rate_window} seconds. Please wait a little and send it again.",
            retry_after=config.comment_rate_window,
        )


async def spam_verdict(request: Request, submission: Submission, site: str, permalink: str) -> str:
    config = request.state.config
    if not config.akismet_key:
        return "pending"
    spam = await run_in_threadpool(
        is_spam,
        config.akismet_url,
        str(config.akismet_key),
        site,
        submission,
        user_ip=request.client.host if request.client else "",
        user_agent=request.headers.get("user-agent", ""),
        referrer=request.headers.get("referer", ""),
        permalink=permalink,
    )
    return "spam" if spam else "pending"


async def post_comment(request: Request):
    check_origin(request)
    fields = await read_fields(request, (*FIELDS, NOTIFY_FIELD))
    submission = check_fields(fields)
    wants_replies = says_yes(fields.get(NOTIFY_FIELD, ""))
    manifest = request.state.site.current()
    essay = check_essay(submission, manifest)
    config = request.state.config
    client = client_network(
        request.client.host if request.client else None, request.state.config.ipv6_prefix
    )
    now = config.clock()
    if config.akismet_key:  # spare Akismet the calls of a sender who would be refused anyway
        check_parent(request.state.db, submission, essay)
        check_rate(request.state.db, config, client, now)
    permalink = essay_address(request, manifest, essay)
    status = await spam_verdict(request, submission, site_base(config, manifest), permalink)

    def admit(db: sqlite3.Connection) -> Stored:
        # Checked again inside the write, so comments queued together cannot overrun the limit.
        check_parent(db, submission, essay)
        check_rate(db, config, client, now)
        stored = store_comment(db, submission, client, now, status)
        if stored.duplicate:
            # Someone may be guessing who wrote a published comment: their re-post must change
            # nothing of it (its opt-in least of all) and be answered as a new comment is.
            return Stored(new_comment_id(now), duplicate=True)
        if wants_replies:
            add_optin(db, stored.id, now)
        if status == "pending" and config.author_notices:
            notice = {"id": stored.id, "essay": essay.slug, "author": submission.author}
            notice["body"] = submission.body
            queueing.comment_received(db, config.author_email, notice, now)
        return stored

    stored = await request.state.writes.run(admit)
    # Neither a spam verdict nor a repeat is announced: the sender sees what every new commenter
    # sees (a repeat gets an Id of its own that names no comment), so an answer never tells
    # whether an e-mail address wrote a comment.
    payload = {"id": stored.id, "status": "pending", "essay": essay.slug}
    return accepted(request, permalink + PENDING_FRAGMENT, payload, status=201)


@admin_only
async def list_comments(request: Request):
    status = request.query_params.get("status", "pending")
    if status not in STATUSES:
        raise InboxError(f"Unknown status “{status}”: use one of {', '.join(STATUSES)}.")
    rows = comments_with_status(request.state.db, status)
    return JSONResponse({"comments": [public_fields(row) for row in rows]})


@admin_only
async def show_comment(request: Request):
    comment_id = request.path_params["comment_id"]
    row = get_comment(request.state.db, comment_id)
    if row is None:
        raise NotFound(f"There is no comment {comment_id} in the inbox.")
    return JSONResponse(public_fields(row))


@admin_only
async def decide_comment(request: Request):
    row = decide(
        request.state.db,
        request.path_params["comment_id"],
        request.path_params["decision"],
        request.state.config.clock(),
    )
    return JSONResponse(public_fields(row))


routes = [
    Route("/comments", post_comment, methods=["POST"]),
    Route("/comments/pending", list_comments, methods=["GET"]),
    Route("/comments/{comment_id:str}", show_comment, methods=["GET"]),
    Route(
        "/comments/{comment_id:str}/{decision:str}",
        decide_comment,
        methods=["POST"],
    ),
]
