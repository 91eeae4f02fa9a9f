"""Feed entries: what one essay, comment, workshop or newsletter issue says in a feed.

Each source becomes an `Entry`, plain data that the writer turns into Atom and RSS alike. Ids are
tag: URIs (RFC 4151) built only from facts that do not change when an essay is edited or the site
is rebuilt: the site's domain, the date the thing first appeared, and its slug or id.
"""

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import lxml.html
from lxml.html import builder as E

from letterpress.embeds import away_from_page
from letterpress.html_urls import absolutize
from letterpress.workshops import Workshop, page_url

# Attributes holding one URL each; srcset holds several and is handled on its own.


@dataclass(frozen=True)
class Term:
    """A category or tag: its name, slug and absolute page URL."""

    name: str
    slug: str
    url: str


@dataclass(frozen=True)
class Essay:
    """What the feeds need of a published essay; URLs are absolute."""

    slug: str
    title: str
    url: str
    published: dt.datetime
    updated: dt.datetime
    author: str
    summary_html: str
    category: Term | None = None
    tags: tuple[Term, ...] = ()
    comments_open: bool = True
    # An id pinned in the essay's metadata (Feed-Id) wins over the computed one, so an essay
    # imported from elsewhere, or renamed, keeps the id its readers' feed readers already know.
    pinned_id: str | None = None
    # Full HTML is rendered only for essays that make it into a feed: with a thousand essays and
    # twenty per feed, most never need it.
    content_html: Callable[[], str] = field(default=lambda: "", compare=False, repr=False)


@dataclass(frozen=True)
class Entry:
    """One feed entry, independent of Atom or RSS. Times are timezone-aware."""

    id: str
    title: str
    link: str
    published: dt.datetime
    updated: dt.datetime
    author: str
    content_html: str
    summary_html: str = ""
    author_uri: str = ""
    categories: tuple[Term, ...] = ()


def tag_uri(authority: str, day: dt.date, specific: str) -> str:
    """A tag: URI, e.g. 'tag:example.org,2026-09-14:essays/slug' (RFC 4151)."""
    return f"tag:{authority},{day.isoformat()}:{specific}"


def essay_entry(essay: Essay, authority: str, full: bool = True) -> Entry:
    """The essay (in full, or only its summary when not `full`), with its summary, category and
    tags as feed categories."""
    day = essay.published.date()
    return Entry(
        id=essay.pinned_id or tag_uri(authority, day, f"essays/{essay.slug}"),
        title=essay.title,
        link=essay.url,
        published=essay.published,
        updated=max(essay.updated, essay.published),
        author=essay.author,
        content_html=absolutize(away_from_page(essay.content_html()), essay.url) if full else "",
        summary_html=absolutize(away_from_page(essay.summary_html), essay.url),
        categories=tuple(filter(None, (essay.category, *essay.tags))),
    )


def comment_entry(comment, essay: Essay, authority: str) -> Entry:
    """A comment (letterpress.comments.Comment) as an entry pointing at its anchor."""
    link = f"{essay.url}#comment-{comment.id}"
    return Entry(
        id=tag_uri(authority, comment.date.date(), f"comments/{comment.essay}/{comment.id}"),
        title=f"{comment.author} on “{essay.title}”",
        link=link,
        published=comment.date,
        updated=comment.date,
        author=comment.author,
        author_uri=comment.url or "",
        content_html=absolutize(comment.html, link),
    )


def workshop_entry(workshop: Workshop, base: str, authority: str) -> Entry:
    """A workshop announced with when, where, the price and its summary.

    A workshop file has no publication date, so its start stands in for one: the entry is
    dated by when the workshop happens, and its id by that date and the slug.
    """
    url = page_url(workshop, base)
    facts = (
        ("When", f"{workshop.date_range}, {workshop.time_span}"),
        ("Where", workshop.place),
        ("Price", workshop.price_text),
    )
    paragraphs = [E.P(E.STRONG(f"{label}: "), value) for label, value in facts]
    paragraphs.append(E.P(workshop.summary))
    paragraphs.append(E.P(E.A("Details and registration", href=url)))
    content = "".join(lxml.html.tostring(p, encoding="unicode") for p in paragraphs)
    return Entry(
        id=tag_uri(authority, workshop.start.date(), f"workshops/{workshop.slug}"),
        title=f"{workshop.title}: {workshop.city}, {workshop.date_range}",
        link=url,
        published=workshop.start,
        updated=workshop.start,
        author="",
        content_html=content,
        summary_html=html.escape(workshop.summary),
    )


def issue_entry(issue, base: str, authority: str, timezone: str) -> Entry:
    """A newsletter issue (as plugins/newsletter exposes it) with its web version's HTML."""
    url = urljoin(base + "/", issue.url)
    date = aware(issue.date, timezone)
    return Entry(
        id=tag_uri(
            authority, dt.date.fromisoformat(f"{issue.month}-01"), f"newsletter/{issue.month}"
        ),
        title=issue.subject,
        link=url,
        published=date,
        updated=date,
        author="",
        content_html=absolutize(issue.html, url),
        summary_html=html.escape(issue.preheader or ""),
    )


def aware(value: dt.date | dt.datetime, timezone: str) -> dt.datetime:
    """A datetime with an offset: naive values and plain dates are read in the site's zone."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value


def site_authority(base: str, override: str | None = None) -> str:
    """The domain tag: ids are minted under: FEED_ID_AUTHORITY, else the canonical host."""
    return override or urlsplit(base).hostname or "localhost"
