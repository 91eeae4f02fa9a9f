"""Which feeds the site has: one table of (kind, paths, selection), planned into `Feed` objects.

Every feed is a row of `KINDS`: a name, and a pure function choosing its entries from the site's
facts. Paths come from the FEED_PATHS setting laid over `DEFAULT_PATHS`, so one writer serves all
of them (house rule 4).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, TypeVar

from letterpress.workshops import upcoming

from .entries import Entry, Essay, comment_entry, essay_entry, issue_entry, workshop_entry

FORMATS = ("atom", "rss")
MEDIA_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
FORMAT_NAMES = {"atom": "Atom", "rss": "RSS"}

# Pelican's own conventions for the essay and category feeds, so subscribers of an existing Pelican
# site keep theirs. Pelican has no tag feed by default; its documented example pattern
# ("feeds/{slug}.atom.xml") would collide with a category of the same slug, so tags get a folder.
DEFAULT_PATHS: Mapping[str, tuple[str | None, str | None]] = {
    "essays": ("feeds/all.atom.xml", "feeds/all.rss.xml"),
    "category": ("feeds/{slug}.atom.xml", "feeds/{slug}.rss.xml"),
    "tag": ("feeds/tag/{slug}.atom.xml", "feeds/tag/{slug}.rss.xml"),
    "comments": ("feeds/comments.atom.xml", "feeds/comments.rss.xml"),
    "essay-comments": ("feeds/comments/{slug}.atom.xml", "feeds/comments/{slug}.rss.xml"),
    "workshops": ("feeds/workshops.atom.xml", "feeds/workshops.rss.xml"),
    "newsletter": ("feeds/newsletter.atom.xml", "feeds/newsletter.rss.xml"),
}
_PER_SLUG = {"category", "tag", "essay-comments"}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class FeedSettingError(ValueError):
    """A feed setting is malformed, or two feeds would be written to the same file."""


# What a feed's entries are made from: an essay, a comment, a workshop or an issue.
Source = TypeVar("Source")


@dataclass(frozen=True)
class SiteFacts:
    """Everything the feeds are made from, gathered by plugins/feeds. URLs are absolute.

    A source that is None has no provider in this build (its plugin is absent), and its feeds are
    not written; an empty tuple is a provider with nothing to say yet, and its feeds are.
    """

    base: str
    authority: str
    title: str
    subtitle: str
    author: str
    language: str
    timezone: str
    today: dt.date
    essays: tuple[Essay, ...]
    comments: tuple | None = None
    workshops: tuple | None = None
    issues: tuple | None = None
    # The pages the workshops and newsletter feeds stand for (their index pages), when known.
    workshops_url: str = ""
    newsletter_url: str = ""

    @cached_property
    def essays_by_slug(self) -> Mapping[str, Essay]:
        return {essay.slug: essay for essay in self.essays}


@dataclass(frozen=True)
class Selection(Generic[Source]):
    """What one feed holds: a key for the path's {slug}, a title, its page, its entries' sources."""

    key: str
    title: str
    page_url: str
    sources: Sequence[Source]


@dataclass(frozen=True)
class FeedKind(Generic[Source]):
    name: str
    select: Callable[[SiteFacts], Iterable[Selection[Source]]]
    # (site, source, full): `full` is False past the newest FEED_FULL_TEXT_ITEMS of an essay
    # feed, where an entry carries the summary only.
    entry: Callable[[SiteFacts, Source, bool], Entry]
    subject: str  # how a page names what the feed follows: "essays", "comments"…


@dataclass(frozen=True)
class Feed:
    kind: str
    key: str
    title: str
    page_url: str
    paths: Mapping[str, str]  # format -> output path, only formats that are written
    entries: tuple[Entry, ...]
    updated: dt.datetime


# -- selections: pure functions of the site's facts ---------------------------------------------


def _all_essays(site: SiteFacts) -> Iterable[Selection[Essay]]:
    yield Selection("", site.title, site.base + "/", _newest_first(site.essays))


def _by_term(
    site: SiteFacts, terms_of: Callable[[Essay], Iterable], what: str
) -> Iterable[Selection[Essay]]:
    groups: defaultdict[str, list[Essay]] = defaultdict(list)
    names = {}
    for essay in site.essays:
        for term in terms_of(essay):
            groups[term.slug].append(essay)
            names[term.slug] = term
    for slug in sorted(groups):
        term = names[slug]
        title = f"{site.title}: {what} “{term.name}”"
        yield Selection(slug, title, term.url, _newest_first(groups[slug]))


def _categories(site: SiteFacts) -> Iterable[Selection[Essay]]:
    return _by_term(site, lambda e: [e.category] if e.category else [], "essays in")


def _tags(site: SiteFacts) -> Iterable[Selection[Essay]]:
    return _by_term(site, lambda e: e.tags, "essays tagged")


def _all_comments(site: SiteFacts) -> Iterable[Selection]:
    if site.comments is None:
        return
    comments = [c for c in site.comments if c.essay in site.essays_by_slug]
    yield Selection("", f"{site.title}: comments", site.base + "/", _latest_comments(comments))


def _essay_comments(site: SiteFacts) -> Iterable[Selection]:
    """A thread feed for each essay that has comments: an essay without any has nothing to
    follow yet, and a thousand empty feeds would be written for nobody."""
    if site.comments is None:
        return
    threads = defaultdict(list)
    for comment in site.comments:
        threads[comment.essay].append(comment)
    for essay in site.essays:
        thread = threads.get(essay.slug, [])
        if thread:
            title = f"Comments on “{essay.title}”"
            yield Selection(essay.slug, title, essay.url + "#comments", _latest_comments(thread))


def _upcoming_workshops(site: SiteFacts) -> Iterable[Selection]:
    """Workshops not yet over on the build date, soonest first."""
    if site.workshops is None:
        return
    soonest_first = upcoming(site.workshops, site.today)
    title = f"{site.title}: upcoming workshops"
    yield Selection("", title, site.workshops_url or site.base + "/", soonest_first)


def _newsletter_issues(site: SiteFacts) -> Iterable[Selection]:
    if site.issues is None:
        return
    issues = sorted(site.issues, key=lambda issue: issue.month, reverse=True)
    title = f"{site.title}: newsletter"
    yield Selection("", title, site.newsletter_url or site.base + "/", issues)


def _newest_first(essays: Iterable[Essay]) -> list[Essay]:
    return sorted(essays, key=lambda e: (e.published, e.slug), reverse=True)


def _latest_comments(comments: Iterable) -> list:
    return sorted(comments, key=lambda c: (c.date, c.id), reverse=True)


# Each row has its own kind of source; Any lets the rows share one tuple.
KINDS: tuple[FeedKind[Any], ...] = (
    FeedKind("essays", _all_essays, lambda s, e, full: essay_entry(e, s.authority, full), "essays"),
    FeedKind(
        "category", _categories, lambda s, e, full: essay_entry(e, s.authority, full), "essays"
    ),
    FeedKind("tag", _tags, lambda s, e, full: essay_entry(e, s.authority, full), "essays"),
    FeedKind(
        "comments",
        _all_comments,
        lambda s, c, _full: comment_entry(c, s.essays_by_slug[c.essay], s.authority),
        "comments",
    ),
    FeedKind(
        "essay-comments",
        _essay_comments,
        lambda s, c, _full: comment_entry(c, s.essays_by_slug[c.essay], s.authority),
        "comments",
    ),
    FeedKind(
        "workshops",
        _upcoming_workshops,
        lambda s, w, _full: workshop_entry(w, s.base, s.authority),
        "workshops",
    ),
    FeedKind(
        "newsletter",
        _newsletter_issues,
        lambda s, i, _full: issue_entry(i, s.base, s.authority, s.timezone),
        "newsletter issues",
    ),
)


# -- planning ------------------------------------------------------------------------------------


def feed_paths(configured: Mapping | None) -> dict[str, tuple[str | None, str | None]]:
    """FEED_PATHS laid over the defaults; a path of None turns that format of a feed off."""
    paths = dict(DEFAULT_PATHS)
    for kind, pair in (configured or {}).items():
        if kind not in DEFAULT_PATHS:
            known = ", ".join(DEFAULT_PATHS)
            raise FeedSettingError(f"FEED_PATHS: unknown feed {kind!r}; the feeds are {known}.")
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            raise FeedSettingError(
                f"FEED_PATHS[{kind!r}] must be a pair (atom path, rss path), not {pair!r}."
            )
        for path in pair:
            if path is not None and kind in _PER_SLUG and "{slug}" not in path:
                raise FeedSettingError(
                    f"FEED_PATHS[{kind!r}]: {path!r} needs a {{slug}} placeholder, "
                    f"one file per {kind.replace('-', ' ')}."
                )
        paths[kind] = tuple(pair)
    return paths


def plan_feeds(
    site: SiteFacts,
    paths: Mapping[str, tuple[str | None, str | None]],
    max_items: int | None,
    full_text_items: int | None = None,
) -> list[Feed]:
    """Every feed the site writes, with its entries; raises FeedSettingError on a path clash.

    At most `max_items` entries a feed; in the essay feeds only the newest `full_text_items`
    carry the whole essay (None: all of them), the older ones their summary and link. A feed
    reader fetches a feed every few hours: it needs the new essays in full, not the archive.
    """
    entries: dict[tuple[str, int], Entry] = {}
    fallback = max((e.updated for e in site.essays), default=EPOCH)
    feeds = []
    for kind in KINDS:
        patterns = dict(zip(FORMATS, paths.get(kind.name, (None, None)), strict=True))
        if not any(patterns.values()):
            continue
        for selection in kind.select(site):
            sources = list(selection.sources)[:max_items] if max_items else selection.sources
            made = tuple(
                _entry(
                    kind, site, source, entries, full_text_items is None or place < full_text_items
                )
                for place, source in enumerate(sources)
            )
            written = {
                fmt: pattern.format(slug=selection.key)
                for fmt, pattern in patterns.items()
                if pattern
            }
            updated = max((entry.updated for entry in made), default=fallback)
            feeds.append(
                Feed(
                    kind.name,
                    selection.key,
                    selection.title,
                    selection.page_url,
                    written,
                    made,
                    updated,
                )
            )
    _refuse_clashes(feeds)
    return feeds


def _entry(kind: FeedKind, site: SiteFacts, source, made: dict, full: bool) -> Entry:
    # An essay appears in the all-essays feed, its category's and each tag's: render it once.
    key = (kind.subject, id(source), full)
    if key not in made:
        made[key] = kind.entry(site, source, full)
    return made[key]


def _refuse_clashes(feeds: Sequence[Feed]) -> None:
    owners: dict[str, str] = {}
    for feed in feeds:
        for path in feed.paths.values():
            owner = f"the {feed.kind} feed" + (f" {feed.key!r}" if feed.key else "")
            if path in owners:
                raise FeedSettingError(
                    f"{owners[path]} and {owner} would both be written to {path}: rename one "
                    f"(its slug) or change FEED_PATHS in pelicanconf.py."
                )
            owners[path] = owner
