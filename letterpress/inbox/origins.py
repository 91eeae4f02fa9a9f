"""Public forms are sent from the site's own pages: a POST a browser makes from another site
(cross-site request forgery: a page elsewhere posting a comment, a registration or a sign-up in
the reader's name) is refused.

Browsers say where a POST comes from in `Origin`; when they leave it out, the `Referer` still
names the page. A request with neither did not come from a browser page (a script, curl) and
cannot be forged by one, so it is let through; the rate limits count it like any other.
"""

from urllib.parse import urlsplit

from starlette.requests import Request

from .errors import NotAllowed
from .site import ManifestError


def origin_of(url: str) -> str:
    """scheme://host[:port] of `url`, lower-cased; "" when it has none."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def own_origins(request: Request) -> set[str]:
    """The site's origins (settings and the built manifest), the inbox's public address, and
    the address this request came to (the inbox's own page re-showing a refused form)."""
    config = request.state.config
    try:
        manifest_url = request.state.site.current().site_url
    except ManifestError:
        manifest_url = ""
    found = {config.site_url, manifest_url, config.allowed_origin, config.inbox_url}
    found.add(f"{request.url.scheme}://{request.url.netloc}")
    return {origin for origin in map(origin_of, found) if origin}


def check_origin(request: Request) -> None:
    """Refuse (NotAllowed, 403, on the site's page) a form sent from another site's page."""
    origin = request.headers.get("origin")
    sender = origin if origin is not None else request.headers.get("referer")
    if sender is None:
        return
    if origin_of(sender) in own_origins(request):
        return
    shown = origin_of(sender) or sender.strip()[:60] or "an unnamed page"
    raise NotAllowed(
        f"This form was sent from another site ({shown}), not from this site's own page; "
        "nothing was saved. Open the page on this site and send the form from there."
    )
