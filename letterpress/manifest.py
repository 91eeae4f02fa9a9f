"""The site manifest, `output/letterpress.json`: what the inbox may accept.

The build writes it (plugins/manifest); the inbox reads it. It lists the essays (and whether they
take comments, and which comment ids exist) and the workshops (seats and registration state). It
holds no personal data: it is published with the site.
"""

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from letterpress.errors import LetterpressError

FILENAME = "letterpress.json"
VERSION = 1


class ManifestError(LetterpressError, ValueError):
    """The manifest is missing or unreadable; the message names the file."""


@dataclass(frozen=True)
class EssayEntry:
    slug: str
    title: str
    url: str
    comments_open: bool = True
    comment_ids: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "comments_open": self.comments_open,
            "comment_ids": list(self.comment_ids),
        }

    @classmethod
    def from_json(cls, slug: str, data: Mapping) -> "EssayEntry":
        return cls(
            slug=slug,
            title=data["title"],
            url=data["url"],
            comments_open=bool(data.get("comments_open", True)),
            comment_ids=tuple(data.get("comment_ids", ())),
        )


@dataclass(frozen=True)
class WorkshopEntry:
    """A workshop as the inbox needs it to take registrations.

    `state` is the workshop's state on the build date (open, waitlist, closed, past); the inbox
    moves it on with the clock (a workshop that has begun takes no more registrations).
    """

    slug: str
    title: str
    url: str
    seats: int
    max_seats_per_registration: int
    state: str
    start: dt.datetime
    end: dt.datetime
    # What a seat costs ("500", "0" when free) and in which ISO currency; the refund policy
    # (full refund until this many days before; None: none stated); how to pay without a card.
    price: str = "0"
    currency: str = "USD"
    refund_days: int | None = None
    payment_instructions: str = ""
    # Where (venue, street address, city on one line), the IANA time zone, and whether the hours
    # hold on each day ("daily") or run from start to end ("continuous"): for the e-mail.
    place: str = ""
    timezone: str = ""
    hours: str = "continuous"
    # The workshop's calendar file on the site, relative to it (the workshops plugin's ics_url
    # setting): the inbox keeps a copy when the site is elsewhere, the e-mail names its
    # attachment after it. Empty in a manifest built before it was carried.
    ics_url: str = ""

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "seats": self.seats,
            "max_seats_per_registration": self.max_seats_per_registration,
            "state": self.state,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "price": self.price,
            "currency": self.currency,
            "refund_days": self.refund_days,
            "payment_instructions": self.payment_instructions,
            "place": self.place,
            "timezone": self.timezone,
            "hours": self.hours,
            "ics_url": self.ics_url,
        }

    @classmethod
    def from_json(cls, slug: str, data: Mapping) -> "WorkshopEntry":
        return cls(
            slug=slug,
            title=data["title"],
            url=data["url"],
            seats=int(data["seats"]),
            max_seats_per_registration=int(data["max_seats_per_registration"]),
            state=data["state"],
            start=dt.datetime.fromisoformat(data["start"]),
            end=dt.datetime.fromisoformat(data["end"]),
            price=str(data.get("price", "0")),
            currency=data.get("currency", "USD"),
            refund_days=data.get("refund_days"),
            payment_instructions=data.get("payment_instructions", ""),
            place=data.get("place", ""),
            timezone=data.get("timezone", ""),
            hours=data.get("hours", "continuous"),
            ics_url=data.get("ics_url", ""),
        )


@dataclass(frozen=True)
class Manifest:
    site_url: str
    build_date: str
    essays: Mapping[str, EssayEntry] = field(default_factory=dict)
    workshops: Mapping[str, WorkshopEntry] = field(default_factory=dict)
    # The site's TIMEZONE and AUTHOR, for the moderation page: times as the site shows them,
    # and the name the author's replies are signed with. Empty in a manifest built before them.
    timezone: str = ""
    author: str = ""

    def as_json(self) -> dict:
        return {
            "version": VERSION,
            "site_url": self.site_url,
            "build_date": self.build_date,
            "timezone": self.timezone,
            "author": self.author,
            "essays": {slug: e.as_json() for slug, e in sorted(self.essays.items())},
            "workshops": {slug: w.as_json() for slug, w in sorted(self.workshops.items())},
        }


def make_manifest(
    site_url: str,
    build_date: str,
    essays: Iterable[EssayEntry],
    workshops: Mapping[str, WorkshopEntry],
    timezone: str = "",
    author: str = "",
) -> Manifest:
    essays_by_slug = {e.slug: e for e in essays}
    return Manifest(site_url, build_date, essays_by_slug, dict(workshops), timezone, author)


def write_manifest(manifest: Manifest, output_dir: Path) -> Path:
    path = Path(output_dir) / FILENAME
    path.write_text(json.dumps(manifest.as_json(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def read_manifest(path: Path) -> Manifest:
    """Load a manifest written by the build; raise ManifestError naming the file if it can't."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ManifestError(
            f"{path}: no site manifest; build the site first (make build)."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(f"{path}: unreadable site manifest ({error}).") from None
    return parse_manifest(text, str(path))


def parse_manifest(text: str, source: str) -> Manifest:
    """The manifest in `text` (read from `source`, a file or an address, named in errors)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ManifestError(f"{source}: unreadable site manifest ({error}).") from None
    if not isinstance(data, dict):
        raise ManifestError(f"{source}: not a site manifest (a JSON object was expected).")
    if data.get("version") != VERSION:
        raise ManifestError(
            f"{source}: manifest version {data.get('version')!r}, expected {VERSION}."
        )
    try:
        essays = {slug: EssayEntry.from_json(slug, e) for slug, e in data.get("essays", {}).items()}
        workshops = {
            slug: WorkshopEntry.from_json(slug, w) for slug, w in data.get("workshops", {}).items()
        }
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ManifestError(f"{source}: an entry is incomplete or malformed ({error!r}).") from None
    return Manifest(
        data.get("site_url", ""),
        data.get("build_date", ""),
        essays,
        workshops,
        timezone=str(data.get("timezone") or ""),
        author=str(data.get("author") or ""),
    )
