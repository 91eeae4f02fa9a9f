"""Workshops: the file format and model, the registration state, seats, calendars, JSON-LD.

`from letterpress.workshops import Workshop, state` is the interface other parts rely on.
"""

from .calendar import calendar_bytes, event_uid, google_calendar_link, page_url
from .dates import format_date_range, format_time_span
from .jsonld import event_data
from .model import (
    STATES,
    Workshop,
    WorkshopError,
    block_workshop,
    parse_workshop,
    past,
    read_workshops,
    state,
    upcoming,
)
from .seats import CANCELLED, CONFIRMED, WAITLISTED, Waiting, decide, promotions, state_now

__all__ = [
    "CANCELLED",
    "CONFIRMED",
    "STATES",
    "WAITLISTED",
    "Waiting",
    "Workshop",
    "WorkshopError",
    "block_workshop",
    "calendar_bytes",
    "decide",
    "event_data",
    "event_uid",
    "format_date_range",
    "format_time_span",
    "google_calendar_link",
    "page_url",
    "parse_workshop",
    "past",
    "promotions",
    "read_workshops",
    "state",
    "state_now",
    "upcoming",
]
