"""Share links without trackers: plain links to each service's own "compose" page.

Nothing is loaded from the services until the reader follows a link: no buttons, counters or
scripts of theirs. Mastodon has no single home, so its link goes to DEFAULT_MASTODON and the
theme's script (theme/static/js/essay-page.js) asks for the reader's own server and remembers it.
"Copy link" is a link to the essay itself, which the script copies instead of following.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

# Where the Mastodon link goes without JavaScript: the largest general server.
DEFAULT_MASTODON = "mastodon.social"

# (service, label, URL template): {title} and {url} alone, {text} is "title url".
SERVICES = (
    ("email", "E-mail", "mailto:?subject={title}&body={url}"),
    ("mastodon", "Mastodon", "https://" + DEFAULT_MASTODON + "/share?text={text}"),
    ("bluesky", "Bluesky", "https://bsky.app/intent/compose?text={text}"),
    ("linkedin", "LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url={url}"),
    ("copy", "Copy link", "{raw_url}"),
)

_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class ShareLink:
    service: str
    label: str
    href: str  # not yet escaped for HTML: the template's autoescape does that


def plain_title(title: str) -> str:
    """An essay title as readers see it: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(_TAG.sub("", title)).split())


def share_links(title: str, url: str) -> list[ShareLink]:
    """The share links for an essay titled `title` (may hold HTML) at the absolute `url`."""
    title = plain_title(title)
    # ":" and "/" may stand unescaped in a query (RFC 3986) and "+" is a space in a web query
    # (not in mailto:, which gets %20): short links keep the essay page in its byte budget.
    values = {
        "title": quote(title, safe=""),
        "url": quote(url, safe=":/"),
        "text": quote_plus(f"{title} {url}", safe=":/"),
        "raw_url": url,
    }
    return [
        ShareLink(service, label, template.format(**values))
        for service, label, template in SERVICES
    ]
