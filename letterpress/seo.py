"""What search engines and link previews read: canonical URLs, social tags, JSON-LD, the sitemap.

Everything here is pure: plain data in, plain data (or XML bytes) out. plugins/seo gathers the
facts from Pelican and writes the results.
"""

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
SCHEMA_ORG = "https://schema.org"
# Characters that could end a <script> element or start a comment inside it. In JSON they can
# only occur inside strings, where the \u escapes mean exactly the same thing.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


class SeoSettingError(ValueError):
    """A setting the SEO output depends on is missing or malformed."""


DEFAULT_CANONICAL_BASE = "https://letterpress.example"


def choose_canonical_base(configured: str | None, site_url: str) -> str:
    """SITE_CANONICAL_URL when set, else SITEURL when it is absolute, else the placeholder domain.

    Development builds use relative URLs (SITEURL ""), yet canonical links, Open Graph and the
    sitemap must be absolute, so they always come from this base.
    """
    if configured:
        return canonical_base(configured)
    if urlsplit(site_url or "").scheme:
        return canonical_base(site_url, setting="SITEURL")
    return DEFAULT_CANONICAL_BASE


def canonical_base_from(settings: Mapping) -> str:
    """The canonical base for a settings mapping (SITE_CANONICAL_URL, else an absolute SITEURL)."""
    return choose_canonical_base(settings.get("SITE_CANONICAL_URL"), settings.get("SITEURL", ""))


def canonical_base(value: str, setting: str = "SITE_CANONICAL_URL") -> str:
    """The site's absolute root URL without a trailing slash; rejects anything else by name."""
    parts = urlsplit(value or "")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SeoSettingError(
            f"{setting}={value!r} is not an absolute http(s) URL; canonical links, Open Graph "
            f"and the sitemap need one. Set it (publishconf.py takes it from $SITEURL) to an "
            f"address such as 'https://example.org'."
        )
    if parts.query or parts.fragment:
        raise SeoSettingError(f"{setting}={value!r} must not have a query or fragment.")
    return value.rstrip("/")


def absolute_url(base: str, path: str) -> str:
    """Join a site-relative URL path ('essays/2026/09/slug/') to the canonical base."""
    if urlsplit(path).scheme:
        return path
    return f"{base}/{path.lstrip('/')}"


def url_path_for_file(output_file: str) -> str:
    """The URL path a server gives a written file: 'essays/index.html' is served as 'essays/'."""
    path = output_file.replace("\\", "/").lstrip("/")
    if path == "index.html":
        return ""
    if path.endswith("/index.html"):
        return path[: -len("index.html")]
    return path


@dataclass(frozen=True)
class PageFacts:
    """What one page says about itself to search engines and link previews."""

    title: str
    description: str
    url: str  # absolute
    site_name: str
    is_essay: bool = False
    published: dt.datetime | None = None
    modified: dt.datetime | None = None
    author: str = ""
    section: str = ""


def social_meta(facts: PageFacts) -> list[tuple[str, str, str]]:
    """Open Graph and Twitter card tags as (attribute, key, content), in the order to write them."""
    og_type = "article" if facts.is_essay else "website"
    tags = [
        ("property", "og:type", og_type),
        ("property", "og:title", facts.title),
        ("property", "og:description", facts.description),
        ("property", "og:url", facts.url),
        ("property", "og:site_name", facts.site_name),
        # Twitter/X reads the title and description from og:title and og:description.
        ("name", "twitter:card", "summary"),
    ]
    if facts.is_essay:
        article_tags = [
            ("article:published_time", facts.published),
            ("article:modified_time", facts.modified),
            ("article:section", facts.section),
        ]
        for key, value in article_tags:
            if value:
                text = value.isoformat() if isinstance(value, dt.datetime) else value
                tags.append(("property", key, text))
    return tags


def article_json_ld(facts: PageFacts) -> dict:
    """A schema.org Article describing one essay."""
    if facts.published is None:
        raise ValueError(f"The essay at {facts.url} has no publication date for its JSON-LD.")
    published = facts.published.isoformat()
    return {
        "@context": SCHEMA_ORG,
        "@type": "Article",
        "headline": facts.title,
        "description": facts.description,
        "datePublished": published,
        "dateModified": facts.modified.isoformat() if facts.modified else published,
        "author": {"@type": "Person", "name": facts.author},
        "url": facts.url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": facts.url},
    }


def json_for_script(data: dict) -> str:
    """JSON text that is safe as the body of an HTML <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    for character, escape in _SCRIPT_UNSAFE.items():
        text = text.replace(character, escape)
    return text


@dataclass(frozen=True)
class SitemapEntry:
    loc: str  # absolute
    lastmod: dt.datetime | None = None


def sitemap_entries(
    base: str, pages: Iterable[tuple[str, dt.datetime | None]]
) -> list[SitemapEntry]:
    """One entry per URL (the latest date wins when a URL comes twice), sorted by URL."""
    latest: dict[str, dt.datetime | None] = {}
    for path, lastmod in pages:
        loc = absolute_url(base, path)
        known = latest.get(loc)
        if loc not in latest or (lastmod is not None and (known is None or lastmod > known)):
            latest[loc] = lastmod
    return [SitemapEntry(loc, latest[loc]) for loc in sorted(latest)]


def w3c_datetime(moment: dt.datetime) -> str:
    """A sitemap date: the full time with its offset when aware, only the day when naive."""
    if moment.tzinfo is None:
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds")


def sitemap_xml(entries: Iterable[SitemapEntry]) -> bytes:
    """A sitemaps.org <urlset> document."""
    urlset = etree.Element(f"{{{SITEMAP_NAMESPACE}}}urlset", nsmap={None: SITEMAP_NAMESPACE})
    for entry in entries:
        url = etree.SubElement(urlset, f"{{{SITEMAP_NAMESPACE}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NAMESPACE}}}loc").text = entry.loc
        if entry.lastmod is not None:
            lastmod = etree.SubElement(url, f"{{{SITEMAP_NAMESPACE}}}lastmod")
            lastmod.text = w3c_datetime(entry.lastmod)
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def robots_txt(sitemap_url: str) -> str:
    """Let every crawler in and tell it where the sitemap is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"
