"""The e-mail about a workshop seat and its money: a hold and how to pay, the reminder before it
ends, the confirmation once paid (dates with each day's hours, the venue and its address, what
was paid, the refund policy, the cancel link, and a calendar file with one event per day), and
what happened when a hold ran out, a late payment was refunded, or a registration was cancelled.

Pure, like messages.py: the facts queued with the e-mail and the Letterhead give one message.
"""

import datetime as dt
from collections.abc import Mapping

from letterpress.payments.money import format_amount

from .messages import Letterhead, _address, _message, page_link
from .workshop_facts import attach_calendar, cancel_link, moment_text, workshop_values

SUBJECTS = {
    "hold": "Your seat at “{title}” is held: please pay by {deadline}",
    "reminder": "Reminder: your seat at “{title}” is held until {deadline}",
    "paid": "Your seat at “{title}” is confirmed",
    "expired": "Your hold at “{title}” has ended",
    "late_refund": "Your payment for “{title}” has been refunded",
    "refunded": "Your registration for “{title}” is cancelled and refunded",
    "cancelled": "Your registration for “{title}” is cancelled",
}


def payment_message(head: Letterhead, recipient: str, facts: Mapping, now: dt.datetime):
    slug = facts["workshop"]
    workshop = head.workshops[slug]
    page = page_link(head, workshop.url)
    values = {
        **workshop_values(workshop, page),
        "name": facts["name"],
        "seats": facts["seats"],
        "what": facts["what"],
        "method": facts["method"],
        "promoted": bool(facts.get("promoted")),
        "amount": format_amount(facts["amount"], facts["currency"]),
        "refund_amount": format_amount(facts.get("refund_amount", 0), facts["currency"]),
        "checkout_url": facts.get("checkout_url", ""),
        "deadline": moment_text(facts.get("hold_until", ""), workshop.timezone),
        "note": facts.get("note", ""),
        "cancel": "",
    }
    if facts["what"] in ("hold", "reminder", "paid"):
        values["cancel"] = cancel_link(head, facts, recipient)
    values["subject"] = SUBJECTS[facts["what"]].format(**values)
    message = _message(head, _address(facts["name"], recipient), "payment", values, now)
    if facts["what"] == "paid":
        attach_calendar(message, workshop, page, now)
    return message
