"""The build date. Pages depend on it only for "upcoming" and "scheduled" decisions."""

import datetime as dt
import os
from collections.abc import Mapping
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
