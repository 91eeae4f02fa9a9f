"""The build date and the inbox's clock: the one place that reads $LETTERPRESS_TODAY.

Pages depend on the date only for "upcoming" and "scheduled" decisions; the inbox on "now" for
workshop states, comment dates and rate windows. Tests pin both with LETTERPRESS_TODAY.
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
