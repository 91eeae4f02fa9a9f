"""POST /comments over real HTTP: every check, the answers for forms and scripts, storage."""

import asyncio
import json
import uuid

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from letterpress.manifest import EssayEntry
from tests.support import SAMPLE_ESSAYS, SITE_URL, run_async, write_test_manifest

JSON = {"Accept": "application/json"}
PENDING_PAGE = f"{SITE_URL}/essays/2026/09/open-essay/#comment-pending"


def fields(**changes):
    """A valid comment, unique on each call so tests never collide as re-posts."""
    base = {
        "essay": "open-essay",
        "name": "Ada Reader",
        "email": "ada@example.org",
        "url": "",
        "body": f"A thoughtful comment {uuid.uuid4().hex[:8]}.",
    }
    return {k: v for k, v in {**base, **changes}.items() if v is not None}


def post(inbox, data, headers=JSON, **kwargs):
    return httpx.post(inbox.url + "/comments", data=data, headers=headers, **kwargs)


def test_a_form_post_is_stored_pending_and_redirected_to_the_notice(inbox):
    data = fields(url="ada.example")
    answer = post(inbox, data, headers={})
    assert answer.status_code == 303
    assert answer.headers["location"] == PENDING_PAGE
    row = inbox.rows("SELECT * FROM comments WHERE body = ?", (data["body"],))[0]
    assert row["status"] == "pending"
    assert (row["essay"], row["author"], row["email"]) == (
        "open-essay",
        "Ada Reader",
        data["email"],
    )
    assert row["url"] == "https://ada.example"
    assert row["client"] == "127.0.0.0/24"


def test_a_script_gets_json_201_with_the_id(inbox):
    answer = post(inbox, fields())
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "pending" and "duplicate" not in body
    assert inbox.rows("SELECT status FROM comments WHERE id = ?", (body["id"],))[0][0] == "pending"


def test_a_json_body_is_accepted_too(inbox):
    data = fields()
    answer = httpx.post(inbox.url + "/comments", json=data, headers=JSON)
    assert answer.status_code == 201
    assert inbox.rows("SELECT COUNT(*) FROM comments WHERE body = ?", (data["body"],))[0][0] == 1


def test_an_identical_repost_is_ignored_and_answered_as_a_new_comment(inbox):
    data = fields()
    first = post(inbox, data).json()
    again = post(inbox, data)
    assert again.status_code == 201
    assert again.json().keys() == first.keys() and again.json()["id"] != first["id"]
    assert post(inbox, data, headers={}).headers["location"] == PENDING_PAGE
    assert inbox.rows("SELECT COUNT(*) FROM comments WHERE body = ?", (data["body"],))[0][0] == 1


REFUSALS = [
    ({"name": ""}, 400, "name", "Name is required"),
    ({"email": None}, 400, "email", "E-mail is required"),
    ({"body": "   "}, 400, "body", "Comment is required"),
    ({"email": "not-an-address"}, 400, "email", "is not an e-mail address"),
    ({"email": "two@@example.org"}, 400, "email", "is not an e-mail address"),
    ({"name": "n" * 101}, 400, "name", "the limit is 100"),
    ({"url": "https://example.org/" + "u" * 181}, 400, "url", "the limit is 200"),
    ({"body": "b" * 10_001}, 400, "body", "10,001 characters long; the limit is 10,000"),
    ({"url": "javascript:alert(1)"}, 400, "url", "is not a web address"),
    ({"homepage": "https://spam.example"}, 400, "homepage", "only robots"),
    ({"essay": "no-such-essay"}, 400, "essay", "no essay “no-such-essay”"),
    ({"essay": None}, 400, "essay", "does not say which essay"),
    ({"essay": "closed-essay"}, 403, "essay", "Comments are closed on “A Closed Essay”"),
    ({"parent": "c-404"}, 400, "parent", "does not exist on this essay"),
    ({"parent": "bad id!"}, 400, "parent", "does not exist"),
]


@pytest.mark.parametrize(("changes", "status", "field", "message"), REFUSALS)
def test_each_check_refuses_with_a_message_naming_the_field(inbox, changes, status, field, message):
    data = fields(**changes)
    answer = post(inbox, data)
    assert answer.status_code == status
    assert answer.json()["field"] == field
    assert message in answer.json()["error"]
    page = post(inbox, data, headers={})
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")
    assert f"<strong>{field}</strong>" in page.text and message.split("“")[0] in page.text
    assert inbox.rows("SELECT COUNT(*) FROM comments WHERE body = ?", (data["body"],))[0][0] == 0


def test_a_reply_may_answer_a_published_or_a_waiting_comment(inbox):
    assert post(inbox, fields(parent="c-1")).status_code == 201  # in the manifest
    waiting = post(inbox, fields()).json()["id"]
    assert post(inbox, fields(parent=waiting)).status_code == 201


