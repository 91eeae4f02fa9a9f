"""Signing in to the moderation page and out of it: the sign-in form and its throttle, a session
opened for the admin token or the passphrase, and signing out here or on every device."""

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..errors import TooMany
from ..senders import client_network
from . import sessions
from .guard import HOME, LOGIN, form_of, off_page, one, page_is_on, safe_next, signed_in
from .render import render, security_headers


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
