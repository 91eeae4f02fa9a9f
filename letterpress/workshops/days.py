"""A workshop's days, each with its own hours, for the e-mail and for an attendee's calendar.

"9 to 5 on both days" is two spans, not one running overnight: `Hours: daily` gives one span per
day (each in the workshop's time zone, so a day after a clock change keeps its 9 o'clock), and
`continuous` gives the one span from start to end.
"""

import datetime as dt
import uuid
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar

from .calendar import PRODID, add_timezones
from .dates import EN_DASH, format_clock


def day_spans(
    start: dt.datetime, end: dt.datetime, hours: str, timezone: str = ""
) -> list[tuple[dt.datetime, dt.datetime]]:
    """(start, end) of each day the workshop meets, in its time zone."""
    zone = ZoneInfo(timezone) if timezone else start.tzinfo
    start, end = start.astimezone(zone), end.astimezone(zone)
    if hours != "daily" or start.date() == end.date():
        return [(start, end)]
    spans = []
    day = start.date()
    while day <= end.date():
        spans.append(
            (
                dt.datetime.combine(day, start.time(), tzinfo=zone),
                dt.datetime.combine(day, end.time(), tzinfo=zone),
            )
        )
        day += dt.timedelta(days=1)
    return spans


def day_lines(start: dt.datetime, end: dt.datetime, hours: str, timezone: str = "") -> list[str]:
    """'Friday, May 14, 2027: 9:00 am – 5:00 pm PDT', one line per day."""
    lines = []
    for first, last in day_spans(start, end, hours, timezone):
        zone = first.tzname() or ""
        if first.date() == last.date():
            span = f"{format_clock(first)} {EN_DASH} {format_clock(last)}"
        else:
            span = f"{format_clock(first)} {EN_DASH} {last:%A, %B} {last.day}, {format_clock(last)}"
        lines.append(f"{first:%A, %B} {first.day}, {first.year}: {span} {zone}".rstrip())
    return lines


def attendee_calendar(
    *,
    slug: str,
    title: str,
    start: dt.datetime,
    end: dt.datetime,
    hours: str,
    timezone: str,
    place: str,
    url: str,
    stamp: dt.datetime,
) -> bytes:
    """A VCALENDAR with one VEVENT per day (not a repeat rule: some calendars drop RRULEs from
    e-mailed files), each with its time zone's VTIMEZONE, and UIDs that stay the same however
    often it is sent, so importing it twice updates the same events."""
    host = urlsplit(url).hostname or "localhost"
    calendar = icalendar.Calendar.new(
        prodid=PRODID, name=title, uid=uuid.uuid5(uuid.NAMESPACE_URL, f"{url}#attendee")
    )
    calendar.add("method", "PUBLISH")
    spans = day_spans(start, end, hours, timezone)
    if not timezone:  # an older manifest knows only the offset: UTC times say the same moments
        spans = [(first.astimezone(dt.UTC), last.astimezone(dt.UTC)) for first, last in spans]
    for number, (first, last) in enumerate(spans, start=1):
        label = f" (day {number} of {len(spans)})" if len(spans) > 1 else ""
        calendar.add_component(
            icalendar.Event.new(
                uid=f"workshop-{slug}-day-{number}@{host}",
                summary=f"{title}{label}",
                start=first,
                end=last,
                stamp=stamp.astimezone(dt.UTC),
                location=place,
                url=url,
                description=f"Details: {url}",
            )
        )
    add_timezones(
        calendar,
        spans[0][0].date().replace(month=1, day=1),
        spans[-1][1].date().replace(month=12, day=31) + dt.timedelta(days=1),
    )
    return calendar.to_ical()
