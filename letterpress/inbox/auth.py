"""Bearer-token authentication for the moderation API (LETTERPRESS_ADMIN_TOKEN)."""

import functools
import hmac

from starlette.requests import Request

from .errors import NotAllowed, NotSignedIn


def check_admin(request: Request) -> None:
    """Raise NotSignedIn unless the request carries `Authorization: Bearer <the admin token>`.

    The comparison takes the same time whatever the guess, so the token cannot be found a
    character at a time.
    """
    expected = str(request.state.config.admin_token)
    if not expected:
        raise NotAllowed("The moderation API is off: set LETTERPRESS_ADMIN_TOKEN to turn it on.")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), expected.encode()
    ):
        raise NotSignedIn("A valid admin token is required (Authorization: Bearer …).")


def admin_only(endpoint):
    """Decorate an async endpoint so it runs only for the admin token holder."""

    @functools.wraps(endpoint)
    async def guarded(request: Request):
        check_admin(request)
        return await endpoint(request)

    return guarded
