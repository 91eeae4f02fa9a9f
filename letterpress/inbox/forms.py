"""Reading what a request sent: the allowed fields of a form or a JSON object, as strings.

Whatever the body holds, the answer is the fields or an InboxError (400) saying what is wrong
with the body: never an exception the server did not expect.
"""

import json
from collections.abc import Iterable
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.requests import Request

from .errors import InboxError
from .form_pages import TYPED_KEY

JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"


async def read_fields(request: Request, allowed: Iterable[str]) -> dict[str, str]:
    """The allowed fields of a urlencoded/multipart form or a JSON object, as strings.

    Unknown fields are dropped (an allow-list); a missing field is absent from the result.
    The fields are also kept on the request, so a refusal can show the form again as typed.
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
        try:
            form = await request.form()
        except HTTPException as error:  # a malformed multipart body
            raise InboxError(f"The form could not be read ({error.detail}).") from None
        raw = {name: form.getlist(name) for name in form}
        raw = {name: values[-1] if values else "" for name, values in raw.items()}
    fields = {}
    for name in allowed & raw.keys():
        value = raw[name]
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise InboxError(f"The field “{name}” must be text.", field=name)
        text = str(value)
        if not _encodable(text):
            # JSON can spell half a character ("\ud800"): such a value could be neither
            # stored, nor echoed back in an answer, nor written to a file.
            raise InboxError(f"The field “{name}” holds something that is not text.", field=name)
        fields[name] = text
    request.scope[TYPED_KEY] = fields
    return fields


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


async def _json_object(request: Request) -> dict:
    try:
        data = json.loads(await request.body())
    except (ValueError, RecursionError):  # RecursionError: thousands of nested brackets
        raise InboxError("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise InboxError("The request body must be a JSON object of fields.")
    return data
