"""Small plain-data sources for the feed library's tests: essays, comments, workshops, issues."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from letterpress.feeds import Essay, SiteFacts, Term
from letterpress.workshops import Workshop, parse_workshop

PACIFIC = ZoneInfo("America/Los_Angeles")
BASE = "https://letterpress.example"
TODAY = dt.date(2026, 11, 26)


def moment(day: str, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=PACIFIC)


def term(name: str, kind: str = "tag") -> Term:
    slug = name.lower().replace(" ", "-")
    return Term(name, slug, f"{BASE}/{kind}/{slug}/")


def essay(slug: str, day: str, **changes) -> Essay:
    values = {
        "slug": slug,
        "title": slug.replace("-", " ").capitalize(),
        "url": f"{BASE}/essays/{day[:4]}/{day[5:7]}/{slug}/",
        "published": moment(day),
        "updated": moment(day),
        "author": "Miriam Okafor",
        "summary_html": f"<p>About {slug}.</p>",
        "category": term("Leadership", "category"),
        "tags": (term("teams"),),
        "content_html": lambda: f'<p>The essay {slug}, <a href="../other/">linked</a>.</p>',
    }
    values.update(changes)
    return Essay(**values)


@dataclass
class Comment:
    """The fields of letterpress.comments.Comment that the feeds read."""

    id: str
    essay: str
    author: str
    date: dt.datetime
    html: str
    url: str = ""
    reply_to: str | None = None
    role: str = ""
    body: str = ""


def workshop(slug: str, start: str, days: int = 2) -> Workshop:
    """A real workshop, read from a file in the DESIGN.md format."""
    end = dt.date.fromisoformat(start) + dt.timedelta(days=days - 1)
    text = (
        f"Title: {slug.replace('-', ' ').title()}\nStart: {start} 09:00\nEnd: {end} 17:00\n"
        "City: Seattle\nVenue: The Loft\nAddress: 311 Occidental Avenue South\n"
        "Price: 500 USD\nSeats: 12\nSummary: Two days on the long shape of a team's work.\n\n"
        "The description.\n"
    )
    return parse_workshop(
        text, f"{slug}.md", default_slug=slug, default_timezone="America/Los_Angeles"
    )


@dataclass
class Issue:
    month: str
    subject: str
    preheader: str
    url: str
    date: dt.date
    html: str


def site(essays=(), comments=None, workshops=None, issues=None) -> SiteFacts:
    return SiteFacts(
        base=BASE,
        authority="letterpress.example",
        title="Generative Leadership",
        subtitle="Essays on leading people who make things",
        author="Miriam Okafor",
        language="en",
        timezone="America/Los_Angeles",
        today=TODAY,
        essays=tuple(essays),
        comments=None if comments is None else tuple(comments),
        workshops=None if workshops is None else tuple(workshops),
        issues=None if issues is None else tuple(issues),
    )
