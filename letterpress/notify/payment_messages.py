"""The e-mail about a workshop seat and its money: a hold and how to pay, the reminder before it
ends, the confirmation once paid (dates with each day's hours, the venue and its address, what
was paid, the refund policy, the cancel link, and a calendar file with one event per day), and
what happened when a hold ran out, a late payment was refunded, or a registration was cancelled.

Pure, like messages.py: the facts queued with the e-mail and the Letterhead give one message.
"""

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from letterpress.payments.links import cancel_url
from letterpress.payments.money import format_amount
from letterpress.payments.policy import policy_text
from letterpress.workshops.days import attendee_calendar, day_lines

from .messages import Letterhead, _address, _message, page_link

SUBJECTS = {
    "hold": "Your seat at “{title}” is held: please pay by {deadline}",
    "reminder": "Reminder: your seat at “{title}” is held until {deadline}",
    "paid": "Your seat at “{title}” is confirmed",
    "expired": "Your hold at “{title}” has ended",
    "late_refund": "Your payment for “{title}” has been refunded",
    "refunded": "Your registration for “{title}” is cancelled and refunded",
    "cancelled": "Your registration for “{title}” is cancelled",
}


def _moment(iso: str, timezone: str) -> str:
    """'Friday, November 27, 2026, 4:30 pm PST' in the workshop's time zone."""
    if not iso:
        return ""
    moment = dt.datetime.fromisoformat(iso)
    if timezone:
        moment = moment.astimezone(ZoneInfo(timezone))
    hour = moment.hour % 12 or 12
    clock = f"{hour}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"
    return f"{moment:%A, %B} {moment.day}, {moment.year}, {clock} {moment.tzname() or ''}".rstrip()


def workshop_values(head: Letterhead, slug: str) -> dict:
    """What every message about a workshop says of it."""
    workshop = head.workshops[slug]
    return {
        "title": workshop.title,
        "days": day_lines(workshop.start, workshop.end, workshop.hours, workshop.timezone),
        "place": workshop.place,
        "page": page_link(head, workshop.url),
        "refund_policy": policy_text(workshop.start, workshop.refund_days),
        "instructions": workshop.payment_instructions,
    }


def payment_message(head: Letterhead, recipient: str, facts: Mapping, now: dt.datetime):
    slug = facts["workshop"]
    workshop = head.workshops[slug]
    values = {
        **workshop_values(head, slug),
        "name": facts["name"],
        "seats": facts["seats"],
        "what": facts["what"],
        "method": facts["method"],
        "promoted": bool(facts.get("promoted")),
        "amount": format_amount(facts["amount"], facts["currency"]),
        "refund_amount": format_amount(facts.get("refund_amount", 0), facts["currency"]),
        "checkout_url": facts.get("checkout_url", ""),
        "deadline": _moment(facts.get("hold_until", ""), workshop.timezone),
        "note": facts.get("note", ""),
        "cancel": "",
    }
    if facts.get("registration") and facts["what"] in ("hold", "reminder", "paid"):
        values["cancel"] = cancel_url(
            head.inbox_url, head.secret, facts["registration"], facts["queue"], recipient
        )
    values["subject"] = SUBJECTS[facts["what"]].format(**values)
    message = _message(head, _address(facts["name"], recipient), "payment", values, now)
    if facts["what"] == "paid":
        message.add_attachment(
            attendee_calendar(
                slug=slug,
                title=workshop.title,
                start=workshop.start,
                end=workshop.end,
                hours=workshop.hours,
                timezone=workshop.timezone,
                place=workshop.place,
                url=values["page"],
                stamp=now,
            ),
            maintype="text",
            subtype="calendar",
            filename=f"{slug}.ics",
            params={"charset": "utf-8", "method": "PUBLISH"},
        )
    return message
