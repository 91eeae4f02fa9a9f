"""What an imported post or comment may keep: addresses with safe schemes, and no commenter's
e-mail address, IP address or mailto: link.

Every address is judged as a browser would read it (entities decoded, tabs and newlines dropped,
case folded: see letterpress.content_checks.url_scheme), after Beautiful Soup has decoded the
HTML. Links and sources whose scheme is not http(s), mailto or none (relative) are removed and
counted by scheme: a link keeps its text, an image or player its place in the text is lost.
"""

import re
from collections import Counter

from bs4 import BeautifulSoup, Tag

from letterpress.content_checks import url_scheme
from letterpress.soup import attribute_text

SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})
# Attributes that hold an address, on any element.
URL_ATTRIBUTES = ("href", "src", "poster", "data", "action", "formaction", "cite", "background")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1?\d?\d)"
IPV4 = re.compile(rf"(?<![\w.])(?:{_OCTET}\.){{3}}{_OCTET}(?![\w.])")
# IPv6: all eight groups, or a compressed form with '::' (so times like 10:30:45 are left alone).
IPV6 = re.compile(
    r"(?<![\w:])(?=[0-9a-fA-F:]*::|(?:[0-9a-fA-F]{1,4}:){7})"
    r"(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{1,4}(?![\w:])"
)
# Parentheses, not brackets: Markdown escapes brackets, and the note should read the same in
# the file as on the page.
EMAIL_REMOVED = "(e-mail address removed)"
IP_REMOVED = "(IP address removed)"


def _unsafe(value: str) -> str:
    """The scheme of `value` when it is not one a post may keep, else ''."""
    scheme = url_scheme(value)
    return "" if scheme in SAFE_SCHEMES else scheme


def remove_unsafe_addresses(soup: BeautifulSoup, removed: Counter) -> None:
    """Take every address with a scheme other than http(s)/mailto/relative out of `soup`:
    a link becomes its text, an element that only shows its source (image, player) goes."""
    for element in soup.find_all(True):
        if not isinstance(element, Tag) or element.decomposed:
            continue
        for name in list(element.attrs):
            lowered = name.lower()
            if lowered.startswith("on") or (lowered == "style" and "url(" in str(element[name])):
                del element[name]  # scripts and style-sheet addresses have no place in a post
                continue
            if lowered == "srcset":
                del element[name]  # the src stays; the other sizes are not needed
                continue
            if lowered not in URL_ATTRIBUTES:
                continue
            scheme = _unsafe(str(element[name]))
            if not scheme:
                continue
            removed[scheme] += 1
            del element[name]
            if element.name in ("img", "source", "track", "embed", "iframe", "object"):
                element.decompose()
                break
            if element.name == "a":
                element.unwrap()
                break


def redact(text: str, counts: Counter) -> str:
    """`text` with e-mail and IP addresses replaced by a note; each one counted."""

    def count(what: str, note: str):
        def replace(_match: re.Match) -> str:
            counts[what] += 1
            return note

        return replace

    text = EMAIL.sub(count("e-mail addresses", EMAIL_REMOVED), text)
    text = IPV4.sub(count("IP addresses", IP_REMOVED), text)
    return IPV6.sub(count("IP addresses", IP_REMOVED), text)


def remove_mailto_links(soup: BeautifulSoup, counts: Counter) -> None:
    """A comment's mailto: links become their text (the address in it is redacted after)."""
    for link in soup.find_all("a", href=True):
        if url_scheme(attribute_text(link, "href")) == "mailto":
            counts["mailto links"] += 1
            link.unwrap()
