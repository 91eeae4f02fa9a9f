"""How the inbox answers: a form gets a 303 (or an HTML page naming the bad field), a script that
sends `Accept: application/json` gets JSON. Feature routes raise `InboxError` and never build error
pages themselves; `create_app` installs the handler that turns it into the right answer.
"""

import json
import re
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
# What a ticked checkbox, or a script meaning "yes", sends.
_YES = frozenset({"yes", "on", "true", "1"})
JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"


class InboxError(Exception):
    """A refused request: `message` is a sentence for the person, `field` the form field."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        status: int = 400,
        headers: Mapping[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.headers = dict(headers or {})


def wants_json(request: Request) -> bool:
    """True when the client asked for JSON (a script); forms from browsers never do."""
    return JSON_TYPE in request.headers.get("accept", "")


def looks_like_email(text: str) -> bool:
    """Syntax only (someone@somewhere.tld): whether it reaches anyone is the mailer's business."""
    return _EMAIL.fullmatch(text) is not None


def says_yes(text: str) -> bool:
    return text.strip().lower() in _YES


async def read_fields(request: Request, allowed: Iterable[str]) -> dict[str, str]:
    """The allowed fields of a urlencoded/multipart form or a JSON object, as strings.

    Unknown fields are dropped (an allow-list); a missing field is absent from the result.
    """
    allowed = frozenset(allowed)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == JSON_TYPE:
        raw = await _json_object(request)
    elif content_type == FORM_TYPE:
        # What every browser form sends; parse_qsl is several times cheaper than the
        # general multipart parser, and the inbox's speed is its cost per comment.
        raw = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), True))
    else:
        form = await request.form()
        raw = {name: form.getlist(name) for name in form}
        raw = {name: values[-1] if values else "" for name, values in raw.items()}
    fields = {}
    for name in allowed & raw.keys():
        value = raw[name]
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise InboxError(f"The field “{name}” must be text.", field=name)
        fields[name] = str(value)
    return fields


async def _json_object(request: Request) -> dict:
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise InboxError("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise InboxError("The request body must be a JSON object of fields.")
    return data


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
<p role="alert">{{ message }}</p>
{% if field %}
<p>Please correct the field <strong>{{ field }}</strong> and send the form again.</p>
{% endif %}
<p>Use your browser's Back button to return to the form: what you typed is still there.</p>
{% if back %}<p><a href="{{ back }}">Back to the page</a></p>{% endif %}
</html>
"""
)

_TITLES = {
    400: "Please check the form",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    409: "Already done",
    413: "Too long",
    429: "Too many at once",
    503: "Not available yet",
}


def refused(request: Request, error: InboxError, back: str | None = None) -> Response:
    """A refusal: JSON {error, field}, or a short HTML page naming the field."""
    if wants_json(request):
        body = {"error": error.message, "field": error.field}
        return JSONResponse(body, status_code=error.status, headers=error.headers)
    title = _TITLES.get(error.status, "Not accepted")
    html = _PAGE.render(title=title, message=error.message, field=error.field, back=back)
    return HTMLResponse(html, status_code=error.status, headers=error.headers)
