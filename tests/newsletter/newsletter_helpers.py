"""Small hand-made essays, comments and workshops for the newsletter's tests."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from letterpress.comments import Comment
from letterpress.newsletter import EmailSite, EssaySource
from letterpress.workshops import Workshop
from tests.support import ROOT

TIMEZONE = "America/Los_Angeles"
ZONE = ZoneInfo(TIMEZONE)
SITE_NAME = "Generative Leadership"
SITE_URL = "https://letterpress.example"
# The site the e-mail templates render for: the theme's own templates, these name and URL.
SITE = EmailSite(SITE_NAME, SITE_URL, ROOT / "theme" / "templates" / "email")


def moment(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=ZONE)


def essay(slug: str, day: str, status: str = "published", words: int = 460) -> EssaySource:
    return EssaySource(
        slug=slug,
        title=slug.replace("-", " ").capitalize(),
        date=moment(day),
        url=f"essays/{day[:4]}/{day[5:7]}/{slug}/",
        summary_html=f"<p>What <em>{slug}</em> argues, in a sentence.</p>",
        content_html="<p>" + "word " * words + "</p>",
        status=status,
    )


def comment(essay_slug: str, day: str, author: str = "Karl Ames", **fields) -> Comment:
    ident = fields.pop("id", f"{day.replace('-', '')}-1200-{author[:4].lower()}")
    body = fields.pop("body", "I agree with most of this.")
    return Comment(
        id=ident, essay=essay_slug, author=author, date=moment(day, 12), body=body, **fields
    )


def workshop(slug: str, start: str, end: str, registration: str = "open") -> Workshop:
    return Workshop(
        slug=slug,
        title=slug.replace("-", " ").title(),
        start=moment(start),
        end=moment(end, 17),
        timezone=TIMEZONE,
        city="Seattle",
        venue="The Loft",
        address="1 Main Street",
        price=Decimal("500"),
        currency="USD",
        seats=12,
        summary="Two days on the long shape of a team's work.",
        registration=registration,
        url=f"workshops/{slug}/",
    )


TODAY = dt.date(2026, 11, 26)
