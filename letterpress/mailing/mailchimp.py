"""The Mailchimp backend: the Marketing API through the official client, mailchimp-marketing.

Every call goes through `_call`, which turns the client's answers into our own: a problem+json
error becomes a MailingError that says what Mailchimp objected to; a timeout or a 5xx on a write
becomes UncertainOutcome (Mailchimp may have acted); the API key is removed from every message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import requests
from mailchimp_marketing import Client
from mailchimp_marketing.api_client import ApiClientError

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
    UncertainOutcome,
    campaign_title,
)

if TYPE_CHECKING:
    from letterpress.newsletter.built_issue import BuiltIssue

DEFAULT_TIMEOUT_SECONDS = 30
CAMPAIGN_FIELDS = ["id", "status", "send_time", "emails_sent", "settings.title"]
PAGE_SIZE = 1000
# A member who has not asked for the newsletter (yet) can still be tagged and written to about a
# workshop they registered for: Mailchimp's 'transactional' status.
NO_CONSENT_STATUS = "transactional"
# Existing members a subscription with consent moves to 'pending' (double opt-in e-mail).
_MAY_ASK_AGAIN = {"transactional", "unsubscribed"}


def subscriber_hash(email: str) -> str:
    """Mailchimp's member id: the MD5 of the lower-cased address (an identifier, not security)."""
    return hashlib.md5(email.strip().lower().encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MailchimpConfig:
    api_key: str = field(repr=False)  # never printed, not even by a debugger's repr
    list_id: str
    base_url: str
    timeout: float

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> MailchimpConfig:
        api_key = environ.get("MAILCHIMP_API_KEY", "").strip()
        list_id = environ.get("MAILCHIMP_LIST_ID", "").strip()
        if not api_key or not list_id:
            raise MailingError("Set both MAILCHIMP_API_KEY and MAILCHIMP_LIST_ID to use Mailchimp.")
        server = environ.get("MAILCHIMP_SERVER", "").strip() or data_centre(api_key)
        base_url = environ.get("MAILCHIMP_API_BASE", "").strip().rstrip("/")
        given = environ.get("MAILCHIMP_TIMEOUT", "").strip()
        try:
            timeout = float(given or DEFAULT_TIMEOUT_SECONDS)
        except ValueError:
            raise MailingError(f"MAILCHIMP_TIMEOUT={given!r} is not a number of seconds.") from None
        return cls(
            api_key=api_key,
            list_id=list_id,
            base_url=base_url or f"https://{server}.api.mailchimp.com/3.0",
            timeout=timeout,
        )


def data_centre(api_key: str) -> str:
    """The data centre is the key's suffix: '…-us21' → 'us21'."""
    _, dash, suffix = api_key.rpartition("-")
    if not dash or not suffix.isalnum():
        raise MailingError(
            "MAILCHIMP_API_KEY has no data-centre suffix (it should end like '-us21'); "
            "check the key, or set MAILCHIMP_SERVER to the data centre (us21)."
        )
    return suffix


def make_client(config: MailchimpConfig) -> Client:
    client = Client()
    client.set_config({"api_key": config.api_key, "timeout": config.timeout})
    # The client would replace the word 'server' anywhere in the URL with the data centre;
    # we build the whole base URL ourselves, so that substitution is switched off.
    client.api_client.server = ""
    client.api_client.host = config.base_url
    return client


def _problem(text) -> dict:
    if isinstance(text, dict):
        return text
    try:
        problem = json.loads(text)
    except (TypeError, ValueError):
        return {"detail": str(text)}
    return problem if isinstance(problem, dict) else {"detail": str(problem)}


def _never_arrived(error: Exception) -> bool:
    """True when the request certainly did not reach Mailchimp (no connection was made)."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(error, requests.exceptions.ConnectionError):
        text = str(error)
        return any(
            sign in text
            for sign in ("NewConnectionError", "Failed to resolve", "Connection refused")
        )
    return False


class MailchimpBackend:
    name = "mailchimp"

    def __init__(self, client: Client, config: MailchimpConfig, sender: Sender | None = None):
        self.client = client
        self.config = config
        self.sender = sender

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str], sender: Sender | None = None
    ) -> MailchimpBackend:
        config = MailchimpConfig.from_environ(environ)
        return cls(make_client(config), config, sender)

    @property
    def list_id(self) -> str:
        return self.config.list_id

    # -- the one place that talks to the client ----------------------------------------------

    def redact(self, text: str) -> str:
        """The API key never leaves this module, not even inside an error."""
        key = self.config.api_key
        return text.replace(key, "[API key]") if key else text

    def _call(self, doing: str, function: Callable, *args, writes: bool = False, **kwargs):
        """Run one client call; `doing` completes 'while …' in messages, `writes` says whether
        a lost answer leaves the outcome unknown."""
        try:
            answer = function(*args, **kwargs)
        except ApiClientError as error:
            raise self._translate(doing, error.text, error.status_code, writes) from None
        # Errors with an empty body come back as a plain response instead of an exception.
        if isinstance(answer, requests.Response):
            if not answer.ok:
                raise self._translate(doing, answer.text, answer.status_code, writes)
            return None
        return answer

    def _translate(self, doing: str, text, status: int | None, writes: bool) -> MailingError:
        where = self.config.base_url
        if status is None:
            reason = type(text).__name__ if isinstance(text, Exception) else "no answer"
            if isinstance(text, Exception) and _never_arrived(text):
                message = (
                    f"Could not reach Mailchimp at {where} while {doing} ({reason}); "
                    "nothing was changed. Check the network and run the command again."
                )
                return MailingError(self.redact(message))
            outcome = (
                "Mailchimp may or may not have done it"
                if writes
                else "nothing was changed by this request"
            )
            message = f"No answer from Mailchimp at {where} while {doing} ({reason}): {outcome}."
            return (UncertainOutcome if writes else MailingError)(self.redact(message))
        problem = _problem(text)
        title = problem.get("title") or f"HTTP {status}"
        detail = problem.get("detail") or ""
        fields = "; ".join(
            f"{item.get('field') or '(request)'}: {item.get('message', '')}"
            for item in problem.get("errors") or []
            if isinstance(item, dict)
        )
        if status in (401, 403):
            message = (
                f"Mailchimp rejected the API key ({status} {title}) while {doing}: {detail} "
                "Check MAILCHIMP_API_KEY (Account > Extras > API keys) and its data centre."
            )
        elif status >= 500:
            message = f"Mailchimp failed ({status} {title}) while {doing}: {detail}"
            if writes:
                message += " It may or may not have done it; read the campaign's status first."
                return UncertainOutcome(self.redact(message.strip()))
        elif status == 404 and "campaign" in doing:
            message = f"Mailchimp has no such campaign ({doing}): {detail}"
            return CampaignMissing(self.redact(message))
        else:
            message = f"Mailchimp refused {doing} ({status} {title}): {detail}"
            if fields:
                message += f" Fields: {fields}."
        return MailingError(self.redact(message.strip()))

    # -- contacts ----------------------------------------------------------------------------

    def _member_status(self, email: str) -> str | None:
        try:
            member = self.client.lists.get_list_member(
                self.list_id, subscriber_hash(email), fields=["status"]
            )
        except ApiClientError as error:
            if error.status_code == 404:
                return None
            doing = f"looking up {email}"
            raise self._translate(doing, error.text, error.status_code, False) from None
        return member.get("status") if isinstance(member, dict) else None

    def add_contact(self, contact: Contact) -> ContactResult:
        email = contact.email.strip()
        existing = self._member_status(email)
        wanted = "pending" if contact.subscribe else NO_CONSENT_STATUS
        body: dict = {"email_address": email, "status_if_new": wanted}
        if contact.subscribe and existing in _MAY_ASK_AGAIN:
            body["status"] = "pending"
        if contact.name and (existing is None or contact.confirmed):
            first, _, last = contact.name.strip().partition(" ")
            body["merge_fields"] = {"FNAME": first, "LNAME": last}
        member = self._call(
            f"adding {email} to the list",
            self.client.lists.set_list_member,
            self.list_id,
            subscriber_hash(email),
            body,
            # A list may require merge fields we do not ask for (an address, a birthday).
            # The client would write Python's True as "True"; the API expects "true".
            skip_merge_validation="true",
            writes=True,
        )
        if contact.tags:
            self.tag(email, contact.tags)
        status = member.get("status", wanted) if isinstance(member, dict) else wanted
        return ContactResult(email=email, status=status, created=existing is None)

    def tag(self, email: str, tags: Sequence[str]) -> None:
        self._set_tags(email, tags, "active", f"tagging {email}")

    def untag(self, email: str, tags: Sequence[str]) -> None:
        self._set_tags(email, tags, "inactive", f"removing tags from {email}")

    def find_contact(self, email: str) -> ContactRecord | None:
        try:
            member = self.client.lists.get_list_member(
                self.list_id,
                subscriber_hash(email),
                fields=["email_address", "status", "tags", "merge_fields"],
            )
        except ApiClientError as error:
            if error.status_code == 404:
                return None
            doing = f"looking up {email}"
            raise self._translate(doing, error.text, error.status_code, False) from None
        if not isinstance(member, dict):
            return None
        merge = member.get("merge_fields") or {}
        name = " ".join(str(merge.get(key, "")) for key in ("FNAME", "LNAME")).strip()
        tags = tuple(
            tag.get("name", "") if isinstance(tag, dict) else str(tag)
            for tag in member.get("tags") or []
        )
        return ContactRecord(
            email=member.get("email_address", email),
            status=member.get("status", ""),
            tags=tags,
            name=name,
        )

    def forget_contact(self, email: str) -> bool:
        try:
            answer = self.client.lists.delete_list_member_permanent(
                self.list_id, subscriber_hash(email)
            )
        except ApiClientError as error:
            if error.status_code == 404:
                return False
            doing = f"permanently deleting {email} from the list"
            raise self._translate(doing, error.text, error.status_code, True) from None
        if isinstance(answer, requests.Response) and not answer.ok:
            if answer.status_code == 404:
                return False
            doing = f"permanently deleting {email} from the list"
            raise self._translate(doing, answer.text, answer.status_code, True)
        return True

    def _set_tags(self, email: str, tags: Sequence[str], status: str, doing: str) -> None:
        # One endpoint both ways: "active" applies a tag, "inactive" removes it.
        body = {"tags": [{"name": tag, "status": status} for tag in tags]}
        self._call(
            doing,
            self.client.lists.update_list_member_tags,
            self.list_id,
            subscriber_hash(email),
            body,
            writes=True,
        )

    # -- campaigns ---------------------------------------------------------------------------

    @staticmethod
    def _status(campaign: dict) -> CampaignStatus:
        send_time = campaign.get("send_time") or None
        return CampaignStatus(
            id=campaign["id"],
            title=(campaign.get("settings") or {}).get("title", ""),
            status=campaign.get("status", ""),
            send_time=dt.datetime.fromisoformat(send_time) if send_time else None,
            emails_sent=campaign.get("emails_sent"),
        )

    def find_campaign(self, month: str) -> CampaignStatus | None:
        title = campaign_title(month)
        fields = ["total_items", *(f"campaigns.{name}" for name in CAMPAIGN_FIELDS)]
        offset = 0
        while True:
            page = self._call(
                f"looking for the campaign '{title}'",
                self.client.campaigns.list,
                list_id=self.list_id,
                fields=fields,
                count=PAGE_SIZE,
                offset=offset,
            )
            campaigns = page.get("campaigns") or []
            for campaign in campaigns:
                if (campaign.get("settings") or {}).get("title") == title:
                    return self._status(campaign)
            offset += len(campaigns)
            if not campaigns or offset >= page.get("total_items", 0):
                return None

    def campaign_status(self, campaign_id: str) -> CampaignStatus:
        campaign = self._call(
            f"reading the status of campaign {campaign_id}",
            self.client.campaigns.get,
            campaign_id,
            fields=CAMPAIGN_FIELDS,
        )
        return self._status(campaign)

    def save_settings(self, issue: BuiltIssue, sender: Sender, campaign_id: str | None) -> str:
        settings = {
            "subject_line": issue.subject,
            "preview_text": issue.preheader,
            "title": campaign_title(issue.month),
            "from_name": sender.from_name,
            "reply_to": sender.reply_to,
        }
        if campaign_id is None:
            created = self._call(
                f"creating the campaign '{campaign_title(issue.month)}'",
                self.client.campaigns.create,
                {"type": "regular", "recipients": {"list_id": self.list_id}, "settings": settings},
                writes=True,
            )
            return created["id"]
        self._call(
            f"updating the settings of campaign {campaign_id}",
            self.client.campaigns.update,
            campaign_id,
            {"settings": settings},
            writes=True,
        )
        return campaign_id

    def set_content(self, campaign_id: str, issue: BuiltIssue) -> None:
        self._call(
            f"putting the content of campaign {campaign_id}",
            self.client.campaigns.set_content,
            campaign_id,
            {"html": issue.html, "plain_text": issue.text},
            writes=True,
        )

    def send_test(self, campaign_id: str, emails: Sequence[str]) -> None:
        self._call(
            f"sending a test of campaign {campaign_id}",
            self.client.campaigns.send_test_email,
            campaign_id,
            {"test_emails": list(emails), "send_type": "html"},
            writes=True,
        )

    def checklist(self, campaign_id: str) -> Readiness:
        answer = self._call(
            f"reading the send checklist of campaign {campaign_id}",
            self.client.campaigns.get_send_checklist,
            campaign_id,
        )
        items = tuple(
            ChecklistItem(
                type=item.get("type", ""),
                heading=item.get("heading", ""),
                details=item.get("details", ""),
            )
            for item in answer.get("items") or []
        )
        return Readiness(is_ready=bool(answer.get("is_ready")), items=items)

    def schedule(self, campaign_id: str, when: dt.datetime) -> None:
        self._call(
            f"scheduling campaign {campaign_id}",
            self.client.campaigns.schedule,
            campaign_id,
            {"schedule_time": when.astimezone(dt.UTC).isoformat()},
            writes=True,
        )

    def send(self, campaign_id: str) -> None:
        self._call(
            f"sending campaign {campaign_id}",
            self.client.campaigns.send,
            campaign_id,
            writes=True,
        )
