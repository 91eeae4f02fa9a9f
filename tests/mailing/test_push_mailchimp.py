"""Pushing an issue to Mailchimp: the real mailchimp_marketing client against the local Mailchimp,
every request checked against Mailchimp's spec."""

import datetime as dt
import json

import pytest
from mailing_helpers import write_issue

from letterpress.mailing import Contact, MailingError, Sender, UncertainOutcome, backend_from_env
from letterpress.mailing.ledger import Ledger
from letterpress.mailing.push import NotReady, Pusher, PushRequest
from letterpress.newsletter.built_issue import load_issue
from tests.support import free_port

SENDER = Sender("Miriam Okafor", "miriam@letterpress.example")
NOW = dt.datetime(2026, 11, 26, 18, 0, tzinfo=dt.UTC)


def pusher_for(mailchimp, ledger_path, sender=SENDER, said=None, preflight=None, env=None):
    backend = backend_from_env({**mailchimp.env, **(env or {})}, sender=sender)
    return Pusher(
        backend=backend,
        ledger=Ledger(ledger_path),
        sender=sender,
        now=lambda: NOW,
        say=(said.append if said is not None else lambda line: None),
        preflight=preflight,
    )


def push(mailchimp, build, ledger_path, request=None, **options):
    issue = load_issue(build, "2026-11")
    return pusher_for(mailchimp, ledger_path, **options).run(
        issue, request or PushRequest("2026-11")
    )


def ledger_entry(path, month="2026-11"):
    return json.loads(path.read_text())[month]


def test_the_first_push_creates_one_regular_campaign_with_settings_and_content(
    mailchimp, build, tmp_path
):
    result = push(mailchimp, build, tmp_path / "ledger.json")
    [campaign] = mailchimp.campaigns.values()
    assert campaign["type"] == "regular"
    assert campaign["recipients"]["list_id"] == mailchimp.list_id
    assert campaign["settings"] == {
        "title": "Newsletter 2026-11",
        "subject_line": "November: slack, receipts and the first ten",
        "preview_text": "Four essays and one workshop",
        "from_name": "Miriam Okafor",
        "reply_to": "miriam@letterpress.example",
    }
    assert "Four essays on slack." in campaign["content"]["html"]
    assert campaign["content"]["plain_text"].startswith("Hello *|FNAME|*,")
    entry = ledger_entry(tmp_path / "ledger.json")
    assert (entry["campaign_id"], entry["state"]) == (campaign["id"], "draft")
    assert result.wrote_draft
    assert [(r.method, r.path.split("/")[1]) for r in mailchimp.writes()] == [
        ("POST", "campaigns"),
        ("PUT", "campaigns"),
    ]


def test_a_second_push_with_the_same_content_writes_nothing(mailchimp, build, tmp_path):
    push(mailchimp, build, tmp_path / "ledger.json")
    writes_before = len(mailchimp.writes())
    said = []
    result = push(mailchimp, build, tmp_path / "ledger.json", said=said)
    assert len(mailchimp.writes()) == writes_before
    assert not result.wrote_draft
    assert any("nothing to write" in line for line in said)


def test_changed_content_updates_the_same_campaign(mailchimp, build, tmp_path):
    push(mailchimp, build, tmp_path / "ledger.json")
    write_issue(build, note="A fifth essay, on receipts.", subject="November, revised")
    push(mailchimp, build, tmp_path / "ledger.json")
    [campaign] = mailchimp.campaigns.values()
    assert campaign["settings"]["subject_line"] == "November, revised"
    assert "A fifth essay, on receipts." in campaign["content"]["html"]
    assert [r.method for r in mailchimp.writes()] == ["POST", "PUT", "PATCH", "PUT"]


def test_without_a_ledger_the_campaign_is_found_by_its_title(mailchimp, build, tmp_path):
    push(mailchimp, build, tmp_path / "laptop-ledger.json")
    write_issue(build, note="Edited on another machine.")
    push(mailchimp, build, tmp_path / "ci-ledger.json")
    assert len(mailchimp.campaigns) == 1
    listing = [r for r in mailchimp.requests if r.method == "GET" and r.path == "/campaigns"]
    assert ("list_id", mailchimp.list_id) in listing[-1].query


