"""Sending the queue: take what waits, build each message, hand it to the transport, record the
outcome. The inbox does it in the background (letterpress/inbox/notifications.py) and
`invoke notifications.send` does it from the terminal; the claim in store.py keeps them from
sending the same row twice. The caller hands over the letterhead and the transport
(letterpress/inbox/outgoing_mail.py makes them from the inbox's configuration).

The database is touched only between sends, from the caller's thread: the server keeps its one
connection on the event loop and only the SMTP conversation runs in a worker thread.
"""

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

from . import store
from .messages import Letterhead, author_message, registration_message, reply_message
from .payment_messages import payment_message
from .transport import NOTIFICATIONS_HEADER, Refused, SendError, Transport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """One message and the queue rows it carries (several for a batch of author notices)."""

    message: EmailMessage
    job_ids: list[int]
    kind: str
    recipient: str
    attempts: int = 1


@dataclass
class Report:
    """What one run of a sender did: sent, failed (queued again, or given up after too many
    tries), refused for good by the server (5xx), dropped (could not be built)."""

    sent: list[Outgoing] = field(default_factory=list)
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)
    refused: list[tuple[Outgoing, str]] = field(default_factory=list)
    given_up: list[int] = field(default_factory=list)
    dropped: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing tried in this run failed."""
        return not (self.failed or self.refused or self.dropped)


BUILDERS: dict[str, Callable] = {
    "reply": reply_message,
    "registration": registration_message,
    "payment": payment_message,
}


def compose(
    jobs: list[store.Job], head: Letterhead, now: dt.datetime
) -> tuple[list[Outgoing], list[tuple[int, str]]]:
    """The messages for claimed jobs: one per reply or registration, one per recipient for the
    author's notices (a batch). Returns them and the jobs that cannot be built (with why)."""
    outgoing, broken = [], []
    batches: dict[str, list[store.Job]] = {}
    for job in jobs:
        if job.kind == "author":
            batches.setdefault(job.recipient, []).append(job)
            continue
        try:
            message = BUILDERS[job.kind](head, job.recipient, job.facts, now)
        except (KeyError, TypeError, ValueError) as error:
            broken.append((job.id, f"cannot build the {job.kind} e-mail: {error!r}"))
            continue
        message["X-Letterpress-Notice"] = job.kind
        message[NOTIFICATIONS_HEADER] = str(job.id)
        outgoing.append(Outgoing(message, [job.id], job.kind, job.recipient, job.attempts))
    for recipient, batch in batches.items():
        message = author_message(head, recipient, [job.facts for job in batch], now)
        message["X-Letterpress-Notice"] = "author"
        ids, tries = [job.id for job in batch], max(job.attempts for job in batch)
        # Which queue rows it carries: forgetting a person finds the notices about them by it.
        message[NOTIFICATIONS_HEADER] = ", ".join(map(str, ids))
        outgoing.append(Outgoing(message, ids, "author", recipient, tries))
    return outgoing, broken


def prepare(
    db: sqlite3.Connection,
    head: Letterhead,
    now: dt.datetime,
    kinds: tuple[str, ...] = (),
    *,
    wait_after_failure: bool = True,
) -> tuple[list[Outgoing], Report]:
    """Claim what is queued (of `kinds`, or all) and build its messages; a job whose message
    cannot be built is dropped at once, with the reason."""
    jobs = store.claim(db, now, kinds, wait_after_failure=wait_after_failure)
    outgoing, broken = compose(jobs, head, now)
    report = Report()
    for job_id, reason in broken:
        store.mark_dropped(db, job_id, reason)
        report.dropped.append((job_id, reason))
        log.error("notification %s dropped: %s", job_id, reason)
    return outgoing, report


def record(
    db: sqlite3.Connection,
    report: Report,
    item: Outgoing,
    error: SendError | None,
    now: dt.datetime,
):
    """Store the outcome of one send. Logged by notification Id, never by address."""
    ids = ", ".join(str(job_id) for job_id in item.job_ids)
    if error is None:
        store.mark_sent(db, item.job_ids, now)
        report.sent.append(item)
    elif isinstance(error, Refused):
        for job_id in item.job_ids:
            store.mark_dropped(db, job_id, str(error))
        report.refused.append((item, str(error)))
        log.warning("%s e-mail (notification %s) refused for good: %s", item.kind, ids, error)
    else:
        given_up = store.mark_failed(db, item.job_ids, str(error), now, item.attempts)
        report.given_up += given_up
        report.failed.append((item, str(error)))
        kept = "given up" if given_up else "kept in the queue"
        log.warning("%s e-mail (notification %s) not sent, %s: %s", item.kind, ids, kept, error)


def send_queue(
    db: sqlite3.Connection,
    transport: Transport,
    head: Letterhead,
    clock: Callable[[], dt.datetime],
    *,
    wait_after_failure: bool = True,
) -> Report:
    """Send what is queued and due, from this thread (the terminal's way); a message whose last
    try failed waits for its back-off unless `wait_after_failure` is False."""
    outgoing, report = prepare(db, head, clock(), wait_after_failure=wait_after_failure)
    for item in outgoing:
        record(db, report, item, try_send(transport, item), clock())
    return report


def try_send(transport: Transport, item: Outgoing) -> SendError | None:
    """Hand one message over; why it failed, or None. Safe to run in a worker thread."""
    try:
        transport.send(item.message)
    except SendError as error:
        return error
    return None


def delivery(report: Report, transport_name: str) -> str:
    """What happened to the e-mail just sent, in the words a task prints: "sent", "queued (SMTP
    failed: …)" or "written to the local outbox (no SMTP configured)"; "" when nothing went."""
    if report.refused:
        _, error = report.refused[-1]
        return f"not sent: refused for good ({error})"
    if report.failed:
        _, error = report.failed[-1]
        return f"queued (SMTP failed: {error})"
    if not report.sent:
        return ""
    if transport_name == "outbox":
        return "written to the local outbox (no SMTP configured)"
    return "sent"
