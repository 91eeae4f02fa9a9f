"""Who may use the moderation page, and how every answer of it is made: the session check and
the CSRF check around each signed-in endpoint (`signed_in`), the posted form read with every
value, the way back to sign in, and the page a refusal is shown on.

Without a live session a GET is sent to the sign-in page (coming back afterwards) and a POST
changes nothing and goes there too; a POST whose CSRF token is missing or wrong is refused with
403 and changes nothing. An action ends with a 303 back to the page it came from, carrying its
outcome as a notice shown once (POST, then redirect, then GET: reloading never repeats it).
"""

import functools
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from letterpress.errors import LetterpressError

from ..errors import InboxError, TooMany
from ..responses import status_of
from . import sessions
from .render import render, security_headers

HOME = "/admin"
LOGIN = "/admin/login"


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
