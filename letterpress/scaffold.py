"""New content files for `invoke new`: an essay, a workshop, a month's editor's note.

Each `*_file` function decides a new file's path and text from plain arguments (the site's time
zone and today are passed in, never read here); `write_new` puts it on disk only if nothing is
there yet. The headers written are the ones the readers expect (Pelican's for essays,
letterpress.workshops.model for workshops, letterpress.newsletter.notes for notes), and a new
workshop is parsed before it is written, so a scaffolded file always builds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import LetterpressError
from .newsletter.model import Month, NewsletterError
from .slugs import slugify
from .workshops.model import WorkshopError, parse_workshop

ESSAYS_FOLDER = "essays"
WORKSHOPS_FOLDER = "workshops"
NOTES_FOLDER = "newsletters"
# A new essay is dated at this local time unless --date gives one: a morning post, as the samples.
ESSAY_TIME = dt.time(8, 0)
WORKSHOP_START_TIME = dt.time(9, 0)
WORKSHOP_LENGTH = dt.timedelta(hours=8)
# What a new workshop says where the author has not told us yet; registration stays closed
# until these are replaced, so nobody registers for a workshop "to be announced".
TO_BE_ANNOUNCED = "To be announced"

_SLUG_HEADER = re.compile(r"^slug:\s*(.+?)\s*$", re.IGNORECASE)


class ScaffoldError(LetterpressError):
    """`invoke new` cannot write the file; the message says which argument or file and why."""


@dataclass(frozen=True)
class NewFile:
    """A file to create: where, what it holds, and where the built site will show it."""

    path: Path
    text: str
    url: str  # site-relative, as `invoke serve` serves it
    next_steps: str  # one or two sentences for the author


def slug_of(title: str) -> str:
    """The slug a title gives, or a ScaffoldError when it has no letters or digits."""
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(
            f"The title {title!r} has no letters or digits to make a slug from; "
            "give a title with some words in it."
        )
    return slug


def _one_line(value: str, what: str) -> str:
    value = value.strip()
    if "\n" in value or "\r" in value:
        raise ScaffoldError(f"The {what} must be one line; headers cannot span lines.")
    return value


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScaffoldError(
            f"The time zone {name!r} is not an IANA name (such as America/Los_Angeles)."
        ) from None


def parse_when(text: str, default_time: dt.time, timezone: str, what: str) -> dt.datetime:
    """'2026-12-01' (at `default_time`) or '2026-12-01 09:30' / ISO 8601 -> an aware datetime."""
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ScaffoldError(
            f"The {what} {text!r} is not a date; write YYYY-MM-DD or 'YYYY-MM-DD HH:MM'."
        ) from None
    if len(text.strip()) <= len("YYYY-MM-DD"):
        when = dt.datetime.combine(when.date(), default_time)
    zone = _zone(timezone)
    return when.replace(tzinfo=zone) if when.tzinfo is None else when.astimezone(zone)


def _header(fields: Iterable[tuple[str, str]]) -> str:
    return "".join(f"{name}: {value}".rstrip() + "\n" for name, value in fields)


def used_slugs(folder: Path) -> dict[str, Path]:
    """Slug -> file for every Markdown file under `folder` (its Slug header, else its name)."""
    slugs: dict[str, Path] = {}
    for path in sorted(Path(folder).rglob("*.md")):
        slug = path.stem
        with path.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if not line.strip():
                    break
                match = _SLUG_HEADER.match(line)
                if match:
                    slug = match[1]
        slugs[slug] = path
    return slugs


def essay_file(
    content: Path,
    title: str,
    *,
    when: dt.datetime,
    category: str = "",
    tags: Sequence[str] = (),
    summary: str = "",
) -> NewFile:
    """A new essay, content/essays/<slug>.md, dated `when` (aware)."""
    title = _one_line(title, "title")
    slug = slug_of(title)
    folder = Path(content) / ESSAYS_FOLDER
    taken = used_slugs(folder).get(slug)
    if taken is not None:
        raise ScaffoldError(
            f"The slug {slug!r} is already used by {taken}; choose another title, or edit that "
            "file."
        )
    fields = [("Title", title), ("Date", when.isoformat()), ("Slug", slug)]
    # Category and Tags are always written, empty when not given, so the author sees where they
    # go (Pelican ignores an empty one: the essay is then filed under its folder's name).
    fields.append(("Category", _one_line(category, "category") if category else ""))
    clean_tags = [_one_line(tag, "tag") for tag in tags if tag.strip()]
    fields.append(("Tags", ", ".join(clean_tags)))
    if summary:
        fields.append(("Summary", _one_line(summary, "summary")))
    missing = [name for name, value in fields if name in ("Category", "Tags") and not value]
    fill_in = f"Fill in {' and '.join(missing)}. " if missing else ""
    body = "Write the essay here, in Markdown.\n"
    url = f"essays/{when:%Y}/{when:%m}/{slug}/"
    return NewFile(
        path=folder / f"{slug}.md",
        text=_header(fields) + "\n" + body,
        url=url,
        next_steps=(
            f"{fill_in}It is dated {when.date().isoformat()}: the first build on or after that "
            "day publishes it. Add a Summary header (one or two sentences) before you commit."
        ),
    )


def workshop_file(
    content: Path,
    title: str,
    *,
    start: str,
    timezone: str,
    end: str = "",
    city: str = "",
    venue: str = "",
    address: str = "",
    price: str = "",
    seats: int = 12,
    summary: str = "",
) -> NewFile:
    """A new workshop, content/workshops/<slug>.md; missing facts say 'To be announced' and keep
    registration closed until the author fills them in."""
    title = _one_line(title, "title")
    slug = slug_of(title)
    begins = parse_when(start, WORKSHOP_START_TIME, timezone, "start")
    ends = (
        parse_when(end, WORKSHOP_START_TIME, timezone, "end") if end else begins + WORKSHOP_LENGTH
    )
    place = {"City": city, "Venue": venue, "Address": address}
    missing = [name for name, value in place.items() if not value.strip()]
    missing += [
        name for name, value in (("Price", price), ("Summary", summary)) if not value.strip()
    ]
    fields = [
        ("Title", title),
        ("Start", f"{begins:%Y-%m-%d %H:%M}"),
        ("End", f"{ends:%Y-%m-%d %H:%M}"),
        ("Timezone", timezone),
        *(
            (name, _one_line(value, name.lower()) or TO_BE_ANNOUNCED)
            for name, value in place.items()
        ),
        ("Price", _one_line(price, "price") or "0 USD"),
        ("Seats", str(seats)),
        ("Registration", "closed" if missing else "open"),
        ("Summary", _one_line(summary, "summary") or TO_BE_ANNOUNCED),
    ]
    text = _header(fields) + "\nDescribe the workshop here, in Markdown: who it is for, each day.\n"
    path = Path(content) / WORKSHOPS_FOLDER / f"{slug}.md"
    try:
        parse_workshop(text, str(path), default_slug=slug, default_timezone=timezone)
    except WorkshopError as error:
        raise ScaffoldError(str(error)) from None
    if missing:
        next_steps = (
            f"Fill in {', '.join(missing)} and the description, then set Registration: open "
            "(it stays closed until then)."
        )
    else:
        next_steps = "Write the description; registration is open."
    return NewFile(path=path, text=text, url=f"workshops/{slug}/", next_steps=next_steps)


def note_file(content: Path, month: str, *, author: str = "", subject: str = "") -> NewFile:
    """The editor's note for `month` ('YYYY-MM'): content/newsletters/YYYY-MM.md."""
    try:
        parsed = Month.parse(month, where="The month")
    except NewsletterError as error:
        raise ScaffoldError(str(error)) from None
    # An empty Subject lets the newsletter write one from the month's essays.
    fields = [("Subject", _one_line(subject, "subject")), ("Preheader", "")]
    header = "".join(f"{name}: {value}".rstrip() + "\n" for name, value in fields)
    signature = author.split()[0] if author.strip() else ""
    body = "Dear reader,\n\nWhat this month was about, in a few paragraphs.\n"
    if signature:
        body += f"\n{signature}\n"
    return NewFile(
        path=Path(content) / NOTES_FOLDER / f"{parsed}.md",
        text=header + "\n" + body,
        url=parsed.url,
        next_steps=(
            "Leave Subject empty to have one made from the month's essays; the Preheader is "
            "the line inboxes show after it."
        ),
    )


def write_new(new: NewFile) -> Path:
    """Create `new.path` with its text; never replaces an existing file."""
    new.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with new.path.open("x", encoding="utf-8") as file:
            file.write(new.text)
    except FileExistsError:
        raise ScaffoldError(
            f"{new.path} already exists; edit it, or choose another title or month."
        ) from None
    return new.path
