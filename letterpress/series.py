"""Series: essays that belong together, read in order, from a `Series:` header.

An essay joins a series with `Series: The Honest Room`, and may say where it goes with
`Series-Part: 2`; parts without a number follow the numbered ones, by date. Only the essays a
build publishes are passed in, so a scheduled or draft part is not counted, linked or listed:
readers see "Part 2 of 3" of what they can read today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import LetterpressError
from .slugs import slugify

URL_PATTERN = "series/{slug}/"
INDEX_URL = "series/"


class SeriesError(LetterpressError):
    """A Series or Series-Part header is wrong; the message names the file."""


@dataclass(frozen=True)
class Part:
    """An essay as a series sees it."""

    key: str  # what the caller finds the essay by (its slug)
    title: str
    url: str
    date: dt.datetime
    series: str  # the name as written in the header
    number: int | None  # Series-Part, when given
    source: str  # the file, for errors


@dataclass(frozen=True)
class Series:
    name: str
    slug: str
    url: str
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Place:
    """Where one essay stands in its series: what "Part 2 of 5" and the links show."""

    series: Series
    index: int  # 0-based position among the published parts

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def total(self) -> int:
        return len(self.series.parts)

    @property
    def previous(self) -> Part | None:
        return self.series.parts[self.index - 1] if self.index > 0 else None

    @property
    def next(self) -> Part | None:
        parts = self.series.parts
        return parts[self.index + 1] if self.index + 1 < len(parts) else None


def part_number(value: object, source: str) -> int | None:
    """Read a Series-Part header ('2'); None when absent or empty."""
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise SeriesError(
            f"{source}: Series-Part {text!r} is not a part number; write a whole number from 1, "
            "such as 'Series-Part: 2'."
        )
    return int(text)


def part_from_headers(
    key: str, title: str, url: str, date: dt.datetime, headers: Mapping[str, object], source: str
) -> Part | None:
    """The essay as a Part when its headers (lower-cased names) name a series, else None."""
    name = str(headers.get("series") or "").strip()
    number = part_number(headers.get("series-part"), source)
    if not name:
        if number is not None:
            raise SeriesError(
                f"{source}: Series-Part is given without a Series header; add 'Series: Name' "
                "or remove Series-Part."
            )
        return None
    if not slugify(name):
        raise SeriesError(f"{source}: Series {name!r} has no letters or digits to name a page.")
    return Part(key, title, url, date, name, number, source)


def _reading_order(part: Part) -> tuple:
    # Numbered parts first, by number; the rest after them, oldest first.
    return (part.number is None, part.number or 0, part.date, part.key)


def build_series(parts: Iterable[Part], url_pattern: str = URL_PATTERN) -> list[Series]:
    """Group parts into series (by the slug of their name), each in reading order; the list
    is ordered by name. Two parts claiming the same number are an error."""
    groups: dict[str, list[Part]] = {}
    for part in parts:
        groups.setdefault(slugify(part.series), []).append(part)
    series = []
    for slug, members in groups.items():
        members.sort(key=_reading_order)
        claimed: dict[int, Part] = {}
        for part in members:
            if part.number is None:
                continue
            if part.number in claimed:
                raise SeriesError(
                    f"{part.source}: Series-Part {part.number} of {part.series!r} is already "
                    f"taken by {claimed[part.number].source}; give each part its own number."
                )
            claimed[part.number] = part
        name = members[0].series
        series.append(Series(name, slug, url_pattern.format(slug=slug), tuple(members)))
    return sorted(series, key=lambda s: s.name.casefold())


def places(series: Iterable[Series]) -> dict[str, Place]:
    """Each part's key -> its Place."""
    return {part.key: Place(s, index) for s in series for index, part in enumerate(s.parts)}
