"""How the inbox answers: a form gets a 303, or when refused the site's own page with the form
again and every error beside its field (form_pages.py; a plain page when the site has no
templates for it); a script that sends `Accept: application/json` gets JSON.

This is where a refusal gets its HTTP status: feature routes raise the kinds of `InboxError` in
errors.py and never build error pages themselves; `create_app` installs `refused` as the handler.
"""

from collections.abc import Mapping

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from .errors import (
    Conflict,
    Gone,
    InboxError,
    NotAllowed,
    NotFound,
    NotSignedIn,
    TooLarge,
    TooMany,
    TooSlow,
    Unavailable,
)
from .form_pages import render_refusal
from .forms import JSON_TYPE

# Each kind of refusal -> (HTTP status, the title of the page a browser shows).
STATUSES: dict[type[InboxError], tuple[int, str]] = {
    InboxError: (400, "Please check the form"),
    NotSignedIn: (401, "Not signed in"),
    NotAllowed: (403, "Not allowed"),
    NotFound: (404, "Not found"),
    Conflict: (409, "Already done"),
    TooSlow: (408, "Too slow"),
    Gone: (410, "Not available any more"),
    TooLarge: (413, "Too long"),
    TooMany: (429, "Too many at once"),
    Unavailable: (503, "Not available yet"),
}


def status_of(error: InboxError) -> tuple[int, str]:
    """The status and page title of the most specific kind `error` is."""
    for kind in type(error).__mro__:
        if kind in STATUSES:
            return STATUSES[kind]
    return STATUSES[InboxError]


def headers_of(error: InboxError) -> dict[str, str]:
    """The headers HTTP asks for with some refusals."""
    if isinstance(error, TooMany | Unavailable) and error.retry_after is not None:
        return {"Retry-After": str(error.retry_after)}
    if isinstance(error, NotSignedIn):
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(error, TooSlow):  # the rest of the body may still come: end the connection
        return {"Connection": "close"}
    return {}


def wants_json(request: Request) -> bool:
    """True when the client asked for JSON (a script); forms from browsers never do."""
    return JSON_TYPE in request.headers.get("accept", "")


def accepted(request: Request, location: str, payload: Mapping, status: int = 201) -> Response:
    """Success: JSON `payload` for scripts, or 303 See Other to `location` for forms."""
    if wants_json(request):
        return JSONResponse(dict(payload), status_code=status)
    return RedirectResponse(location, status_code=303)


_PAGE = Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ title }}</title>
<style>body{font:1.1rem/1.6 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}
</style>
<h1>{{ title }}</h1>
<div role="alert">
{% for field, message in errors %}<p>{{ message }}</p>
{% endfor %}</div>
{% if fields %}
<p>Please correct {{ "the field" if fields|length == 1 else "the fields" }}
{% for field in fields %}<strong>{{ field }}</strong>{{ ", " if not loop.last }}{% endfor %}
and send the form again.</p>
{% endif %}
<p>Use your browser's Back button to return to the form: what you typed is still there.</p>
{% if back %}<p><a href="{{ back }}">Back to the page</a></p>{% endif %}
</html>
"""
)


def error_list(error: InboxError) -> list[dict]:
    """Every error as JSON: [{"field", "error"}], the first being the answer's own."""
    return [{"field": field, "error": message} for field, message in error.errors]


def refused(request: Request, error: InboxError, back: str | None = None) -> Response:
    """A refusal: JSON {error, field, errors}, or a page showing every error (the site's own page
    with the form again when the build provided its templates)."""
    status, title = status_of(error)
    headers = headers_of(error)
    if wants_json(request):
        body = {"error": error.message, "field": error.field, "errors": error_list(error)}
        return JSONResponse(body, status_code=status, headers=headers)
    # What the reader typed may be on the page: never kept by a cache.
    headers = {**headers, "Cache-Control": "no-store"}
    html = render_refusal(request, error, status, title)
    if html is None:
        fields = [field for field, _ in error.errors if field]
        html = _PAGE.render(title=title, errors=error.errors, fields=fields, back=back)
    return HTMLResponse(html, status_code=status, headers=headers)
