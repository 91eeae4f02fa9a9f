"""Newsletter e-mails as RFC 5322 messages: multipart/alternative (plain text, then HTML), with
the merge tags a mailing service would fill replaced by sample values, so any mail program opens
them."""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

# What Mailchimp would put in for one reader; the outbox shows the author these instead of *|TAGS|*.
SAMPLE_MERGE_VALUES: Mapping[str, str] = {
    "FNAME": "Sam",
    "LNAME": "Reader",
    "EMAIL": "sam.reader@example.com",
    "UNSUB": "https://example.com/unsubscribe?sample=1",
    "UPDATE_PROFILE": "https://example.com/profile?sample=1",
    "ARCHIVE": "https://example.com/newsletter-archive?sample=1",
    "FORWARD": "https://example.com/forward?sample=1",
    "LIST:NAME": "Sample list",
    "LIST:COMPANY": "Sample list",
    "LIST:ADDRESS": "1 Sample Street, Sampleton",
    "LIST:DESCRIPTION": "You are receiving this sample because you opened the outbox.",
    "REWARDS": "",
    "MC:SUBJECT": "",
    "MC_PREVIEW_TEXT": "",
}
SAMPLE_RECIPIENT = Address("Sam Reader", addr_spec="sam.reader@example.com")

_MERGE_TAG = re.compile(r"\*\|([A-Z0-9_:]+)\|\*")


def fill_merge_tags(text: str, values: Mapping[str, str], today: dt.date) -> str:
    """Replace *|TAG|* with a sample value; dates and the year from `today`; an unknown tag
    becomes [TAG], so it stays visible in the preview instead of vanishing."""
    year = str(today.year)
    dated = {"CURRENT_YEAR": year, "DATE:Y": year, "MC:DATE": today.isoformat()}

    def replace(match: re.Match) -> str:
        tag = match.group(1)
        if tag in values:
            return values[tag]
        return dated.get(tag, f"[{tag}]")

    return _MERGE_TAG.sub(replace, text)


def newsletter_message(
    *,
    subject: str,
    preheader: str,
    html: str,
    text: str,
    from_name: str,
    from_address: str,
    to: Sequence[Address],
    date: dt.datetime,
    headers: Mapping[str, str] = {},
) -> EmailMessage:
    """A multipart/alternative message; merge tags filled with sample values."""
    values = {**SAMPLE_MERGE_VALUES, "MC:SUBJECT": subject, "MC_PREVIEW_TEXT": preheader}
    message = EmailMessage(policy=SMTP)
    message["Subject"] = fill_merge_tags(subject, values, date.date())
    message["From"] = Address(from_name, addr_spec=from_address)
    message["To"] = list(to)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = make_msgid(domain=from_address.rpartition("@")[2] or "outbox.invalid")
    for name, value in headers.items():
        message[name] = value
    message.set_content(fill_merge_tags(text, values, date.date()))
    message.add_alternative(fill_merge_tags(html, values, date.date()), subtype="html")
    return message