def test_a_body_over_160_kilobytes_is_refused_before_it_is_read(inbox):
    answer = post(inbox, fields(body="x" * 170_000))
    assert answer.status_code == 413


def test_hostile_values_are_stored_literally_without_invisible_characters(inbox):
    hostile = "Robert'); DROP TABLE comments;-- <script>alert(1)</script>"
    data = fields(name="Bobby <b>Tables</b>'--", body=hostile + " \u202e")
    assert post(inbox, data).status_code == 201
    row = inbox.rows("SELECT author, body FROM comments WHERE body = ?", (hostile,))[0]
    assert row["author"] == "Bobby <b>Tables</b>'--"
    assert inbox.rows("SELECT COUNT(*) FROM comments")[0][0] > 1


def test_the_client_network_is_kept_never_the_address(inbox):
    data = fields()
    post(inbox, data, headers={**JSON, "X-Forwarded-For": "203.0.113.77"})
    row = inbox.rows("SELECT client FROM comments WHERE body = ?", (data["body"],))[0]
    assert row["client"] == "203.0.113.0/24"
    assert b"203.0.113.77" not in inbox.db_path.read_bytes()


def test_a_rebuilt_manifest_is_picked_up_without_a_restart(inbox):
    new_essay = EssayEntry("brand-new", "Brand New", "essays/2026/12/brand-new/", True, ())
    assert post(inbox, fields(essay="brand-new")).status_code == 400
    write_test_manifest(inbox.manifest_path.parent, (*SAMPLE_ESSAYS, new_essay))
    answer = post(inbox, fields(essay="brand-new"), headers={})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{SITE_URL}/essays/2026/12/brand-new/#comment-pending"


def test_the_rate_limit_counts_each_network_over_a_window(start_inbox):
    limited = start_inbox(env={"LETTERPRESS_COMMENT_RATE": "3"})
    for _ in range(3):
        assert post(limited, fields()).status_code == 201
    refused = post(limited, fields())
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "60"
    assert "the limit is 3 every 60 seconds" in refused.json()["error"]
    elsewhere = post(limited, fields(), headers={**JSON, "X-Forwarded-For": "198.51.100.9"})
    assert elsewhere.status_code == 201


def test_the_rate_limit_holds_when_a_burst_arrives_at_once(start_inbox):
    # Comments that arrive together are written together; the limit is checked inside that write.
    limited = start_inbox(env={"LETTERPRESS_COMMENT_RATE": "5"})

    async def burst():
        async with httpx.AsyncClient(base_url=limited.url, trust_env=False) as client:
            return await asyncio.gather(
                *(client.post("/comments", data=fields(), headers=JSON) for _ in range(30))
            )

    statuses = sorted(answer.status_code for answer in run_async(burst()))
    assert statuses == [201] * 5 + [429] * 25
    assert limited.rows("SELECT COUNT(*) FROM comments")[0][0] == 5


def test_akismet_spam_is_stored_as_spam_and_answered_like_any_comment(start_inbox):
    received = []

    def comment_check(request):
        received.append(request.form.to_dict())
        spam = "cheap pills" in request.form["comment_content"]
        return Response("true" if spam else "false", content_type="text/plain")

    with HTTPServer(host="127.0.0.1", port=0) as fake:
        fake.expect_request("/1.1/comment-check", method="POST").respond_with_handler(comment_check)
        checked = start_inbox(
            env={"AKISMET_KEY": "test-akismet-key", "AKISMET_API_BASE": fake.url_for("/1.1")}
        )
        ham, spam = fields(), fields(body="Buy cheap pills now")
        assert post(checked, ham).json()["status"] == "pending"
        spam_answer = post(checked, spam, headers={"X-Forwarded-For": "192.0.2.44"})
        assert spam_answer.status_code == 303
    statuses = dict(checked.rows("SELECT body, status FROM comments"))
    assert statuses == {ham["body"]: "pending", spam["body"]: "spam"}
    assert received[0]["api_key"] == "test-akismet-key"
    assert received[0]["comment_author_email"] == "ada@example.org"
    assert received[0]["permalink"] == f"{SITE_URL}/essays/2026/09/open-essay/"
    assert received[1]["user_ip"] == "192.0.2.44"
    assert received[1]["comment_type"] == "comment"


def test_an_unreachable_akismet_leaves_the_comment_pending(start_inbox):
    from tests.support import free_port

    checked = start_inbox(
        env={"AKISMET_KEY": "k", "AKISMET_API_BASE": f"http://127.0.0.1:{free_port()}/1.1"}
    )
    answer = post(checked, fields())
    assert answer.status_code == 201
    assert checked.rows("SELECT status FROM comments")[0][0] == "pending"


def test_json_errors_are_json(inbox):
    answer = httpx.post(
        inbox.url + "/comments",
        content=b"{not json",
        headers={**JSON, "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert json.loads(answer.text)["error"] == "The request body is not valid JSON."
