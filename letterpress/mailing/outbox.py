"""The outbox: a mailing backend that writes files instead of talking to a service.

Everything goes under build/outbox/:
  contacts.json             every contact: e-mail -> name, status, tags (what the list would hold)
  campaigns.json            every campaign: id -> title, month, subject, status, content hash, times
  log.jsonl                 one JSON line per operation, oldest first
  <YYYY-MM>/draft.eml       the issue as a reader would get it (rewritten when the content changes)
  <YYYY-MM>/test-<n>.eml    each test send, addressed to the test recipients
  <YYYY-MM>/scheduled.eml, sent.eml   what was scheduled or sent

The outbox behaves like Mailchimp where it matters for safety: double opt-in, no second send,
a schedule only on a quarter hour.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Sequence
from email.headerregistry import Address
from pathlib import Path
from typing import TYPE_CHECKING

from letterpress.mailing.base import (
    CampaignMissing,
    CampaignStatus,
    ChecklistItem,
    Contact,
    ContactRecord,
    ContactResult,
    MailingError,
    Readiness,
    Sender,
    campaign_title,
)
from letterpress.mailing.eml import SAMPLE_RECIPIENT, newsletter_message
from letterpress.mailing.ledger import write_json

if TYPE_CHECKING:
    from letterpress.newsletter.built_issue import BuiltIssue

# Statuses a new contact never moves down from when added again.
_SUBSCRIBED_OR_ASKED = {"subscribed", "pending"}
# Campaign statuses after which the content and schedule are fixed.
_FINAL = {"sending", "sent"}


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _read_json(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise MailingError(f"{path} is not valid JSON ({error}); fix or remove it.") from None


class OutboxBackend:
    """Writes .eml files and JSON under `root` (normally build/outbox/)."""

    name = "outbox"

    def __init__(
        self,
        root: Path,
        sender: Sender | None = None,
        now: Callable[[], dt.datetime] = _utc_now,
    ):
        self.root = Path(root)
        self.sender = sender or Sender("Letterpress", "newsletter@outbox.invalid")
        self._now = now
        # The inbox may add contacts from several threads; the JSON files have one writer at a time.
        self._lock = threading.Lock()

    # -- files -------------------------------------------------------------------------------

    @property
    def contacts_path(self) -> Path:
        return self.root / "contacts.json"

    @property
    def campaigns_path(self) -> Path:
        return self.root / "campaigns.json"

    @property
    def log_path(self) -> Path:
        return self.root / "log.jsonl"

    def _log(self, operation: str, **details) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        entry = {"time": self._now().isoformat(timespec="seconds"), "op": operation, **details}
        with self.log_path.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n")

    def log_entries(self) -> list[dict]:
        if not self.log_path.exists():
            return []
        lines = self.log_path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    # -- contacts ----------------------------------------------------------------------------

    def add_contact(self, contact: Contact) -> ContactResult:
        key = contact.email.strip().lower()
        with self._lock:
            contacts = _read_json(self.contacts_path)
            existing = contacts.get(key)
            created = existing is None
            record = existing or {"email": contact.email.strip(), "name": "", "tags": []}
            status = record.get("status", "transactional")
            # Double opt-in: consent makes a contact 'pending' until they confirm; a contact
            # already subscribed or already asked stays as they are.
            if contact.subscribe and status not in _SUBSCRIBED_OR_ASKED:
                status = "pending"
            record["status"] = status
            if created or contact.confirmed:
                record["name"] = contact.name or record["name"]
            record["tags"] = sorted({*record["tags"], *contact.tags})
            contacts[key] = record
            write_json(self.contacts_path, contacts)
            self._log(
                "add_contact",
                email=record["email"],
                status=status,
                created=created,
                tags=list(contact.tags),
            )
        return ContactResult(email=record["email"], status=status, created=created)

    def tag(self, email: str, tags: Sequence[str]) -> None:
        self._change_tags("tag", email, lambda held: {*held, *tags}, tags)

    def untag(self, email: str, tags: Sequence[str]) -> None:
        self._change_tags("untag", email, lambda held: set(held) - set(tags), tags)

    def _change_tags(self, op: str, email: str, change, tags: Sequence[str]) -> None:
        key = email.strip().lower()
        with self._lock:
            contacts = _read_json(self.contacts_path)
            if key not in contacts:
                raise MailingError(f"{email} is not in the outbox contacts; add the contact first.")
            contacts[key]["tags"] = sorted(change(contacts[key]["tags"]))
            write_json(self.contacts_path, contacts)
            self._log(op, email=contacts[key]["email"], tags=list(tags))

    def contacts(self) -> dict:
        return _read_json(self.contacts_path)

    def find_contact(self, email: str) -> ContactRecord | None:
        record = self.contacts().get(email.strip().lower())
        if record is None:
            return None
        return ContactRecord(
            email=record["email"],
            status=record.get("status", "transactional"),
            tags=tuple(record.get("tags", ())),
            name=record.get("name", ""),
        )

    def forget_contact(self, email: str) -> bool:
        """Remove the contact, and every line of the log that names the address."""
        key = email.strip().lower()
        with self._lock:
            contacts = _read_json(self.contacts_path)
            held = contacts.pop(key, None) is not None
            if held:
                write_json(self.contacts_path, contacts)
            if self.log_path.exists():
                lines = self.log_path.read_text(encoding="utf-8").splitlines(keepends=True)
                kept = [line for line in lines if key not in line.lower()]
                if len(kept) != len(lines):
                    self.log_path.write_text("".join(kept), encoding="utf-8")
            self._log("forget_contact", held=held)
        return held

    # -- campaigns ---------------------------------------------------------------------------

    def _campaigns(self) -> dict:
        return _read_json(self.campaigns_path)

    def _campaign(self, campaign_id: str) -> dict:
        campaign = self._campaigns().get(campaign_id)
        if campaign is None:
            raise CampaignMissing(f"No campaign {campaign_id} in {self.campaigns_path}.")
        return campaign

    def _update(self, campaign: dict) -> None:
        campaigns = self._campaigns()
        campaigns[campaign["id"]] = campaign
        write_json(self.campaigns_path, campaigns)

    @staticmethod
    def _status(campaign: dict) -> CampaignStatus:
        send_time = campaign.get("send_time")
        return CampaignStatus(
            id=campaign["id"],
            title=campaign["title"],
            status=campaign["status"],
            send_time=dt.datetime.fromisoformat(send_time) if send_time else None,
            emails_sent=campaign.get("emails_sent"),
        )

    def find_campaign(self, month: str) -> CampaignStatus | None:
        title = campaign_title(month)
        for campaign in self._campaigns().values():
            if campaign["title"] == title:
                return self._status(campaign)
        return None

    def campaign_status(self, campaign_id: str) -> CampaignStatus:
        return self._status(self._campaign(campaign_id))

    def save_settings(self, issue: BuiltIssue, sender: Sender, campaign_id: str | None) -> str:
        now = self._now().isoformat(timespec="seconds")
        if campaign_id is None:
            campaign = {"id": f"outbox-{issue.month}", "status": "save", "created": now}
            self._log("create_campaign", campaign=campaign["id"], title=campaign_title(issue.month))
        else:
            campaign = self._campaign(campaign_id)
            self._refuse_if_final(campaign, "change its settings")
        campaign.update(
            title=campaign_title(issue.month),
            month=issue.month,
            subject=issue.subject,
            preheader=issue.preheader,
            from_name=sender.from_name,
            reply_to=sender.reply_to,
            updated=now,
        )
        self._update(campaign)
        self._log("save_settings", campaign=campaign["id"], subject=issue.subject)
        return campaign["id"]

    def set_content(self, campaign_id: str, issue: BuiltIssue) -> None:
        campaign = self._campaign(campaign_id)
        self._refuse_if_final(campaign, "change its content")
        folder = self.root / issue.month
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "email.html").write_text(issue.html, encoding="utf-8")
        (folder / "email.txt").write_text(issue.text, encoding="utf-8")
        draft = self._write_eml(campaign, folder / "draft.eml", [SAMPLE_RECIPIENT])
        campaign.update(content_hash=issue.content_hash, content_folder=str(folder))
        self._update(campaign)
        self._log("set_content", campaign=campaign_id, hash=issue.content_hash, eml=str(draft))

    def send_test(self, campaign_id: str, emails: Sequence[str]) -> None:
        campaign = self._campaign(campaign_id)
        self._require_content(campaign)
        folder = Path(campaign["content_folder"])
        number = len(list(folder.glob("test-*.eml"))) + 1
        recipients = [Address(addr_spec=email.strip()) for email in emails]
        path = self._write_eml(
            campaign, folder / f"test-{number}.eml", recipients, {"X-Letterpress-Test": "yes"}
        )
        self._log("send_test", campaign=campaign_id, to=list(emails), eml=str(path))

    def checklist(self, campaign_id: str) -> Readiness:
        campaign = self._campaign(campaign_id)
        checks = (
            (bool(campaign.get("subject")), "Subject line", "The campaign has no subject line."),
            (bool(campaign.get("content_hash")), "Content", "The campaign has no content yet."),
            (bool(campaign.get("reply_to")), "Reply-to address", "Set MAILING_REPLY_TO."),
            (campaign["status"] not in _FINAL, "Not sent yet", "The campaign was already sent."),
        )
        items = tuple(
            ChecklistItem("success" if ok else "error", heading, "" if ok else problem)
            for ok, heading, problem in checks
        )
        return Readiness(is_ready=all(ok for ok, *_ in checks), items=items)

    def schedule(self, campaign_id: str, when: dt.datetime) -> None:
        campaign = self._campaign(campaign_id)
        self._refuse_if_final(campaign, "schedule it")
        self._require_content(campaign)
        if when.utcoffset() != dt.timedelta(0) or when.minute % 15 or when.second:
            raise MailingError(f"{when.isoformat()} is not a UTC time on a quarter hour.")
        campaign.update(status="schedule", send_time=when.isoformat())
        self._update(campaign)
        path = self._write_eml(campaign, Path(campaign["content_folder"]) / "scheduled.eml")
        self._log("schedule", campaign=campaign_id, send_time=when.isoformat(), eml=str(path))

    def send(self, campaign_id: str) -> None:
        campaign = self._campaign(campaign_id)
        self._refuse_if_final(campaign, "send it again")
        self._require_content(campaign)
        recipients = [c for c in self.contacts().values() if c.get("status") == "subscribed"]
        campaign.update(
            status="sent",
            send_time=self._now().isoformat(timespec="seconds"),
            emails_sent=len(recipients),
        )
        self._update(campaign)
        path = self._write_eml(campaign, Path(campaign["content_folder"]) / "sent.eml")
        self._log("send", campaign=campaign_id, emails_sent=len(recipients), eml=str(path))

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _refuse_if_final(campaign: dict, action: str) -> None:
        if campaign["status"] in _FINAL:
            raise MailingError(
                f"Campaign {campaign['id']} ({campaign['title']}) was already sent; "
                f"the outbox will not {action}."
            )

    @staticmethod
    def _require_content(campaign: dict) -> None:
        if not campaign.get("content_hash"):
            raise MailingError(f"Campaign {campaign['id']} has no content yet; push it first.")

    def _write_eml(
        self,
        campaign: dict,
        path: Path,
        to: Sequence[Address] = (SAMPLE_RECIPIENT,),
        headers: dict | None = None,
    ) -> Path:
        folder = Path(campaign["content_folder"]) if "content_folder" in campaign else path.parent
        message = newsletter_message(
            subject=campaign["subject"],
            preheader=campaign.get("preheader", ""),
            html=(folder / "email.html").read_text(encoding="utf-8"),
            text=(folder / "email.txt").read_text(encoding="utf-8"),
            from_name=campaign["from_name"],
            from_address=campaign["reply_to"],
            to=to,
            date=self._now(),
            headers={"X-Letterpress-Campaign": campaign["id"], **(headers or {})},
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(message.as_bytes())
        return path