def test_a_test_email_goes_as_html_to_the_given_addresses(mailchimp, build, tmp_path):
    request = PushRequest("2026-11", test_to=("miriam@letterpress.example", "ed@example.org"))
    push(mailchimp, build, tmp_path / "ledger.json", request)
    [sent] = mailchimp.tests_sent
    assert sent["test_emails"] == ["miriam@letterpress.example", "ed@example.org"]
    assert sent["send_type"] == "html"
    assert ledger_entry(tmp_path / "ledger.json")["tests"] == 1
    assert "ed@example.org" not in (tmp_path / "ledger.json").read_text()


def test_scheduling_records_the_utc_time(mailchimp, build, tmp_path):
    when = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)
    push(mailchimp, build, tmp_path / "ledger.json", PushRequest("2026-11", schedule_at=when))
    [campaign] = mailchimp.campaigns.values()
    assert campaign["status"] == "schedule"
    assert campaign["send_time"] == "2026-12-01T17:00:00+00:00"
    entry = ledger_entry(tmp_path / "ledger.json")
    assert (entry["state"], entry["scheduled_for"]) == ("scheduled", "2026-12-01T17:00:00+00:00")


def test_send_stops_when_mailchimps_checklist_is_not_ready(mailchimp, build, tmp_path):
    mailchimp.checklist_problems.append(
        {"type": "error", "id": 1, "heading": "Sender domain", "details": "Verify your domain."}
    )
    with pytest.raises(NotReady) as refused:
        push(mailchimp, build, tmp_path / "ledger.json", PushRequest("2026-11", send=True))
    assert [(i.heading, i.details) for i in refused.value.items] == [
        ("Sender domain", "Verify your domain.")
    ]
    assert not any(r.path.endswith("/actions/send") for r in mailchimp.requests)
    assert ledger_entry(tmp_path / "ledger.json")["state"] == "draft"


def test_send_stops_when_the_newsletter_check_finds_errors(mailchimp, build, tmp_path):
    def preflight(issue):
        return ["error: [links] a link to /essays/missing/ has no page"]

    with pytest.raises(NotReady, match="not ready"):
        push(
            mailchimp,
            build,
            tmp_path / "ledger.json",
            PushRequest("2026-11", send=True),
            preflight=preflight,
        )
    assert not any(r.path.endswith("/actions/send") for r in mailchimp.requests)


def test_a_second_send_is_refused_without_asking_mailchimp(mailchimp, build, tmp_path):
    push(mailchimp, build, tmp_path / "ledger.json", PushRequest("2026-11", send=True))
    [campaign] = mailchimp.campaigns.values()
    assert campaign["status"] == "sent"
    seen = len(mailchimp.requests)
    with pytest.raises(MailingError, match="never sends an issue twice"):
        push(mailchimp, build, tmp_path / "ledger.json", PushRequest("2026-11", send=True))
    assert len(mailchimp.requests) == seen
    assert ledger_entry(tmp_path / "ledger.json")["state"] == "sent"


def test_a_500_on_set_content_leaves_the_ledger_saying_content_stale(mailchimp, build, tmp_path):
    mailchimp.fail("PUT", "/campaigns/{campaign_id}/content", status=500)
    with pytest.raises(UncertainOutcome, match="content-stale"):
        push(mailchimp, build, tmp_path / "ledger.json")
    entry = ledger_entry(tmp_path / "ledger.json")
    assert entry["state"] == "content-stale"
    assert entry["content_hash"] is None
    # The next push puts the content, into the same campaign.
    push(mailchimp, build, tmp_path / "ledger.json")
    [campaign] = mailchimp.campaigns.values()
    assert campaign["content"]["html"]
    assert ledger_entry(tmp_path / "ledger.json")["state"] == "draft"


def test_a_timeout_on_send_reads_the_status_instead_of_sending_again(mailchimp, build, tmp_path):
    push(mailchimp, build, tmp_path / "ledger.json")
    # Mailchimp sends, but its answer arrives after the client (timeout 1 s) has given up.
    mailchimp.fail("POST", "/campaigns/{campaign_id}/actions/send", delay=3)
    said = []
    push(
        mailchimp,
        build,
        tmp_path / "ledger.json",
        PushRequest("2026-11", send=True),
        said=said,
        env={"MAILCHIMP_TIMEOUT": "1"},
    )
    sends = [r for r in mailchimp.requests if r.path.endswith("/actions/send")]
    assert len(sends) == 1
    after = mailchimp.requests[mailchimp.requests.index(sends[0]) + 1 :]
    assert [(r.method, r.path.count("/")) for r in after] == [("GET", 2)]
    assert ledger_entry(tmp_path / "ledger.json")["state"] == "sent"
    assert any("did happen" in line for line in said)


