"""Mailing: one interface (base.MailingBackend), two backends (outbox, mailchimp).

`backend_from_env()` picks the backend: Mailchimp when MAILCHIMP_API_KEY and MAILCHIMP_LIST_ID are
set, otherwise the outbox under BUILD_PATH/outbox/ (letterpress.paths).
"""

import os
from collections.abc import Mapping

from letterpress.mailing.base import (
    CampaignStatus,
    Contact,
    ContactResult,
    MailingBackend,
    MailingError,
    Readiness,
    Sender,
    UncertainOutcome,
)
from letterpress.mailing.outbox import OutboxBackend
from letterpress.paths import DEFAULT_BUILD_DIR, outbox_path

__all__ = [
    "CampaignStatus",
    "Contact",
    "ContactResult",
    "MailingBackend",
    "MailingError",
    "OutboxBackend",
    "Readiness",
    "Sender",
    "UncertainOutcome",
    "backend_from_env",
    "uses_mailchimp",
]


def uses_mailchimp(environ: Mapping[str, str]) -> bool:
    return bool(environ.get("MAILCHIMP_API_KEY", "").strip()) and bool(
        environ.get("MAILCHIMP_LIST_ID", "").strip()
    )


def backend_from_env(
    environ: Mapping[str, str] = os.environ,
    build_path: str | os.PathLike = DEFAULT_BUILD_DIR,
    *,
    sender: Sender | None = None,
) -> MailingBackend:
    """Mailchimp when MAILCHIMP_API_KEY and MAILCHIMP_LIST_ID are set, else the outbox under
    `build_path`/outbox (the settings' build folder: the caller hands it over)."""
    if uses_mailchimp(environ):
        # Imported here: the outbox must work without the Mailchimp client's import cost.
        from letterpress.mailing.mailchimp import MailchimpBackend

        return MailchimpBackend.from_environ(environ, sender=sender)
    return OutboxBackend(outbox_path(build_path), sender=sender)
