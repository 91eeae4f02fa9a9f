"""Retention: after LETTERPRESS_RETENTION_DAYS the inbox deletes rejected and spam comments with
their addresses, every sender network and rate-limit row, and the record of e-mail sent; by
`invoke inbox.prune`, and by itself at start-up (then daily)."""

import os

import httpx
from notify_helpers import ADMIN, approve, post_comment

from tests.support import run_invoke

THEN = "2026-01-05"
LATER = "2026-02-20"  # 46 days on


def decide(inbox, comment_id, decision):
    answer = httpx.post(f"{inbox.url}/comments/{comment_id}/{decision}", headers=ADMIN)
    assert answer.status_code == 200, answer.text


def leave_traces(inbox):
    ids = {
        "kept": post_comment(inbox, "Published.", email="kept@example.org", notify=True),
        "waiting": post_comment(inbox, "Pending.", email="waiting@example.org"),
        "rejected": post_comment(inbox, "No.", email="rejected@example.org", notify=True),
        "spam": post_comment(inbox, "Buy now.", email="spam@example.org"),
    }
    approve(inbox, ids["kept"])
    decide(inbox, ids["rejected"], "reject")
    decide(inbox, ids["spam"], "spam")
    signup = {"email": "signup@example.org", "consent": "yes"}
    httpx.post(inbox.url + "/subscribe", data=signup, headers={"Accept": "application/json"})
    assert inbox.rows("SELECT COUNT(*) FROM sender_events")[0][0] == 1
    return ids


def remaining(inbox):
    rows = inbox.rows("SELECT id, email, client FROM comments ORDER BY created_ts")
    return {row["email"]: row["client"] for row in rows}


def test_inbox_prune_deletes_what_is_older_than_the_retention(start_inbox):
    inbox = start_inbox(env={"LETTERPRESS_TODAY": THEN, "LETTERPRESS_COMMENT_RATE": "0"})
    ids = leave_traces(inbox)
    env = {**os.environ, "LETTERPRESS_INBOX_DB": str(inbox.db_path), "LETTERPRESS_TODAY": THEN}
    soon = run_invoke("inbox.prune", env=env)
    assert soon.returncode == 0, soon.stderr
    assert "comments deleted: 0" in soon.stdout and len(remaining(inbox)) == 4
    later = run_invoke("inbox.prune", env={**env, "LETTERPRESS_TODAY": LATER})
    assert later.returncode == 0, later.stderr
    assert "Deleted what is older than 30 days:" in later.stdout
    assert "comments deleted: 2" in later.stdout
    assert remaining(inbox) == {"kept@example.org": "", "waiting@example.org": ""}
    assert [r[0] for r in inbox.rows("SELECT comment_id FROM reply_optins")] == [ids["kept"]]
    assert inbox.rows("SELECT COUNT(*) FROM sender_events")[0][0] == 0
    longer = {**env, "LETTERPRESS_TODAY": LATER, "LETTERPRESS_RETENTION_DAYS": "90"}
    assert "comments deleted: 0" in run_invoke("inbox.prune", env=longer).stdout


def test_the_inbox_prunes_by_itself_when_it_starts(start_inbox):
    inbox = start_inbox(env={"LETTERPRESS_TODAY": THEN, "LETTERPRESS_COMMENT_RATE": "0"})
    leave_traces(inbox)
    inbox.stop()
    inbox.env["LETTERPRESS_TODAY"] = LATER
    inbox.start()
    for _ in range(100):
        if len(remaining(inbox)) == 2:
            break
        httpx.get(inbox.url + "/healthz")
    assert remaining(inbox) == {"kept@example.org": "", "waiting@example.org": ""}
