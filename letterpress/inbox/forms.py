"""Reading what a request sent: the allowed fields of a form or a JSON object, as strings."""

import json
from collections.abc import Iterable
from urllib.parse import parse_qsl

from starlette.requests import Request

from .errors import InboxError

JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"


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
