"""The moderation page's endpoints. Every answer is a page (or a 303 to one), never JSON.

Signed-in endpoints are wrapped by `signed_in`: without a live session a GET is sent to the
login page (coming back afterwards) and a POST changes nothing and goes there too; a POST whose
CSRF token is missing or wrong is refused with 403 and changes nothing. An action ends with a
303 back to the page it came from, carrying its outcome as a notice shown once (POST, then
redirect, then GET: reloading never repeats an action).
"""

import functools
from urllib.parse import parse_qsl, quote, urlencode

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from letterpress.errors import LetterpressError
from letterpress.payments import roster as money
from letterpress.payments.money import format_amount
from letterpress.workshops.seats import state_now

from ..comment_store import comments_with_status, get_comment
from ..errors import InboxError, NotFound, TooMany
from ..publication import live_ids
from ..publication_store import approved_records, take_back
from ..registrations import cancel_and_promote
from ..responses import status_of
from ..senders import client_network
from . import actions, sessions
from .render import STYLESHEET, Site, comment_card, render, security_headers

HOME = "/admin"
LOGIN = "/admin/login"
# The roster's states a registration can still be cancelled from.
CANCELLABLE = frozenset({"held", "paid", "confirmed", "waiting"})
# Akismet's verdicts shown for a second look, newest first.
SPAM_SHOWN = 20


async def form_of(request: Request) -> dict[str, list[str]]:
    """Every field of a posted form, each with all its values (the bulk form's `ids`)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded":
        pairs = parse_qsl((await request.body()).decode("utf-8", "replace"), True)
    else:
        form = await request.form()
        pairs = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def one(fields: dict[str, list[str]], name: str) -> str:
    values = fields.get(name) or [""]
    return values[-1]


def page_is_on(request: Request) -> bool:
    config = request.state.config
    return bool(str(config.admin_token) or str(config.admin_passphrase))


def safe_next(target: str) -> str:
    """Only a page of this tool may follow a sign-in: never another site."""
    if target.startswith(HOME) and not target.startswith("//") and "\\" not in target:
        return target
    return HOME


def to_login(request: Request) -> RedirectResponse:
    """To the sign-in page, coming back to this page afterwards; saying the session has ended
    when the browser sent one (expired, or closed by "log out everywhere")."""
    query = {"next": request.url.path} if request.method == "GET" else {}
    if request.cookies.get(sessions.COOKIE):
        query["ended"] = "1"
    location = LOGIN + ("?" + urlencode(query) if query else "")
    return RedirectResponse(location, status_code=303, headers=security_headers(""))


def same_site_hop(request: Request) -> Response:
    """The page again, asked for by this page itself. The session cookie is SameSite=Strict, so
    a browser leaves it out of a navigation that starts on another site (a link in webmail);
    the same address requested from here carries it, and a signed-in author lands on the page
    the link named instead of the sign-in form."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return render(request, "hop.html", title="Opening the moderation page", target=target)


def refused_page(request: Request, error: InboxError, session=None) -> Response:
    status, title = status_of(error)
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooMany) else {}
    return render(
        request,
        "message.html",
        status=status,
        headers=headers,
        title=title,
        message=error.message,
        session=session,
    )


def signed_in(endpoint):
    """Run `endpoint(request, session, fields)` only for a live session (and, for a POST, the
    session's CSRF token); `fields` is the posted form ({} for a GET)."""

    @functools.wraps(endpoint)
    async def guarded(request: Request):
        if not page_is_on(request):
            return off_page(request)
        db, now = request.state.db, request.state.config.clock()
        session = sessions.find_session(db, request.cookies.get(sessions.COOKIE, ""), now)
        fields: dict[str, list[str]] = {}
        if request.method == "POST":
            fields = await form_of(request)
            if session is None:
                return to_login(request)
            if not sessions.csrf_matches(session, one(fields, "csrf")):
                error = InboxError(
                    "This form's security token is missing or out of date, so nothing was "
                    "done. Go back, reload the page and try again."
                )
                page = refused_page(request, error, session)
                page.status_code = 403
                return page
        elif session is None:
            if request.headers.get("sec-fetch-site") == "cross-site":
                return same_site_hop(request)
            return to_login(request)
        try:
            return await endpoint(request, session, fields)
        except LetterpressError as error:
            if not isinstance(error, InboxError):
                error = InboxError(str(error))
            return refused_page(request, error, session)

    return guarded


