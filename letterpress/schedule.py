"""Which essays the build publishes: the ones dated on or before the build date.

An essay dated in the future is *scheduled*: it stays in the repository and appears on the first
build made on or after its date. The day is read in the site's time zone, so an essay dated
"2026-12-08T08:00-08:00" is published by a build made on 2026-12-08; the rule (naive dates too)
is letterpress.clock's, shared with the newsletter.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import TypeVar

from letterpress.clock import is_published_on, local_day

T = TypeVar("T")


def publication_day(published: dt.datetime, timezone: str) -> dt.date:
    """The calendar day, in the site's time zone, on which an essay dated `published` goes out."""
    return local_day(published, timezone)


def is_scheduled(published: dt.datetime, today: dt.date, timezone: str) -> bool:
    """True when the essay's publication day is after `today` (it must not appear yet)."""
    return not is_published_on(published, today, timezone)


def split_by_schedule(
    items: Iterable[T],
    today: dt.date,
    timezone: str,
    date_of: Callable[[T], dt.datetime] = attrgetter("date"),
) -> tuple[list[T], list[T]]:
    """Split items into (published, scheduled), keeping their order."""
    published: list[T] = []
    scheduled: list[T] = []
    for item in items:
        (scheduled if is_scheduled(date_of(item), today, timezone) else published).append(item)
    return published, scheduled
