"""Calendar files (.ics) for workshops, made with icalendar.

Each event carries its own time zone (a VTIMEZONE), a UID that never changes for the workshop,
the page URL and the place, so a calendar that imports it twice updates one event.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from urllib.parse import urlencode, urljoin, urlsplit

import icalendar

from .model import Workshop

PRODID = "-//Letterpress//Workshops//EN"
# RFC 5545 STATUS for each of our `Status:` choices.
ICAL_STATUS = {
    "scheduled": icalendar.STATUS.CONFIRMED,
    "cancelled": icalendar.STATUS.CANCELLED,
    "postponed": icalendar.STATUS.TENTATIVE,
}


def page_url(workshop: Workshop, site_url: str) -> str:
    """The workshop page as an absolute URL."""
    return urljoin(site_url.rstrip("/") + "/", workshop.url)


def event_uid(workshop: Workshop, site_url: str) -> str:
    """Stable across builds and edits: the slug at the site's host."""
    return f"workshop-{workshop.slug}@{urlsplit(site_url).hostname or 'localhost'}"


def workshop_event(
    workshop: Workshop, *, site_url: str, stamp: dt.datetime, organizer: tuple[str, str] = ("", "")
) -> icalendar.Event:
    """One VEVENT. `stamp` (DTSTAMP) is when the calendar was made; `organizer` (name, e-mail)."""
    url = page_url(workshop, site_url)
    event = icalendar.Event.new(
        uid=event_uid(workshop, site_url),
        summary=workshop.title,
        start=workshop.start,
        end=workshop.first_day_end,
        stamp=stamp.astimezone(dt.UTC),
        location=workshop.place,
        url=url,
        description=f"{workshop.summary}\n\nDetails and registration: {url}",
        status=ICAL_STATUS[workshop.status],
    )
    if workshop.repeats_daily:
        event.add("rrule", {"freq": "daily", "count": workshop.days})
    name, email = organizer
    if email:
        address = icalendar.vCalAddress(f"mailto:{email}")
        if name:
            address.params["CN"] = name
        event.add("organizer", address)
    return event


def calendar_bytes(
    workshops: Iterable[Workshop],
    *,
    site_url: str,
    name: str,
    stamp: dt.datetime,
    organizer: tuple[str, str] = ("", ""),
) -> bytes:
    """A VCALENDAR holding one event per workshop and the VTIMEZONEs they use.

    The same workshops and stamp give the same bytes: the calendar's UID comes from its name and
    site, and each VTIMEZONE covers only the years around the events (not 1970 to 2038).
    """
    workshops = list(workshops)
    uid = uuid.uuid5(uuid.NAMESPACE_URL, f"{site_url}#{name}")
    calendar = icalendar.Calendar.new(prodid=PRODID, name=name, uid=uid)
    calendar.add("method", "PUBLISH")
    for workshop in workshops:
        calendar.add_component(
            workshop_event(workshop, site_url=site_url, stamp=stamp, organizer=organizer)
        )
    if workshops:
        first = min(w.start for w in workshops).date().replace(month=1, day=1)
        last = max(w.end for w in workshops).date().replace(month=12, day=31)
        add_timezones(calendar, first, last + dt.timedelta(days=1))
    return calendar.to_ical()


def add_timezones(calendar: icalendar.Calendar, first: dt.date, last: dt.date) -> None:
    """A VTIMEZONE for each zone the events use, in name order, before the events.

    icalendar's add_missing_timezones walks a set, so two builds of the same workshops could
    order the zones differently (a build must be a pure function of the repository)."""
    for position, tzid in enumerate(sorted(calendar.get_missing_tzids())):
        zone = icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last)
        calendar.subcomponents.insert(position, zone)


def google_calendar_link(workshop: Workshop, site_url: str) -> str:
    """An 'Add to Google Calendar' link carrying the same event."""

    def utc(moment: dt.datetime) -> str:
        return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")

    query = {
        "action": "TEMPLATE",
        "text": workshop.title,
        "dates": f"{utc(workshop.start)}/{utc(workshop.first_day_end)}",
        "ctz": workshop.timezone,
        "details": f"{workshop.summary}\n\n{page_url(workshop, site_url)}",
        "location": workshop.place,
    }
    if workshop.repeats_daily:
        query["recur"] = f"RRULE:FREQ=DAILY;COUNT={workshop.days}"
    return "https://calendar.google.com/calendar/render?" + urlencode(query)
