"""The one feed writer: a planned `Feed` to Atom or RSS 2.0 bytes, made by feedgen."""

from feedgen.feed import FeedGenerator

from .entries import Entry
from .table import FORMATS, MEDIA_TYPES, Feed, SiteFacts

GENERATOR = "Letterpress"


def absolute(base: str, path: str) -> str:
    return f"{base}/{path.lstrip('/')}"


def render_feed(feed: Feed, fmt: str, site: SiteFacts) -> bytes:
    """The feed as XML in one format ("atom" or "rss"); its rel="self" link is its own address."""
    if fmt not in FORMATS or fmt not in feed.paths:
        raise ValueError(f"The {feed.kind} feed {feed.key!r} is not written as {fmt!r}.")
    generator = FeedGenerator()
    # RSS <author> must be an e-mail address; names go in Dublin Core's creator instead.
    generator.load_extension("dc", atom=False, rss=True)
    self_url = absolute(site.base, feed.paths[fmt])
    # One id for a feed whatever the format it is read in: the address of its Atom version.
    generator.id(absolute(site.base, feed.paths.get("atom", feed.paths[fmt])))
    generator.title(feed.title)
    generator.subtitle(site.subtitle or feed.title)
    generator.author({"name": site.author})
    generator.language(site.language)
    generator.generator(GENERATOR)
    # feedgen takes RSS's one channel <link> from the last link given: the page, not the feed.
    generator.link(
        [
            {"href": self_url, "rel": "self", "type": MEDIA_TYPES[fmt]},
            {"href": feed.page_url, "rel": "alternate", "type": "text/html"},
        ],
        replace=True,
    )
    # The newest entry dates the feed, never the clock: the same commit gives the same bytes.
    generator.updated(feed.updated)
    for entry in feed.entries:
        _add_entry(generator, entry)
    if fmt == "atom":
        return generator.atom_str(pretty=True)
    return generator.rss_str(pretty=True)


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
    item.content(entry.content_html, type="html")
    if entry.summary_html:
        item.summary(entry.summary_html, type="html")
    for term in entry.categories:
        item.category(term=term.slug, label=term.name, scheme=term.url)
