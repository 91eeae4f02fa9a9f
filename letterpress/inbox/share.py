"""GET /share/mastodon: the essay page's Mastodon form, for readers without JavaScript.

A static page cannot send a reader to a server they type in; this endpoint can: it checks the
server's name (letterpress.sharing) and answers 303 to that server's compose page. It stores
nothing and reads nothing but its two fields, so it needs no table and no origin check.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from letterpress.sharing import ShareError, mastodon_share_url

from .errors import InboxError

SCHEMA = ""


async def share_on_mastodon(request: Request) -> RedirectResponse:
    server = request.query_params.get("server", "")
    text = request.query_params.get("text", "")
    try:
        address = mastodon_share_url(server, text)
    except ShareError as error:
        raise InboxError(str(error), field="server") from None
    # Where a reader shares is theirs: not kept by any cache on the way.
    return RedirectResponse(address, status_code=303, headers={"Cache-Control": "no-store"})


routes = [Route("/share/mastodon", share_on_mastodon, methods=["GET"])]
