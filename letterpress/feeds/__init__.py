"""Feeds: Atom and RSS 2.0 for essays, categories, tags, comments, workshops and the newsletter.

`table` decides which feeds exist and what they hold; `entries` turns each source into an entry;
`writer` renders a feed with feedgen. plugins/feeds gathers the facts from Pelican and writes files.
"""

from .entries import Entry, Essay, Term, aware, site_authority, tag_uri
from .table import (
    DEFAULT_PATHS,
    FORMAT_NAMES,
    FORMATS,
    KINDS,
    MEDIA_TYPES,
    Feed,
    FeedSettingError,
    SiteFacts,
    feed_paths,
    plan_feeds,
)
from .writer import feed_digest, render_feed

__all__ = [
    "DEFAULT_PATHS",
    "FORMATS",
    "FORMAT_NAMES",
    "KINDS",
    "MEDIA_TYPES",
    "Entry",
    "Essay",
    "Feed",
    "FeedSettingError",
    "SiteFacts",
    "Term",
    "aware",
    "feed_digest",
    "feed_paths",
    "plan_feeds",
    "render_feed",
    "site_authority",
    "tag_uri",
]
