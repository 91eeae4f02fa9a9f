"""The build date, the inbox's clock, and the day a dated thing belongs to: the one place that
reads $LETTERPRESS_TODAY, and the one rule for "is this essay out on that day".

Pages depend on the date only for "upcoming" and "scheduled" decisions; the inbox on "now" for
workshop states, comment dates and rate windows. Tests pin both with LETTERPRESS_TODAY.

The day rule: a moment's day is its calendar day in the site's time zone (TIMEZONE). A naive
moment (an essay's `Date: 2026-12-08 23:30` with no offset) is wall-clock time in that zone, as
Pelican itself reads it; an aware one is converted to the zone first. The site's schedule
(schedule.py) and the newsletter's selection (newsletter/selection.py) both ask this module.
"""

import datetime as dt
import os
import time
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

TODAY_VARIABLE = "LETTERPRESS_TODAY"


class BadBuildDate(ValueError):
    """LETTERPRESS_TODAY is set but is not an ISO date."""


def build_date(timezone: str, environ: Mapping[str, str] = os.environ) -> dt.date:
    """Today in the site's time zone, or the ISO date in $LETTERPRESS_TODAY (for tests)."""
    pinned = environ.get(TODAY_VARIABLE, "").strip()
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            raise BadBuildDate(
                f"{TODAY_VARIABLE}={pinned!r} is not a date; write it as YYYY-MM-DD."
            ) from None
    return dt.datetime.now(ZoneInfo(timezone)).date()


def local_day(moment: dt.datetime, timezone: str | ZoneInfo) -> dt.date:
    """The calendar day of `moment` in the site's time zone; a naive moment is wall-clock time
    in that zone (Pelican's rule for dates without an offset)."""
    zone = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(zone).date()


def is_published_on(moment: dt.datetime, day: dt.date, timezone: str | ZoneInfo) -> bool:
    """True when something dated `moment` is out on `day`: its day (`local_day`) is not later."""
    return local_day(moment, timezone) <= day


Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The real time, in UTC."""
    return dt.datetime.now(dt.UTC)


def now_for_tests_or_real(environ: Mapping[str, str] = os.environ) -> Clock:
    """The clock a long-running service (the inbox) reads "now" from, made once at start-up.

    With $LETTERPRESS_TODAY set it starts at noon UTC on that date and then runs at the real
    pace, so date decisions (is a workshop past?) match a build pinned to that day while rate
    windows still see seconds pass. Otherwise it is the real time in UTC.
    """
    if not environ.get(TODAY_VARIABLE, "").strip():
        return utc_now
    pinned = dt.datetime.combine(build_date("UTC", environ), dt.time(12), tzinfo=dt.UTC)
    started = time.monotonic()

    def pinned_now() -> dt.datetime:
        return pinned + dt.timedelta(seconds=time.monotonic() - started)

    return pinned_now
