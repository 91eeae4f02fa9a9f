"""Share links without trackers: plain links to each service's own "compose" page.

Nothing is loaded from the services until the reader follows a link: no buttons, counters or
scripts of theirs. Mastodon has no single home: the essay page links to the inbox's
/share/mastodon (letterpress/inbox/share.py), a small page that asks for the reader's server and
answers with a redirect to `mastodon_share_url` on it, so it works without JavaScript, no third
party sees the reader, and the essay page carries a link, not a form. Without an inbox the link
goes to DEFAULT_MASTODON.
"Copy link" is a link to the essay itself, which the script copies instead of following.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, urlencode

from letterpress.errors import LetterpressError

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


# A server's host name: dot-separated labels of letters, digits and inner hyphens.
_SERVER = re.compile(r"(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+[a-z][a-z0-9-]{0,62}(?<!-)")
# More than a title and an address ever need; a longer text is not from our share form.
MAX_SHARE_TEXT = 1000


class ShareError(LetterpressError):
    """What a reader typed cannot be shared: the sentence says what to write instead."""


@dataclass(frozen=True)
class ShareLink:
    service: str
    label: str
    href: str  # not yet escaped for HTML: the template's autoescape does that


def mastodon_server(answer: str) -> str:
    """The server a reader means: 'mastodon.social', 'https://mastodon.social/@ada' and
    '@ada@mastodon.social' all mean mastodon.social. Raises ShareError for anything else."""
    host = re.sub(r"^https?://", "", answer.strip().lower()).split("/", 1)[0]
    host = host.rsplit("@", 1)[-1]
    if len(host) > 253 or not _SERVER.fullmatch(host):
        raise ShareError(
            f"{answer.strip()[:80]!r} is not the address of a Mastodon server: write its name, "
            "such as mastodon.social (in your handle, what follows the last @)."
        )
    return host


def mastodon_share_url(server: str, text: str) -> str:
    """The compose page on the reader's own Mastodon server, holding `text`."""
    if not text.strip() or len(text) > MAX_SHARE_TEXT:
        raise ShareError(f"Nothing to share, or more than {MAX_SHARE_TEXT} characters.")
    return f"https://{mastodon_server(server)}/share?{urlencode({'text': text.strip()})}"


def plain_title(title: str) -> str:
    """An essay title as readers see it: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(_TAG.sub("", title)).split())


def share_links(title: str, url: str, inbox_url: str = "") -> list[ShareLink]:
    """The share links for an essay titled `title` (may hold HTML) at the absolute `url`; with
    an `inbox_url`, Mastodon's goes to the inbox's page that asks for the reader's server."""
    title = plain_title(title)
    # ":" and "/" may stand unescaped in a query (RFC 3986) and "+" is a space in a web query
    # (not in mailto:, which gets %20): short links keep the essay page in its byte budget.
    values = {
        "title": quote(title, safe=""),
        "url": quote(url, safe=":/"),
        "text": quote_plus(f"{title} {url}", safe=":/"),
        "raw_url": url,
    }
    links = [
        ShareLink(service, label, template.format(**values))
        for service, label, template in SERVICES
    ]
    if not inbox_url:
        return links
    ask = f"{inbox_url.rstrip('/')}/share/mastodon?text={values['text']}"
    return [
        ShareLink(link.service, link.label, ask) if link.service == "mastodon" else link
        for link in links
    ]
