"""The outbox backend: contacts in JSON, campaigns as .eml files a mail program can open."""

import datetime as dt
import email.parser
import email.policy
import json

import pytest

from letterpress.mailing import (
    Contact,
    MailingError,
    OutboxBackend,
    Sender,
    backend_from_env,
)
from letterpress.newsletter.built_issue import BuiltIssue

SENDER = Sender("Miriam Okafor", "miriam@letterpress.example")
NOW = dt.datetime(2026, 11, 26, 17, 5, tzinfo=dt.UTC)


def make_issue(html_note="A note on quiet quarters.", month="2026-11") -> BuiltIssue:
    html = (
        "<!doctype html><html><body><p>Hello *|FNAME|*,</p>"
        f'<p>{html_note}</p><p><a href="*|UNSUB|*">Unsubscribe</a></p></body></html>'
    )
    text = f"Hello *|FNAME|*,\n\n{html_note}\n\nUnsubscribe: *|UNSUB|*\n"
    return BuiltIssue(
        month=month,
        subject="November: the quiet quarter",
        preheader="Four essays and one workshop",
        html=html,
        text=text,
    )


@pytest.fixture
def outbox(tmp_path):
    return OutboxBackend(tmp_path / "outbox", sender=SENDER, now=lambda: NOW)


def parse(path):
    return email.parser.BytesParser(policy=email.policy.default).parsebytes(path.read_bytes())


def test_backend_from_env_is_the_outbox_without_mailchimp_keys(tmp_path):
    backend = backend_from_env({"MAILCHIMP_API_KEY": "abc-us1"}, tmp_path)
    assert isinstance(backend, OutboxBackend)
    assert backend.root == tmp_path / "outbox"


def test_subscribing_makes_a_pending_contact_and_again_is_harmless(outbox):
    first = outbox.add_contact(Contact("Ada@Example.org", "Ada", subscribe=True))
    again = outbox.add_contact(Contact("ada@example.org", subscribe=True))
    assert (first.status, first.created) == ("pending", True)
    assert (again.status, again.created) == ("pending", False)
    contacts = json.loads(outbox.contacts_path.read_text())
    assert contacts == {
        "ada@example.org": {
            "email": "Ada@Example.org",
            "name": "Ada",
            "status": "pending",
            "tags": [],
        }
    }
    assert [entry["op"] for entry in outbox.log_entries()] == ["add_contact", "add_contact"]


def test_a_contact_without_consent_is_transactional_and_keeps_its_tags(outbox):
    outbox.add_contact(Contact("bo@example.org", tags=("workshop:listening",)))
    outbox.tag("bo@example.org", ["waitlist"])
    result = outbox.add_contact(Contact("bo@example.org", subscribe=True))
    record = outbox.contacts()["bo@example.org"]
    assert record["tags"] == ["waitlist", "workshop:listening"]
    assert result.status == "pending"


def test_untagging_removes_only_the_named_tags(outbox):
    outbox.add_contact(Contact("cy@example.org", tags=("workshop:listening", "waitlist")))
    outbox.untag("cy@example.org", ["waitlist"])
    assert outbox.contacts()["cy@example.org"]["tags"] == ["workshop:listening"]
    assert outbox.log_entries()[-1]["op"] == "untag"
    with pytest.raises(MailingError, match=r"nobody@example\.org"):
        outbox.untag("nobody@example.org", ["waitlist"])


def test_tagging_an_unknown_contact_names_it(outbox):
    with pytest.raises(MailingError, match=r"nobody@example\.org"):
        outbox.tag("nobody@example.org", ["x"])


def test_the_draft_is_a_multipart_alternative_eml_with_both_parts(outbox):
    issue = make_issue()
    campaign = outbox.save_settings(issue, SENDER, None)
    outbox.set_content(campaign, issue)
    message = parse(outbox.root / "2026-11" / "draft.eml")
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "November: the quiet quarter"
    assert message["From"] == "Miriam Okafor <miriam@letterpress.example>"
    assert message["To"] == "Sam Reader <sam.reader@example.com>"
    assert message["Date"] == "Thu, 26 Nov 2026 17:05:00 +0000"
    assert message["Message-ID"].endswith("@letterpress.example>")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hello Sam," in text and "Hello Sam," in html
    assert "*|" not in text + html
    assert "https://example.com/unsubscribe?sample=1" in html


def test_the_campaign_is_found_by_its_title_and_updated_in_place(outbox):
    first = outbox.save_settings(make_issue(), SENDER, None)
    found = outbox.find_campaign("2026-11")
    second = outbox.save_settings(make_issue("Changed."), SENDER, found.id)
    assert first == second == found.id
    assert outbox.campaign_status(first).title == "Newsletter 2026-11"
    assert outbox.find_campaign("2026-10") is None


def test_a_test_send_is_addressed_to_the_test_recipients(outbox):
    issue = make_issue()
    campaign = outbox.save_settings(issue, SENDER, None)
    outbox.set_content(campaign, issue)
    outbox.send_test(campaign, ["miriam@letterpress.example", "ed@example.org"])
    message = parse(outbox.root / "2026-11" / "test-1.eml")
    assert message["To"] == "miriam@letterpress.example, ed@example.org"
    assert message["X-Letterpress-Test"] == "yes"


def test_schedule_then_send_once_and_never_twice(outbox):
    issue = make_issue()
    campaign = outbox.save_settings(issue, SENDER, None)
    outbox.set_content(campaign, issue)
    assert outbox.checklist(campaign).is_ready
    with pytest.raises(MailingError, match="quarter hour"):
        outbox.schedule(campaign, dt.datetime(2026, 12, 1, 17, 7, tzinfo=dt.UTC))
    outbox.schedule(campaign, dt.datetime(2026, 12, 1, 17, 15, tzinfo=dt.UTC))
    assert outbox.campaign_status(campaign).status == "schedule"
    outbox.send(campaign)
    assert outbox.campaign_status(campaign).status == "sent"
    assert (outbox.root / "2026-11" / "sent.eml").exists()
    with pytest.raises(MailingError, match="already sent"):
        outbox.send(campaign)
    assert not outbox.checklist(campaign).is_ready


def test_a_campaign_without_content_is_not_ready(outbox):
    campaign = outbox.save_settings(make_issue(), SENDER, None)
    readiness = outbox.checklist(campaign)
    assert not readiness.is_ready
    assert [item.heading for item in readiness.items if item.type == "error"] == ["Content"]
