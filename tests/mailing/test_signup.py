"""E-mail sign-up through the real inbox over HTTP: a form post becomes a pending member (double
opt-in) on the local Mailchimp, or a pending contact in the outbox."""

import hashlib
import json

import httpx
import pytest
from mailing_helpers import LIST_ID, SITE, start_inbox_process

from letterpress.inbox.errors import TooMany
from letterpress.inbox.schema import open_inbox
from letterpress.inbox.subscribe import record_signup, return_location

FORM = {"email": "Reader@Example.org", "name": "Rosa Reader", "consent": "yes"}


def member_hash(email: str) -> str:
    return hashlib.md5(email.lower().encode()).hexdigest()


@pytest.fixture(scope="module")
def shared_inbox(tmp_path_factory, shared_mailchimp):
    inbox = start_inbox_process(tmp_path_factory.mktemp("signup-inbox"), shared_mailchimp.env)
    yield inbox
    inbox.stop()


@pytest.fixture
def mailchimp_inbox(shared_inbox, mailchimp):
    return shared_inbox


def test_a_new_reader_becomes_a_pending_member(mailchimp_inbox, mailchimp):
    answer = httpx.post(mailchimp_inbox.url + "/subscribe", data=FORM)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{SITE}/subscribe/#subscribed"
    member = mailchimp.members[member_hash("reader@example.org")]
    assert member["status"] == "pending"
    assert member["email_address"] == "Reader@Example.org"
    assert member["merge_fields"] == {"FNAME": "Rosa", "LNAME": "Reader"}
    [put] = [r for r in mailchimp.requests if r.method == "PUT"]
    assert put.path == f"/lists/{LIST_ID}/members/{member_hash('reader@example.org')}"
    assert put.body["status_if_new"] == "pending"


def test_an_existing_member_signing_up_again_is_harmless(mailchimp_inbox, mailchimp):
    key = member_hash("reader@example.org")
    mailchimp.members[key] = {
        "id": key,
        "email_address": "reader@example.org",
        "status": "subscribed",
        "merge_fields": {},
        "tags": ["workshop:listening"],
    }
    answer = httpx.post(mailchimp_inbox.url + "/subscribe", data=FORM)
    assert answer.status_code == 303
    assert mailchimp.members[key]["status"] == "subscribed"
    assert mailchimp.members[key]["tags"] == ["workshop:listening"]
    [put] = [r for r in mailchimp.requests if r.method == "PUT"]
    assert "status" not in put.body


def test_a_workshop_contact_who_now_consents_is_asked_to_confirm(mailchimp_inbox, mailchimp):
    key = member_hash("reader@example.org")
    mailchimp.members[key] = {
        "id": key,
        "email_address": "reader@example.org",
        "status": "transactional",
        "merge_fields": {},
        "tags": [],
    }
    httpx.post(mailchimp_inbox.url + "/subscribe", data=FORM)
    assert mailchimp.members[key]["status"] == "pending"


def test_the_browser_goes_back_to_the_page_it_came_from(mailchimp_inbox):
    page = f"{SITE}/essays/2026/10/slack-is-not-waste/"
    answer = httpx.post(mailchimp_inbox.url + "/subscribe", data=FORM, headers={"Referer": page})
    assert answer.headers["location"] == page + "#subscribed"


def test_the_form_says_which_page_to_return_to(mailchimp_inbox):
    form = {**FORM, "return": "/essays/2026/10/slack-is-not-waste/"}
    answer = httpx.post(mailchimp_inbox.url + "/subscribe", data=form)
    assert answer.headers["location"] == f"{SITE}/essays/2026/10/slack-is-not-waste/#subscribed"


@pytest.mark.parametrize(
    ("page", "referer", "location"),
    [
        ("", "https://evil.example/x", "/subscribe/"),
        ("//evil.example/x", "", "/subscribe/"),
        ("https://evil.example/x", "", "/subscribe/"),
        ("", "", "/subscribe/"),
        ("", f"{SITE}/", "/subscribe/"),
        ("", f"{SITE}/about/?q=1#top", "/about/"),
        ("/about/", "https://evil.example/x", "/about/"),
    ],
)
def test_return_location_never_leaves_the_site(page, referer, location):
    assert return_location(page, referer, SITE) == f"{SITE}{location}#subscribed"


def test_a_script_gets_json_that_does_not_tell_who_is_on_the_list(mailchimp_inbox, mailchimp):
    headers = {"Accept": "application/json"}
    first = httpx.post(mailchimp_inbox.url + "/subscribe", json=FORM, headers=headers)
    again = httpx.post(mailchimp_inbox.url + "/subscribe", json=FORM, headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json() == {"result": "check your inbox"}


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"name": "Rosa", "consent": "yes"}, "email", "give your e-mail address"),
        ({"email": "rosa.example.org", "consent": "yes"}, "email", "does not look like"),
        ({"email": "rosa@example.org", "consent": "yes", "name": "R" * 201}, "name", "too long"),
    ],
)
def test_field_errors_name_the_field(mailchimp_inbox, mailchimp, form, field, words):
    as_json = httpx.post(
        mailchimp_inbox.url + "/subscribe", json=form, headers={"Accept": "application/json"}
    )
    assert as_json.status_code == 400
    assert as_json.json()["field"] == field
    assert words in as_json.json()["error"]
    as_form = httpx.post(mailchimp_inbox.url + "/subscribe", data=form)
    assert as_form.status_code == 400
    assert f"<strong>{field}</strong>" in as_form.text
    assert mailchimp.members == {}


def test_a_robot_filling_the_hidden_field_adds_no_one(mailchimp_inbox, mailchimp):
    answer = httpx.post(
        mailchimp_inbox.url + "/subscribe", data={**FORM, "website": "http://spam.example"}
    )
    assert answer.status_code == 303
    assert mailchimp.members == {}


def test_mailchimp_failing_is_a_503_not_a_false_welcome(mailchimp_inbox, mailchimp):
    mailchimp.fail("PUT", "/lists/{list_id}/members/{subscriber_hash}", status=500)
    answer = httpx.post(mailchimp_inbox.url + "/subscribe", data=FORM)
    assert answer.status_code == 503
    assert "try again later" in answer.text
    assert mailchimp.api_key not in mailchimp_inbox.log()


def test_one_network_cannot_sign_up_strangers_by_the_hundred(tmp_path):
    db = open_inbox(tmp_path / "inbox.sqlite3")
    for second in range(5):
        record_signup(db, "192.0.2.0/24", 1000.0 + second, limit=5)
    with pytest.raises(TooMany) as refused:
        record_signup(db, "192.0.2.0/24", 1010.0, limit=5)
    assert refused.value.retry_after == 600
    record_signup(db, "198.51.100.0/24", 1010.0, limit=5)
    # Ten minutes later the network may sign up again.
    record_signup(db, "192.0.2.0/24", 1000.0 + 601 + 4, limit=5)


def test_without_mailchimp_the_sign_up_lands_in_the_outbox(tmp_path):
    inbox = start_inbox_process(tmp_path, {})
    try:
        answer = httpx.post(inbox.url + "/subscribe", data=FORM)
    finally:
        inbox.stop()
    assert answer.status_code == 303
    contacts = json.loads((tmp_path / "build" / "outbox" / "contacts.json").read_text())
    assert contacts["reader@example.org"]["status"] == "pending"
