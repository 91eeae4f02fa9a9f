"""The mailing interface: what tasks and the inbox ask of a mailing service.

Two backends implement it: `outbox` (default, writes .eml files and a JSON log under build/outbox/)
and `mailchimp` (the Marketing API). Callers never know which one they hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from letterpress.errors import LetterpressError

if TYPE_CHECKING:
    from letterpress.newsletter.built_issue import BuiltIssue


class MailingError(LetterpressError):
    """A mailing operation failed; the message says what was and was not done."""


class UncertainOutcome(MailingError):
    """The service may or may not have done what was asked (a timeout, a 5xx, a dropped line).
    Never repeat the request blindly: read the campaign's status first."""


class CampaignMissing(MailingError):
    """The service has no campaign with that id (deleted since it was recorded)."""


@dataclass(frozen=True)
class Contact:
    """A person the author may write to. `subscribe` only with the person's explicit consent.

    `confirmed` says the person proved the address is theirs (they followed a link sent to it);
    without it anyone could have typed the address, so the name is set on a new contact only and
    an existing member's name is left as they gave it."""

    email: str
    name: str = ""
    tags: tuple[str, ...] = ()
    subscribe: bool = False
    confirmed: bool = False


@dataclass(frozen=True)
class ContactResult:
    """What the service now holds: `status` is 'pending', 'subscribed', 'transactional', ..."""

    email: str
    status: str
    created: bool


@dataclass(frozen=True)
class ContactRecord:
    """What the service holds about one address, for a person who asks (people.export)."""

    email: str
    status: str
    tags: tuple[str, ...] = ()
    name: str = ""


@dataclass(frozen=True)
class Sender:
    """Who a campaign comes from, from the settings (MAILING_FROM_NAME, MAILING_REPLY_TO)."""

    from_name: str
    reply_to: str


def campaign_title(month: str) -> str:
    """The campaign's internal title: the key that finds an issue's campaign again."""
    return f"Newsletter {month}"


@dataclass(frozen=True)
class CampaignStatus:
    """A campaign as the service sees it. `status` uses Mailchimp's words:
    save (a draft), paused, schedule, sending, sent, canceled."""

    id: str
    title: str
    status: str
    send_time: dt.datetime | None = None
    emails_sent: int | None = None


@dataclass(frozen=True)
class ChecklistItem:
    type: str  # success | warning | error
    heading: str
    details: str


@dataclass(frozen=True)
class Readiness:
    """The service's own pre-send check (Mailchimp's send-checklist)."""

    is_ready: bool
    items: tuple[ChecklistItem, ...] = field(default_factory=tuple)


class MailingBackend(Protocol):
    """Contacts and campaigns. Every method either does what it says or raises MailingError;
    UncertainOutcome when the service may have acted although no answer came back."""

    name: str

    def add_contact(self, contact: Contact) -> ContactResult:
        """Add or update a contact and apply its tags. Subscribing is always double opt-in
        (status 'pending'); re-adding an existing contact is harmless and never downgrades it,
        nor changes its name unless `contact.confirmed`."""

    def tag(self, email: str, tags: Sequence[str]) -> None:
        """Apply tags to an existing contact."""

    def untag(self, email: str, tags: Sequence[str]) -> None:
        """Remove tags from an existing contact (e.g. "waitlist" once a seat is given)."""

    def find_contact(self, email: str) -> ContactRecord | None:
        """What the list holds about `email` (status, tags, name), or None."""

    def forget_contact(self, email: str) -> bool:
        """Erase `email` from the list for good (Mailchimp: delete-permanent, which also stops
        it being added again by an import). False when the list did not hold it: harmless."""

    def find_campaign(self, month: str) -> CampaignStatus | None:
        """The campaign titled "Newsletter YYYY-MM" on this list, if there is one."""

    def campaign_status(self, campaign_id: str) -> CampaignStatus:
        """The campaign's current state, read from the service."""

    def save_settings(self, issue: BuiltIssue, sender: Sender, campaign_id: str | None) -> str:
        """Create the issue's campaign when `campaign_id` is None (callers look for it first with
        find_campaign), else update it: subject, preview text, title, from and reply-to.
        Returns the campaign id."""

    def set_content(self, campaign_id: str, issue: BuiltIssue) -> None:
        """Put the issue's HTML and plain text into the campaign."""

    def send_test(self, campaign_id: str, emails: Sequence[str]) -> None:
        """Send the campaign as a test to these addresses (HTML version)."""

    def checklist(self, campaign_id: str) -> Readiness:
        """Whether the service would send this campaign, and why not."""

    def schedule(self, campaign_id: str, when: dt.datetime) -> None:
        """Schedule the campaign for `when` (aware, UTC, on a quarter hour)."""

    def send(self, campaign_id: str) -> None:
        """Send the campaign to the list now. Never retried: on doubt, UncertainOutcome."""
