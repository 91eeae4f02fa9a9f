"""The workshop file format, `content/workshops/<slug>.md`, and the Workshop it describes.

A file is a header of `Key: value` lines (as in an essay), a blank line, and the description in
Markdown. Every mistake is reported as a WorkshopError naming the file and the field.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .dates import format_date_range, format_time_span, utc_offset_label

DEFAULT_SEATS_PER_REGISTRATION = 2
URL_PATTERN = "workshops/{slug}/"

# What the author may write in `Registration:`; past workshops close themselves.
REGISTRATION_CHOICES = ("open", "waitlist", "closed")
# `Hours: daily` means Start's and End's times of day hold on every day (9 to 5 on both days);
# `continuous` (the default) means one span from Start to End.
HOURS_CHOICES = ("continuous", "daily")
# What the author may write in `Status:` (schema.org's eventStatus follows it).
STATUS_CHOICES = ("scheduled", "cancelled", "postponed")
# The states a workshop can be in on a given day, in the order a registrant meets them.
STATES = ("open", "waitlist", "closed", "past")

CURRENCY_SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "EUR": "€", "GBP": "£", "JPY": "¥"}

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$")


class WorkshopError(ValueError):
    """A workshop file is wrong; the message names the file and the field."""


@dataclass(frozen=True)
class Workshop:
    """One workshop as announced: when, where, how much, how many seats."""

    slug: str
    title: str
    start: dt.datetime  # aware, in `timezone`
    end: dt.datetime  # aware, in `timezone`
    timezone: str
    city: str
    venue: str
    address: str
    price: Decimal
    currency: str
    seats: int
    summary: str
    body: str = ""  # the description, Markdown source
    region: str = ""
    postal_code: str = ""
    country: str = ""
    max_seats_per_registration: int = DEFAULT_SEATS_PER_REGISTRATION
    registration: str = "open"  # what the author chose: open | waitlist | closed
    status: str = "scheduled"
    hours: str = "continuous"
    brochure: str = ""  # path inside the content folder, such as "files/the-arc-brochure.pdf"
    # Full refund for a cancellation up to this many days before Start; none after (None: the
    # file states no policy, and a cancellation is refunded only when the author says so).
    refund_days: int | None = None
    # How to pay without a card (bank transfer, invoice): shown on the page and in the e-mail.
    payment_instructions: str = ""
    url: str = ""
    source: str = ""

    @property
    def date_range(self) -> str:
        """'May 14–15, 2027'."""
        return format_date_range(self.start.date(), self.end.date())

    @property
    def days(self) -> int:
        """How many calendar days the workshop touches."""
        return (self.end.date() - self.start.date()).days + 1

    @property
    def first_day_end(self) -> dt.datetime:
        """When the first day ends: End's time of day on Start's date for daily hours."""
        if self.hours != "daily":
            return self.end
        return dt.datetime.combine(self.start.date(), self.end.timetz())

    @property
    def repeats_daily(self) -> bool:
        """Held the same hours on each of several days (calendars repeat the first day)."""
        return self.hours == "daily" and self.days > 1

    @property
    def time_span(self) -> str:
        """'9:00 am – 5:00 pm PDT each day', or 'Friday 9:00 am – Saturday 5:00 pm PDT'."""
        if self.repeats_daily:
            return f"{format_time_span(self.start, self.first_day_end)}, each day"
        return format_time_span(self.start, self.end)

    @property
    def utc_offset(self) -> str:
        return utc_offset_label(self.start)

    @property
    def price_text(self) -> str:
        """'$500 USD': the symbol readers know, and the code nobody can misread."""
        amount = f"{self.price:,.2f}".removesuffix(".00")
        symbol = CURRENCY_SYMBOLS.get(self.currency, "")
        return f"{symbol}{amount} {self.currency}" if symbol else f"{amount} {self.currency}"

    @property
    def place(self) -> str:
        """Venue, street address and city on one line, for calendars and maps."""
        locality = " ".join(p for p in (self.region, self.postal_code) if p)
        parts = [self.venue, self.address, self.city, locality, self.country]
        return ", ".join(p for p in parts if p)


def state(workshop: Workshop, today: dt.date) -> str:
    """Where registration stands on `today` (a date in the site's calendar).

    past: the last day is behind us. closed: the author closed it, it was cancelled or postponed,
    or it has already begun. waitlist: the author opened the waiting list only. open: otherwise.
    """
    if today > workshop.end.date():
        return "past"
    if (
        workshop.registration == "closed"
        or workshop.status != "scheduled"
        or today >= workshop.start.date()
    ):
        return "closed"
    return workshop.registration


def upcoming(workshops: Iterable[Workshop], today: dt.date) -> list[Workshop]:
    """Workshops not yet over, soonest first."""
    return sorted((w for w in workshops if state(w, today) != "past"), key=lambda w: w.start)


def past(workshops: Iterable[Workshop], today: dt.date) -> list[Workshop]:
    """Workshops that are over, most recent first."""
    done = (w for w in workshops if state(w, today) == "past")
    return sorted(done, key=lambda w: w.start, reverse=True)


def block_workshop(workshops: Sequence[Workshop], today: dt.date, choice: str) -> Workshop | None:
    """The workshop to announce below each essay.

    `choice` is "next" (the soonest open one), "off", or a slug to pin; a pinned workshop that is
    over shows nothing, so a stale pin never advertises the past.
    """
    if choice == "off":
        return None
    if choice == "next":
        return next((w for w in upcoming(workshops, today) if state(w, today) == "open"), None)
    pinned = next((w for w in workshops if w.slug == choice), None)
    if pinned is None:
        known = ", ".join(sorted(w.slug for w in workshops)) or "none"
        raise WorkshopError(
            f"WORKSHOPS['block'] = {choice!r} is not a workshop (known: {known}); "
            "write 'next', 'off' or one of those slugs."
        )
    return None if state(pinned, today) == "past" else pinned


# ---- reading files -------------------------------------------------------------------------


def _text(value: str) -> str:
    if not value:
        raise ValueError("is empty")
    return value


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise ValueError(f"must be at least 1, not {number}")
    return number


def _choice(choices: Sequence[str]) -> Callable[[str], str]:
    def convert(value: str) -> str:
        if value.lower() not in choices:
            raise ValueError(f"{value!r} is not one of {', '.join(choices)}")
        return value.lower()

    return convert


def _price(value: str) -> tuple[Decimal, str]:
    parts = value.replace(",", "").split()
    if len(parts) != 2 or not re.fullmatch(r"[A-Z]{3}", parts[1]):
        raise ValueError(f"{value!r} should be an amount and an ISO currency code, like '500 USD'")
    try:
        amount = Decimal(parts[0])
    except InvalidOperation:
        raise ValueError(f"{parts[0]!r} is not an amount") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{parts[0]!r} is not an amount")
    return amount, parts[1]


def _local_datetime(value: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{value!r} should be a local date and time, like 2027-05-14 09:00"
        ) from None


def _brochure(value: str) -> str:
    path = value.removeprefix("{static}").lstrip("/")
    if not path or ".." in Path(path).parts:
        raise ValueError(f"{value!r} should be a file in content/, like {{static}}/files/x.pdf")
    return path


def _days(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number of days") from None
    if number < 0:
        raise ValueError(f"must be 0 or more days, not {number}")
    return number


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"{value!r} should be lower-case letters, digits and hyphens")
    return value


# Field name -> (attribute, converter, required). Names are matched without regard to case.
FIELDS: dict[str, tuple[str, Callable[[str], object], bool]] = {
    "title": ("title", _text, True),
    "slug": ("slug", _slug, False),
    "start": ("start", _local_datetime, True),
    "end": ("end", _local_datetime, True),
    "timezone": ("timezone", _text, False),
    "city": ("city", _text, True),
    "venue": ("venue", _text, True),
    "address": ("address", _text, True),
    "region": ("region", str, False),
    "postal-code": ("postal_code", str, False),
    "country": ("country", str, False),
    "price": ("price", _price, True),
    "seats": ("seats", _positive_int, True),
    "seats-per-registration": ("max_seats_per_registration", _positive_int, False),
    "registration": ("registration", _choice(REGISTRATION_CHOICES), False),
    "status": ("status", _choice(STATUS_CHOICES), False),
    "hours": ("hours", _choice(HOURS_CHOICES), False),
    "brochure": ("brochure", _brochure, False),
    "refund-days": ("refund_days", _days, False),
    "payment-instructions": ("payment_instructions", _text, False),
    "summary": ("summary", _text, True),
}


def split_header(text: str, source: str) -> tuple[dict[str, str], str]:
    """Split a file into its header fields (lower-cased names) and its Markdown body."""
    header: dict[str, str] = {}
    lines = text.lstrip("\ufeff").splitlines()
    last = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            return header, "\n".join(lines[number:]).strip() + "\n"
        if line[:1].isspace() and last:
            header[last] = f"{header[last]} {line.strip()}"
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            raise WorkshopError(
                f"{source}, line {number}: expected 'Field: value' in the header, got {line!r}; "
                "end the header with a blank line before the description."
            )
        last = match[1].lower()
        if last in header:
            raise WorkshopError(f"{source}, line {number}: field '{match[1]}' appears twice.")
        header[last] = match[2].strip()
    return header, ""


def parse_workshop(
    text: str,
    source: str,
    *,
    default_slug: str,
    default_timezone: str,
    url_pattern: str = URL_PATTERN,
) -> Workshop:
    """Parse one workshop file; `source` names it in errors."""
    header, body = split_header(text, source)
    unknown = sorted(set(header) - set(FIELDS))
    if unknown:
        raise WorkshopError(
            f"{source}: unknown field '{unknown[0]}'; the fields are "
            f"{', '.join(name.title() for name in FIELDS)}."
        )
    # Each field's converter returns that field's own type (FIELDS); Workshop receives them by name.
    values: dict[str, Any] = {"slug": default_slug, "timezone": default_timezone}
    for name, (attribute, convert, required) in FIELDS.items():
        if name not in header:
            if required:
                raise WorkshopError(f"{source}: field '{name.title()}' is missing.")
            continue
        try:
            values[attribute] = convert(header[name])
        except ValueError as error:
            raise WorkshopError(f"{source}: field '{name.title()}' {error}.") from None
    try:
        zone = ZoneInfo(str(values["timezone"]))
    except (ZoneInfoNotFoundError, ValueError):
        raise WorkshopError(
            f"{source}: field 'Timezone' {values['timezone']!r} is not an IANA time zone "
            "(such as America/Los_Angeles)."
        ) from None
    for name in ("start", "end"):
        moment = values[name]
        values[name] = (
            moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
        )
    if values["end"] <= values["start"]:
        raise WorkshopError(f"{source}: field 'End' must come after 'Start'.")
    if values.get("hours") == "daily" and values["end"].time() <= values["start"].time():
        raise WorkshopError(
            f"{source}: field 'Hours' is daily, so End's time of day must come after Start's."
        )
    values["price"], values["currency"] = values["price"]
    limit = values.get("max_seats_per_registration", DEFAULT_SEATS_PER_REGISTRATION)
    values["max_seats_per_registration"] = min(limit, values["seats"])
    if limit > values["seats"]:
        raise WorkshopError(
            f"{source}: field 'Seats-Per-Registration' ({limit}) is more than 'Seats' "
            f"({values['seats']})."
        )
    values["url"] = url_pattern.format(slug=values["slug"])
    return Workshop(body=body, source=source, **values)


def read_workshops(
    folder: Path,
    content_root: Path,
    *,
    default_timezone: str,
    url_pattern: str = URL_PATTERN,
) -> list[Workshop]:
    """Every `*.md` in `folder`, checked; brochures must exist under `content_root`."""
    workshops: list[Workshop] = []
    seen: dict[str, str] = {}
    for path in sorted(Path(folder).glob("*.md")):
        source = str(path)
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            raise WorkshopError(f"{source}: not UTF-8 text.") from None
        workshop = parse_workshop(
            text,
            source,
            default_slug=path.stem,
            default_timezone=default_timezone,
            url_pattern=url_pattern,
        )
        if workshop.brochure and not (Path(content_root) / workshop.brochure).is_file():
            raise WorkshopError(
                f"{source}: field 'Brochure' points at {workshop.brochure}, which is not a file "
                f"in {content_root}."
            )
        if workshop.slug in seen:
            raise WorkshopError(
                f"{source}: slug '{workshop.slug}' is already used by {seen[workshop.slug]}."
            )
        seen[workshop.slug] = source
        workshops.append(workshop)
    return workshops
