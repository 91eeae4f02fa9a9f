"""Dates and times of a workshop written the way people write them.

"May 14–15, 2027", "May 30 – June 1, 2027", "December 30, 2027 – January 2, 2028": the en dash
runs tight between numbers and takes spaces when either side holds a space.
"""

import datetime as dt

EN_DASH = "\u2013"


def _month_day(day: dt.date) -> str:
    return f"{day:%B} {day.day}"


def format_date_range(start: dt.date, end: dt.date) -> str:
    """The span from `start` to `end` (inclusive, end not before start) in American style."""
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    if start == end:
        return f"{_month_day(start)}, {start.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{_month_day(start)}{EN_DASH}{end.day}, {start.year}"
    if start.year == end.year:
        return f"{_month_day(start)} {EN_DASH} {_month_day(end)}, {start.year}"
    return f"{_month_day(start)}, {start.year} {EN_DASH} {_month_day(end)}, {end.year}"


def format_clock(moment: dt.datetime) -> str:
    """'9:00 am', '12:30 pm': the time of day as it appears on a poster."""
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"


def format_time_span(start: dt.datetime, end: dt.datetime) -> str:
    """'9:00 am – 5:00 pm PDT' on one day; 'Friday 9:00 am – Saturday 5:00 pm PDT' across days.

    Both ends are read in `start`'s time zone, whose abbreviation closes the span.
    """
    end = end.astimezone(start.tzinfo)
    zone = start.tzname() or ""
    if start.date() == end.date():
        span = f"{format_clock(start)} {EN_DASH} {format_clock(end)}"
    else:
        span = f"{start:%A} {format_clock(start)} {EN_DASH} {end:%A} {format_clock(end)}"
    return f"{span} {zone}".rstrip()


def utc_offset_label(moment: dt.datetime) -> str:
    """'UTC−07:00' (with a true minus sign), for readers in other zones."""
    offset = moment.utcoffset() or dt.timedelta(0)
    sign = "\u2212" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
