"""Addresses inside HTML fragments: made absolute for readers away from the site (feeds, e-mail),
or put under a page's SITEURL (the web issue).
"""

import re
from urllib.parse import urljoin

import lxml.html

_URL_ATTRIBUTES = ("href", "src", "poster", "cite")
# An address attribute whose value has no scheme (relative), or any srcset: HTML without one is
# returned untouched, which spares parsing most comments.
_MAY_BE_RELATIVE = re.compile(
    r"""\b(?:(?:href|src|poster|cite)\s*=\s*["']?(?![a-zA-Z][a-zA-Z0-9+.-]*:)|srcset\s*=)""",
    re.IGNORECASE,
)


def absolutize(html: str, base_url: str) -> str:
    """The HTML fragment with every relative link and image address resolved against base_url
    (a page's address; give a site's root with a trailing slash).

    Feed readers and mail programs show the fragment away from the site, where relative
    addresses lead nowhere.
    """
    if not _MAY_BE_RELATIVE.search(html):
        return html
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in wrapper.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions carry no links
        for name in _URL_ATTRIBUTES:
            value = element.get(name)
            if value is not None:
                element.set(name, urljoin(base_url, value.strip()))
        srcset = element.get("srcset")
        if srcset:
            element.set("srcset", _absolute_srcset(srcset, base_url))
    return inner_html(wrapper)


def _absolute_srcset(srcset: str, base_url: str) -> str:
    candidates = []
    for candidate in srcset.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        candidates.append(" ".join(filter(None, (urljoin(base_url, url), descriptor.strip()))))
    return ", ".join(candidates)


def rebase_links(fragment: str, base: str) -> str:
    """Root-relative links ("/essays/…") in a fragment put under `base` (the page's SITEURL)."""
    if not fragment.strip():
        return fragment
    base = base.rstrip("/")

    def rebase(url: str) -> str:
        return base + url if url.startswith("/") and not url.startswith("//") else url

    wrapper = lxml.html.fragment_fromstring(fragment, create_parent="div")
    wrapper.rewrite_links(rebase, resolve_base_href=False)
    return inner_html(wrapper)


def inner_html(wrapper) -> str:
    """What is inside an lxml element, as HTML."""
    return (wrapper.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in wrapper
    )
