"""GET /share/mastodon: the essay page's Mastodon link, for every reader.

A static page cannot send a reader to a server they type in; this endpoint can. Without a server
it answers a small page asking for one (the essay page holds only a link, no form); with one, it
checks the name (letterpress.sharing) and answers 303 to that server's compose page, or shows the
page again with what to write. It stores nothing and reads nothing but its two fields, so it
needs no table and no origin check.
"""

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from letterpress.notify.messages import TEMPLATES
from letterpress.sharing import MAX_SHARE_TEXT, ShareError, mastodon_share_url

from .errors import InboxError
from .responses import wants_json

_PAGES = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
# Where a reader shares is theirs: not kept by any cache on the way.
PRIVATE = {"Cache-Control": "no-store"}


async def share_on_mastodon(request: Request) -> Response:
    server = request.query_params.get("server", "").strip()
    text = request.query_params.get("text", "")[:MAX_SHARE_TEXT]
    if not server and not wants_json(request):
        return _ask(text)
    try:
        address = mastodon_share_url(server, text)
    except ShareError as error:
        if wants_json(request):
            raise InboxError(str(error), field="server") from None
        return _ask(text, server, str(error))
    return RedirectResponse(address, status_code=303, headers=PRIVATE)


def _ask(text: str, server: str = "", error: str = "") -> HTMLResponse:
    html = _PAGES.get_template("share_mastodon.html").render(text=text, server=server, error=error)
    return HTMLResponse(html, status_code=400 if error else 200, headers=PRIVATE)


routes = [Route("/share/mastodon", share_on_mastodon, methods=["GET"])]