def test_a_send_that_failed_with_500_is_reported_not_retried(mailchimp, build, tmp_path):
    push(mailchimp, build, tmp_path / "ledger.json")
    mailchimp.fail("POST", "/campaigns/{campaign_id}/actions/send", status=503)
    with pytest.raises(MailingError, match="did not happen"):
        push(mailchimp, build, tmp_path / "ledger.json", PushRequest("2026-11", send=True))
    assert len([r for r in mailchimp.requests if r.path.endswith("/actions/send")]) == 1
    assert ledger_entry(tmp_path / "ledger.json")["state"] == "draft"


def test_a_rejected_key_says_so(mailchimp, build, tmp_path):
    env = {**mailchimp.env, "MAILCHIMP_API_KEY": "ffffffffffffffffffffffffffffffff-us21"}
    backend = backend_from_env(env, sender=SENDER)
    with pytest.raises(MailingError) as error:
        backend.find_campaign("2026-11")
    message = str(error.value)
    assert "rejected the API key (401 API Key Invalid)" in message
    assert "MAILCHIMP_API_KEY" in message
    assert "ffffffffffffffff" not in message


def test_a_400_shows_title_detail_and_field_errors(mailchimp, build, tmp_path):
    push(mailchimp, build, tmp_path / "ledger.json")
    write_issue(build, note="Changed.")
    with pytest.raises(MailingError) as error:
        push(mailchimp, build, tmp_path / "ledger.json", sender=Sender("Miriam", "not-an-address"))
    message = str(error.value)
    assert "Mailchimp refused updating the settings of campaign" in message
    assert "(400 Invalid Resource)" in message
    assert "settings.reply_to: This value should be a valid email." in message


def test_an_unreachable_mailchimp_says_nothing_was_changed(mailchimp, build, tmp_path):
    env = {**mailchimp.env, "MAILCHIMP_API_BASE": f"http://127.0.0.1:{free_port()}/3.0"}
    backend = backend_from_env(env, sender=SENDER)
    with pytest.raises(MailingError, match="nothing was changed") as error:
        backend.find_campaign("2026-11")
    assert "Could not reach Mailchimp at http://127.0.0.1:" in str(error.value)


def test_a_campaign_deleted_in_mailchimp_is_made_again(mailchimp, build, tmp_path):
    push(mailchimp, build, tmp_path / "ledger.json")
    [old] = list(mailchimp.campaigns)
    del mailchimp.campaigns[old]
    said = []
    push(mailchimp, build, tmp_path / "ledger.json", said=said)
    [new] = list(mailchimp.campaigns)
    assert new != old
    assert ledger_entry(tmp_path / "ledger.json")["campaign_id"] == new
    assert any("no longer exists" in line for line in said)


def test_checklist_warnings_are_shown_even_when_ready(mailchimp, build, tmp_path):
    mailchimp.checklist_problems.append(
        {"type": "warning", "id": 3, "heading": "Preview text", "details": "Rather short."}
    )
    said = []
    when = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)
    push(
        mailchimp,
        build,
        tmp_path / "ledger.json",
        PushRequest("2026-11", schedule_at=when),
        said=said,
    )
    assert "Mailchimp notes (warning): Preview text: Rather short." in said


def test_a_contact_without_consent_is_transactional_and_tagged(mailchimp):
    backend = backend_from_env(mailchimp.env, sender=SENDER)
    result = backend.add_contact(
        Contact("Ines@Example.org", "Ines Ortega", tags=("workshop:listening", "waitlist"))
    )
    assert (result.status, result.created) == ("transactional", True)
    [member] = mailchimp.members.values()
    assert member["status"] == "transactional"
    assert member["tags"] == ["workshop:listening", "waitlist"]
    again = backend.add_contact(Contact("ines@example.org", tags=("workshop:feedback",)))
    assert (again.status, again.created) == ("transactional", False)
    assert member["tags"] == ["workshop:listening", "waitlist", "workshop:feedback"]
    backend.untag("ines@example.org", ["waitlist"])
    assert member["tags"] == ["workshop:listening", "workshop:feedback"]
