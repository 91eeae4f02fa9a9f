"""Bearer-token authentication for the moderation API (LETTERPRESS_ADMIN_TOKEN)."""

import functools
import hmac

from starlette.requests import Request

from .answers import InboxError


def check_admin(request: Request) -> None:
    """Raise InboxError unless the request carries `Authorization: Bearer <the admin token>`.

    The comparison takes the same time whatever the guess, so the token cannot be found a
    character at a time.
    """
    expected = str(request.state.config.admin_token)
    if not expected:
        raise InboxError(
            "The moderation API is off: set LETTERPRESS_ADMIN_TOKEN to turn it on.", status=403
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), expected.encode()
    ):
        raise InboxError(
            "A valid admin token is required (Authorization: Bearer …).",
            status=401,
            headers={"WWW-Authenticate": "Bearer"},
        )


def admin_only(endpoint):
    """Decorate an async endpoint so it runs only for the admin token holder."""

    @functools.wraps(endpoint)
    async def guarded(request: Request):
        check_admin(request)
        return await endpoint(request)

    return guarded
