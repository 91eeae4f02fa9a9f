"""The mailing interface: what tasks and the inbox ask of a mailing service.

Two backends implement it: `outbox` (default, writes .eml files and a JSON log under build/outbox/)
and `mailchimp` (the Marketing API). Callers never know which one they hold.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class MailingError(Exception):
    """A mailing operation failed; the message says what was and was not done."""


@dataclass(frozen=True)
class Contact:
    """A person the author may write to. `subscribe` only with the person's explicit consent."""

    email: str
    name: str = ""
    tags: tuple[str, ...] = ()
    subscribe: bool = False


@dataclass(frozen=True)
class ContactResult:
    """What the service now holds: `status` is 'pending', 'subscribed', 'transactional', ..."""

    email: str
    status: str
    created: bool


class MailingBackend(Protocol):
    def add_contact(self, contact: Contact) -> ContactResult:
        """Add or update a contact and apply its tags. Subscribing is always double opt-in
        (status 'pending'); re-adding an existing contact is harmless and never downgrades it."""

    def tag(self, email: str, tags: Sequence[str]) -> None:
        """Apply tags to an existing contact."""
