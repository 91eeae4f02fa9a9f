"""Push a built newsletter issue to the mailing service: draft, test, schedule or send, safely.

The order of a push, and why:
1. Everything that can be refused without the service is refused first (a bad schedule time,
   an issue already scheduled or sent according to the ledger): no request is made.
2. The draft is brought up to date: nothing is written when the ledger says the campaign already
   holds this content; otherwise settings first, then the ledger says 'content-stale', then the
   content, then the ledger says 'draft'. A failure in between leaves the ledger honest.
3. Tests, then the pre-flight checks (ours and the service's send checklist), then schedule or send.
4. A send is never repeated: if its answer is lost, the campaign's status is read and reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from letterpress.mailing.base import (
    CampaignMissing,
    ChecklistItem,
    MailingBackend,
    MailingError,
    Sender,
    UncertainOutcome,
    campaign_title,
)
from letterpress.mailing.ledger import FINAL_STATES, Entry, Ledger

if TYPE_CHECKING:
    from letterpress.newsletter.built_issue import BuiltIssue

Say = Callable[[str], None]
# The service's words for a campaign that is going or has gone out.
SENT_STATUSES = {"sending", "sent"}
SCHEDULED_STATUSES = {"schedule"}


class NotReady(MailingError):
    """The pre-flight checks or the service's send checklist found problems."""

    def __init__(self, message: str, items: Sequence[ChecklistItem]):
        super().__init__(message)
        self.items = tuple(items)


@dataclass(frozen=True)
class PushRequest:
    month: str
    test_to: tuple[str, ...] = ()
    schedule_at: dt.datetime | None = None  # aware, UTC
    send: bool = False


@dataclass
class PushResult:
    campaign_id: str
    state: str
    wrote_draft: bool
    ledger_changed: bool = False
    notes: list[str] = field(default_factory=list)


def schedule_time(text: str, timezone: str, now: dt.datetime) -> dt.datetime:
    """The author's local date-time (in the site's TIMEZONE unless it carries an offset) as UTC.
    Refused when unreadable, off the quarter hour, in a daylight-saving gap, or in the past."""
    try:
        local = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise MailingError(
            f"--schedule {text!r} is not a date and time; write it as 2026-12-01T09:00 "
            f"(your local time, {timezone})."
        ) from None
    if local.tzinfo is None:
        zone = ZoneInfo(timezone)
        local = local.replace(tzinfo=zone)
        round_trip = local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
        if round_trip != local.replace(tzinfo=None):
            raise MailingError(
                f"--schedule {text}: that time does not exist in {timezone} (the clocks jump "
                "forward then); choose another."
            )
    if local.minute % 15 or local.second or local.microsecond:
        raise MailingError(
            f"--schedule {text}: Mailchimp schedules only on the quarter hour "
            "(:00, :15, :30, :45); choose one of those."
        )
    when = local.astimezone(dt.UTC)
    if when <= now:
        raise MailingError(
            f"--schedule {text} ({when:%Y-%m-%d %H:%M} UTC) is in the past; choose a later time."
        )
    return when


def pushed_hash(issue: BuiltIssue, sender: Sender) -> str:
    """What the campaign holds: the issue's content and who it comes from."""
    digest = hashlib.sha256(
        "\0".join((issue.content_hash, sender.from_name, sender.reply_to)).encode("utf-8")
    )
    return "sha256:" + digest.hexdigest()


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


