"""What every e-mail about a workshop says of it: each day with its hours, the venue and its
address, the price, the refund policy, the page, the cancel link and the calendar file."""

import datetime as dt
from decimal import Decimal
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from letterpress.manifest import WorkshopEntry
from letterpress.payments.links import cancel_url
from letterpress.payments.money import format_amount, minor_units
from letterpress.payments.policy import policy_text
from letterpress.workshops.days import attendee_calendar, day_lines


def moment_text(iso: str, timezone: str) -> str:
    """'Friday, November 27, 2026, 4:30 pm PST' in the workshop's time zone."""
    if not iso:
        return ""
    moment = dt.datetime.fromisoformat(iso)
    if timezone:
        moment = moment.astimezone(ZoneInfo(timezone))
    hour = moment.hour % 12 or 12
    clock = f"{hour}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"
    return f"{moment:%A, %B} {moment.day}, {moment.year}, {clock} {moment.tzname() or ''}".rstrip()


def workshop_values(workshop: WorkshopEntry, page: str) -> dict:
    price = Decimal(workshop.price or "0")
    return {
        "title": workshop.title,
        "days": day_lines(workshop.start, workshop.end, workshop.hours, workshop.timezone),
        "place": workshop.place,
        "page": page,
        "paying": price > 0,
        "price": format_amount(minor_units(price, workshop.currency), workshop.currency),
        "refund_policy": policy_text(workshop.start, workshop.refund_days),
        "instructions": workshop.payment_instructions,
    }


def cancel_link(head, facts, recipient: str) -> str:
    """The signed cancel link for the registration the facts name ("" for an old queued row)."""
    if not facts.get("registration"):
        return ""
    return cancel_url(head.inbox_url, head.secret, facts["registration"], facts["queue"], recipient)


def calendar_for(workshop: WorkshopEntry, page: str, now: dt.datetime) -> bytes:
    return attendee_calendar(
        slug=workshop.slug,
        title=workshop.title,
        start=workshop.start,
        end=workshop.end,
        hours=workshop.hours,
        timezone=workshop.timezone,
        place=workshop.place,
        url=page,
        stamp=now,
    )


def calendar_filename(workshop: WorkshopEntry) -> str:
    """The attachment's name: the site's calendar file's (the manifest's ics_url), so the
    e-mail and the page offer the same file name ("workshop.ics" from a manifest without it)."""
    return PurePosixPath(workshop.ics_url).name or "workshop.ics"


def attach_calendar(message, workshop: WorkshopEntry, page: str, now: dt.datetime) -> None:
    """The .ics, one event per day, declared UTF-8 and PUBLISH as calendar programs expect."""
    message.add_attachment(
        calendar_for(workshop, page, now),
        maintype="text",
        subtype="calendar",
        filename=calendar_filename(workshop),
        params={"charset": "utf-8", "method": "PUBLISH"},
    )
