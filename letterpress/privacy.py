"""What each form stores, where, for how long and who sees it: the facts the privacy page states.

The inbox's retention default and the privacy page both read them from here, so the page cannot
drift from the code. Change a fact here and the page and the behaviour change together.
"""

from dataclasses import dataclass

# Days the inbox keeps the e-mail address and network of a rejected or spam comment, and other
# data derived from a sender's IP address (rate-limit counters), before `inbox.prune` deletes it.
# The inbox reads LETTERPRESS_RETENTION_DAYS to change it; the privacy page shows the setting.
RETENTION_DAYS = 30


@dataclass(frozen=True)
class StoredField:
    name: str
    where: str  # where it is kept
    kept: str  # for how long
    seen_by: str  # who sees it


@dataclass(frozen=True)
class FormFacts:
    form: str
    purpose: str
    fields: tuple[StoredField, ...]


def form_facts(retention_days: int = RETENTION_DAYS) -> tuple[FormFacts, ...]:
    """Every form of the site and what it stores, for the privacy page."""
    inbox = "the inbox's database on the author's server"
    purged = f"deleted {retention_days} days after a comment is rejected or marked as spam"
    return (
        FormFacts(
            "Leave a Reply",
            "to publish your comment after the author approves it",
            (
                StoredField(
                    "Name",
                    "the comment file in the site's repository",
                    "while the comment is published",
                    "everyone",
                ),
                StoredField(
                    "Website", "the comment file", "while the comment is published", "everyone"
                ),
                StoredField(
                    "Comment", "the comment file", "while the comment is published", "everyone"
                ),
                StoredField(
                    "E-mail",
                    inbox,
                    f"until you ask to be forgotten; {purged}",
                    "the author only; never published",
                ),
                StoredField(
                    "Your network (not your IP address)",
                    inbox,
                    f"{retention_days} days",
                    "the author only",
                ),
                StoredField(
                    "E-mail me when someone replies",
                    inbox,
                    "until you unsubscribe or ask to be forgotten",
                    "the author only",
                ),
            ),
        ),
        FormFacts(
            "Workshop registration",
            "to hold your seat or your place on the waiting list, and to write to you about it",
            (
                StoredField(
                    "Name, e-mail, phone, message, seats",
                    inbox,
                    "until you ask to be forgotten",
                    "the author only",
                ),
                StoredField(
                    "Newsletter box",
                    "the mailing list (Mailchimp)",
                    "until you unsubscribe",
                    "the author only",
                ),
            ),
        ),
        FormFacts(
            "Newsletter sign-up",
            "to send you the monthly newsletter after you confirm",
            (
                StoredField(
                    "E-mail",
                    "the mailing list (Mailchimp)",
                    "until you unsubscribe or ask to be forgotten",
                    "the author only",
                ),
            ),
        ),
    )
