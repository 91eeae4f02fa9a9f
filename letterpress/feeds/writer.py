"""The one feed writer: a planned `Feed` to Atom or RSS 2.0 bytes, made by feedgen."""

import hashlib

from feedgen.feed import FeedGenerator

from letterpress.seo import absolute_url

from .entries import Entry
from .table import FORMATS, MEDIA_TYPES, Feed, SiteFacts

GENERATOR = "Letterpress"


def render_feed(feed: Feed, site: SiteFacts) -> dict[str, bytes]:
    """The feed as XML in each format it is written in ("atom", "rss") -> bytes.

    Each version's rel="self" link is its own address; the entries are built once for both.
    """
    generator = FeedGenerator()
    # RSS <author> must be an e-mail address; names go in Dublin Core's creator instead.
    generator.load_extension("dc", atom=False, rss=True)
    # One id for a feed whatever the format it is read in: the address of its Atom version.
    generator.id(absolute_url(site.base, feed.paths.get("atom") or next(iter(feed.paths.values()))))
    generator.title(feed.title)
    generator.subtitle(site.subtitle or feed.title)
    generator.author({"name": site.author})
    generator.language(site.language)
    generator.generator(GENERATOR)
    # The newest entry dates the feed, never the clock: the same commit gives the same bytes.
    generator.updated(feed.updated)
    for entry in feed.entries:
        _add_entry(generator, entry)
    rendered = {}
    for fmt in FORMATS:
        if fmt not in feed.paths:
            continue
        # feedgen takes RSS's one channel <link> from the last link given: the page, not the feed.
        generator.link(
            [
                {
                    "href": absolute_url(site.base, feed.paths[fmt]),
                    "rel": "self",
                    "type": MEDIA_TYPES[fmt],
                },
                {"href": feed.page_url, "rel": "alternate", "type": "text/html"},
            ],
            replace=True,
        )
        serialise = generator.atom_str if fmt == "atom" else generator.rss_str
        rendered[fmt] = serialise(pretty=True)
    return rendered


def feed_digest(feed: Feed, site: SiteFacts) -> str:
    """A hash of everything `render_feed` reads: the planned feed with every entry, and the
    site's facts that go into a feed's head. The same digest means the same bytes (under one
    build fingerprint, which covers feedgen's version and this code)."""
    head = (site.base, site.title, site.subtitle, site.author, site.language)
    digest = hashlib.blake2b(repr((head, feed)).encode("utf-8", "surrogatepass"), digest_size=16)
    return digest.hexdigest()


def _add_entry(generator: FeedGenerator, entry: Entry) -> None:
    item = generator.add_entry(order="append")
    # A tag: URI is not a web address, so RSS marks the guid isPermaLink="false".
    item.guid(entry.id, permalink=entry.id.startswith(("http://", "https://")))
    item.title(entry.title)
    item.link(href=entry.link, rel="alternate", type="text/html")
    item.published(entry.published)
    item.updated(entry.updated)
    author = entry.author or generator.author()[0]["name"]
    item.author({"name": author, **({"uri": entry.author_uri} if entry.author_uri else {})})
    item.dc.dc_creator(author)
    # content() before summary(): RSS then carries the summary as <description> and the full
    # text as <content:encoded>, which is what feed readers and RSS-to-email services expect.
    if entry.content_html:  # an older essay past the full-text cap: summary and link only
        item.content(entry.content_html, type="html")
    if entry.summary_html:
        item.summary(entry.summary_html, type="html")
    for term in entry.categories:
        item.category(term=term.slug, label=term.name, scheme=term.url)