class Pusher:
    """One push of one issue. Holds the collaborators; `run()` does the work."""

    def __init__(
        self,
        *,
        backend: MailingBackend,
        ledger: Ledger,
        sender: Sender,
        now: Callable[[], dt.datetime],
        say: Say,
        preflight: Callable[[BuiltIssue], Sequence[str]] | None = None,
    ):
        self.backend = backend
        self.ledger = ledger
        self.sender = sender
        self.now = now
        self.say = say
        self.preflight = preflight
        self.ledger_changed = False
        # What this push did, in a few words each: the commit message of the ledger.
        self.events: list[str] = []

    def record(self, entry: Entry) -> Entry:
        self.ledger_changed = True
        return self.ledger.record(entry, self.now())

    # -- the whole push ----------------------------------------------------------------------

    def run(self, issue: BuiltIssue, request: PushRequest) -> PushResult:
        entry = self.ledger.get(issue.month)
        wants_delivery = request.send or request.schedule_at is not None
        if entry and entry.state == "unknown":
            entry = self.reconcile(entry)
        if entry and entry.state in FINAL_STATES:
            return self.finished_issue(issue, entry, request)
        if wants_delivery and request.schedule_at and request.schedule_at <= self.now():
            raise MailingError("The schedule time is in the past; choose a later time.")

        entry, wrote = self.sync_draft(issue, entry)
        if entry.state in FINAL_STATES:
            return self.finished_issue(issue, entry, request)
        if request.test_to:
            self.backend.send_test(entry.campaign_id, request.test_to)
            self.events.append("test sent")
            entry.tests += 1
            self.record(entry)
            self.say(f"Sent a test to {', '.join(request.test_to)}.")
        if wants_delivery:
            self.check_ready(issue, entry)
            if request.schedule_at is not None:
                self.schedule(entry, request.schedule_at)
            else:
                self.send(entry)
        return PushResult(entry.campaign_id, entry.state, wrote, self.ledger_changed)

    # -- steps -------------------------------------------------------------------------------

    def sync_draft(self, issue: BuiltIssue, entry: Entry | None) -> tuple[Entry, bool]:
        """Bring the campaign's draft up to date; returns the entry and whether anything was
        written to the service."""
        target = pushed_hash(issue, self.sender)
        title = campaign_title(issue.month)
        if entry:
            try:
                remote = self.backend.campaign_status(entry.campaign_id)
            except CampaignMissing:
                self.say(
                    f"Campaign {entry.campaign_id} in the ledger no longer exists on "
                    f"{self.backend.name}; looking for another, or making a new one."
                )
                entry = None
            else:
                if remote.status in SENT_STATUSES | SCHEDULED_STATUSES:
                    return self.adopt_remote(entry, remote), False
                if entry.state == "draft" and entry.content_hash == target:
                    self.say(
                        f"Campaign {entry.campaign_id} already holds this content: "
                        "nothing to write."
                    )
                    return entry, False
        known = entry.campaign_id if entry else None
        if known is None:
            found = self.backend.find_campaign(issue.month)
            if found and found.status in SENT_STATUSES | SCHEDULED_STATUSES:
                fresh = Entry(issue.month, found.id, self.backend.name, "draft")
                return self.adopt_remote(fresh, found), False
            known = found.id if found else None
            if found:
                self.say(f"Found campaign {found.id} '{title}' on {self.backend.name}.")
        campaign_id = self.backend.save_settings(issue, self.sender, known)
        if known is None:
            self.say(f"Created campaign {campaign_id} '{title}' on {self.backend.name}.")
        entry = entry or Entry(issue.month, campaign_id, self.backend.name, "content-stale")
        entry.campaign_id = campaign_id
        entry.state = "content-stale"
        entry.content_hash = None
        self.record(entry)
        try:
            self.backend.set_content(campaign_id, issue)
        except MailingError as error:
            raise type(error)(
                f"{error} The ledger marks {issue.month} as content-stale: the campaign's content "
                "is not up to date. Run the push again."
            ) from None
        entry.state = "draft"
        entry.content_hash = target
        self.events.append("draft created" if known is None else "draft updated")
        self.record(entry)
        self.say(f"Updated the draft: subject '{issue.subject}', HTML and plain text.")
        return entry, True

    def adopt_remote(self, entry: Entry, remote) -> Entry:
        """The service says the campaign went out or is scheduled: the ledger follows it."""
        entry.campaign_id = remote.id
        if remote.status in SENT_STATUSES:
            entry.state = "sent"
            entry.sent_at = _stamp(remote.send_time) if remote.send_time else _stamp(self.now())
        else:
            entry.state = "scheduled"
            entry.scheduled_for = _stamp(remote.send_time) if remote.send_time else None
        self.say(
            f"{self.backend.name} reports campaign {remote.id} as '{remote.status}'; "
            f"the ledger now says {entry.state}."
        )
        self.events.append(f"{entry.state} according to {self.backend.name}")
        return self.record(entry)

    def reconcile(self, entry: Entry) -> Entry:
        remote = self.backend.campaign_status(entry.campaign_id)
        if remote.status in SENT_STATUSES | SCHEDULED_STATUSES:
            return self.adopt_remote(entry, remote)
        entry.state = "draft" if entry.content_hash else "content-stale"
        self.say(
            f"The last send of campaign {entry.campaign_id} had no answer; {self.backend.name} "
            f"says it is '{remote.status}', so it was not sent."
        )
        return self.record(entry)

    def finished_issue(self, issue: BuiltIssue, entry: Entry, request: PushRequest) -> PushResult:
        when = entry.sent_at if entry.state == "sent" else entry.scheduled_for
        summary = f"The {issue.month} issue is {entry.state} ({when}, campaign {entry.campaign_id})"
        if request.send or request.schedule_at or request.test_to:
            raise MailingError(
                f"{summary}; Letterpress never sends an issue twice, so nothing was done. "
                f"To change a scheduled issue, unschedule it on {self.backend.name} first, "
                "then set its ledger entry back to draft."
            )
        if entry.content_hash and entry.content_hash != pushed_hash(issue, self.sender):
            self.say(f"{summary}; the built issue has changed since, but it cannot be updated.")
        else:
            self.say(f"{summary}; nothing to do.")
        return PushResult(entry.campaign_id, entry.state, False, self.ledger_changed)

    def check_ready(self, issue: BuiltIssue, entry: Entry) -> None:
        problems = list(self.preflight(issue)) if self.preflight else []
        items = [ChecklistItem("error", "Newsletter check", problem) for problem in problems]
        readiness = self.backend.checklist(entry.campaign_id)
        items += [item for item in readiness.items if item.type != "success"]
        if not problems and readiness.is_ready:
            checks = "the newsletter pre-flight and " if self.preflight else ""
            self.say(f"Ready: {checks}{self.backend.name}'s send checklist found no problem.")
            for item in items:
                self.say(f"Mailchimp notes ({item.type}): {item.heading}: {item.details}")
        if problems or not readiness.is_ready:
            raise NotReady(
                f"The {issue.month} issue is not ready to go out; nothing was scheduled or sent.",
                items,
            )

    def schedule(self, entry: Entry, when: dt.datetime) -> None:
        try:
            self.backend.schedule(entry.campaign_id, when)
        except UncertainOutcome as error:
            self.after_lost_answer(entry, error, "schedule")
            return
        entry.state = "scheduled"
        entry.scheduled_for = _stamp(when)
        self.events.append(f"scheduled for {_stamp(when)}")
        self.record(entry)
        self.say(f"Scheduled campaign {entry.campaign_id} for {_stamp(when)}.")

    def send(self, entry: Entry) -> None:
        remote = self.backend.campaign_status(entry.campaign_id)
        if remote.status in SENT_STATUSES | SCHEDULED_STATUSES:
            self.adopt_remote(entry, remote)
            raise MailingError(
                f"Campaign {entry.campaign_id} is already '{remote.status}' on "
                f"{self.backend.name}; nothing was sent."
            )
        try:
            self.backend.send(entry.campaign_id)
        except UncertainOutcome as error:
            self.after_lost_answer(entry, error, "send")
            return
        entry.state = "sent"
        entry.sent_at = _stamp(self.now())
        self.events.append("sent")
        self.record(entry)
        self.say(f"Sent campaign {entry.campaign_id} to the list.")

    def after_lost_answer(self, entry: Entry, error: UncertainOutcome, action: str) -> None:
        """Never repeat: read what the service did and say so."""
        self.say(f"{error}")
        self.say(f"Reading the status of campaign {entry.campaign_id} instead of retrying.")
        try:
            remote = self.backend.campaign_status(entry.campaign_id)
        except MailingError as second:
            entry.state = "unknown"
            self.record(entry)
            raise MailingError(
                f"Could not read the campaign's status either ({second}). The ledger marks the "
                f"issue 'unknown': look at campaign {entry.campaign_id} in Mailchimp before "
                "doing anything else; the next push reads the status first."
            ) from None
        if remote.status in SENT_STATUSES | SCHEDULED_STATUSES:
            self.adopt_remote(entry, remote)
            self.say(f"The {action} did happen: do not {action} again.")
            return
        raise MailingError(
            f"The {action} did not happen: {self.backend.name} says campaign {entry.campaign_id} "
            f"is '{remote.status}'. Nothing was retried; run the same command again to {action}."
        )