def back_to(request: Request, session, notice: str, where: str = HOME) -> RedirectResponse:
    sessions.leave_notice(request.state.db, session, notice)
    return RedirectResponse(safe_next(where), status_code=303, headers=security_headers(""))


def off_page(request: Request) -> Response:
    error = InboxError(
        "The moderation page is off: set LETTERPRESS_ADMIN_TOKEN (or "
        "LETTERPRESS_ADMIN_PASSPHRASE) where the inbox runs to turn it on."
    )
    page = refused_page(request, error)
    page.status_code = 403
    return page


# Signing in and out.


async def login_page(request: Request):
    if not page_is_on(request):
        return off_page(request)
    return login_form(request, next_page=safe_next(request.query_params.get("next", HOME)))


def login_form(request: Request, next_page: str, error: str = "", status: int = 200) -> Response:
    """The sign-in form. Its CSRF token is a random value also set in a short cookie (the form
    must send back what the cookie holds), as no session exists yet."""
    token = sessions.new_login_token()
    ended = request.query_params.get("ended") == "1"
    out = request.query_params.get("out", "")
    response = render(
        request,
        "login.html",
        status=status,
        title="Sign in to moderate",
        next_page=next_page,
        csrf=token,
        error=error,
        ended=ended,
        out=out,
        session=None,
    )
    secure = request.url.scheme == "https"
    response.set_cookie(
        sessions.LOGIN_COOKIE,
        token,
        max_age=3600,
        path=LOGIN,
        secure=secure,
        httponly=True,
        samesite="strict",
    )
    return response


async def log_in(request: Request):
    if not page_is_on(request):
        return off_page(request)
    db, config = request.state.db, request.state.config
    now = config.clock()
    fields = await form_of(request)
    next_page = safe_next(one(fields, "next"))
    cookie_token = request.cookies.get(sessions.LOGIN_COOKIE, "")
    if not sessions.login_token_matches(cookie_token, one(fields, "csrf")):
        return login_form(
            request,
            next_page,
            "The form's security token did not match (cookies may be off); try again.",
            403,
        )
    client = client_network(request.client.host if request.client else None)
    try:
        sessions.check_throttle(db, client, now)
    except TooMany as error:
        answer = login_form(request, next_page, error.message, 429)
        answer.headers["Retry-After"] = str(error.retry_after)
        return answer
    given = one(fields, "secret").strip()
    if not sessions.secret_matches(given, str(config.admin_token), str(config.admin_passphrase)):
        sessions.count_failure(db, client, now)
        return login_form(request, next_page, "That is not the admin token or passphrase.", 401)
    token, _ = sessions.open_session(db, now, config.admin_session_hours)
    response = RedirectResponse(next_page, status_code=303, headers=security_headers(""))
    response.set_cookie(
        sessions.COOKIE,
        token,
        max_age=config.admin_session_hours * 3600,
        path=sessions.COOKIE_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    response.delete_cookie(sessions.LOGIN_COOKIE, path=LOGIN)
    return response


def signed_out(request: Request, notice: str) -> Response:
    response = RedirectResponse(
        LOGIN + "?" + urlencode({"out": notice}), status_code=303, headers=security_headers("")
    )
    response.delete_cookie(sessions.COOKIE, path=sessions.COOKIE_PATH)
    return response


@signed_in
async def log_out(request: Request, session, fields):
    sessions.close_session(request.state.db, session)
    return signed_out(request, "here")


@signed_in
async def log_out_everywhere(request: Request, session, fields):
    sessions.close_every_session(request.state.db)
    return signed_out(request, "everywhere")


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
