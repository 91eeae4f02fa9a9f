"""The moderation API over real HTTP: the bearer token, the queue and the three decisions."""

import httpx
import pytest

from tests.support import ADMIN_TOKEN

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Accept": "application/json"}


def send(inbox, body, parent=None):
    data = {"essay": "open-essay", "name": "Reader", "email": "r@example.org", "body": body}
    if parent:
        data["parent"] = parent
    answer = httpx.post(inbox.url + "/comments", data=data, headers={"Accept": "application/json"})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def decide(inbox, comment_id, decision, headers=ADMIN):
    return httpx.post(f"{inbox.url}/comments/{comment_id}/{decision}", headers=headers)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Bearer {ADMIN_TOKEN}x"},
        {"Authorization": f"Basic {ADMIN_TOKEN}"},
        {"Authorization": ADMIN_TOKEN},
    ],
)
def test_the_queue_and_decisions_need_the_admin_token(inbox, headers):
    queue = httpx.get(inbox.url + "/comments/pending", headers=headers)
    assert queue.status_code == 401
    assert queue.headers["www-authenticate"] == "Bearer"
    comment_id = send(inbox, f"Needs a token {len(headers)} {headers}")
    assert decide(inbox, comment_id, "approve", headers).status_code == 401
    status = inbox.rows("SELECT status FROM comments WHERE id = ?", (comment_id,))[0][0]
    assert status == "pending"


def test_the_api_is_off_without_a_configured_token(start_inbox):
    tokenless = start_inbox(env={"LETTERPRESS_ADMIN_TOKEN": ""})
    answer = httpx.get(
        tokenless.url + "/comments/pending", headers={"Authorization": "Bearer anything"}
    )
    assert answer.status_code == 403
    assert "LETTERPRESS_ADMIN_TOKEN" in answer.text


def test_the_queue_lists_pending_comments_oldest_first_with_the_email(inbox):
    first, second = send(inbox, "Queue one"), send(inbox, "Queue two")
    queue = httpx.get(inbox.url + "/comments/pending", headers=ADMIN).json()["comments"]
    ids = [c["id"] for c in queue]
    assert ids.index(first) < ids.index(second)
    entry = next(c for c in queue if c["id"] == first)
    assert entry["email"] == "r@example.org" and entry["body"] == "Queue one"
    assert "client" not in entry


def test_approve_reject_and_spam_change_the_status(inbox):
    for decision, status in [("approve", "approved"), ("reject", "rejected"), ("spam", "spam")]:
        comment_id = send(inbox, f"To be {status}")
        answer = decide(inbox, comment_id, decision)
        assert answer.status_code == 200
        assert answer.json()["status"] == status
        assert decide(inbox, comment_id, decision).json()["status"] == status  # a retry is harmless
        queue = httpx.get(inbox.url + "/comments/pending", headers=ADMIN).json()["comments"]
        assert comment_id not in [c["id"] for c in queue]
        spam = httpx.get(inbox.url + "/comments/pending?status=spam", headers=ADMIN).json()
        assert (comment_id in [c["id"] for c in spam["comments"]]) == (status == "spam")


def test_a_reply_waits_until_its_parent_is_approved(inbox):
    parent = send(inbox, "Parent first")
    reply = send(inbox, "Then the reply", parent=parent)
    refused = decide(inbox, reply, "approve")
    assert refused.status_code == 409
    assert f"answers {parent}, which is pending: approve that one first" in refused.json()["error"]
    assert decide(inbox, parent, "approve").status_code == 200
    assert decide(inbox, reply, "approve").json()["status"] == "approved"


def test_unknown_comments_and_decisions_are_404(inbox):
    assert decide(inbox, "20260101-0000-zzzz", "approve").status_code == 404
    comment_id = send(inbox, "Unknown decision")
    answer = decide(inbox, comment_id, "publish")
    assert answer.status_code == 404 and "approve, reject or spam" in answer.json()["error"]
    unknown = httpx.get(inbox.url + "/comments/pending?status=deleted", headers=ADMIN)
    assert unknown.status_code == 400
