"""What pages advertise: the feeds that were planned, looked up by kind and slug for templates."""

from collections.abc import Iterable
from dataclasses import dataclass

from .table import FORMAT_NAMES, FORMATS, MEDIA_TYPES, Feed


@dataclass(frozen=True)
class FeedLink:
    """One written feed file, as a <link rel="alternate"> or an <a> needs it."""

    title: str
    path: str  # site-relative, e.g. "feeds/all.atom.xml"
    media_type: str
    format_name: str  # "Atom" or "RSS"


class FeedIndex:
    """The feeds a build writes, for templates: only feeds that exist can be linked."""

    def __init__(self, feeds: Iterable[Feed]):
        self._feeds = {(feed.kind, feed.key): feed for feed in feeds}

    def links(self, kind: str, key: str = "") -> list[FeedLink]:
        """The written formats of one feed (Atom first); empty when that feed is not written."""
        feed = self._feeds.get((kind, key))
        if feed is None:
            return []
        return [
            FeedLink(feed.title, feed.paths[fmt], MEDIA_TYPES[fmt], FORMAT_NAMES[fmt])
            for fmt in FORMATS
            if fmt in feed.paths
        ]
