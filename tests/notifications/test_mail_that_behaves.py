"""The inbox's e-mail as a mail server and a mail program see it: the headers as bytes on the wire
(through a real aiosmtpd server), a permanent refusal that ends a message's life, back-offs every
sender honours, and nothing retried for ever."""

import datetime as dt
import os
import re
import time

from notify_helpers import SENDER, approve, post_comment, smtp_env

from tests.support import run_invoke

INBOX_URL = "https://inbox.letterpress.example"
LONG_NAME = "Bartholomew " * 8


def wait_for_row(inbox, sql, check, params=(), timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = inbox.rows(sql, params)
        if rows and check(rows[0]):
            return rows[0]
        time.sleep(0.05)
    raise AssertionError(f"{sql}: not as expected in {timeout} s; last {[dict(r) for r in rows]}")


def task_env(inbox, smtp, **extra) -> dict:
    return {**os.environ, "LETTERPRESS_INBOX_DB": str(inbox.db_path), **smtp_env(smtp), **extra}


def test_the_headers_on_the_wire_are_plain_one_click_and_ours(start_inbox, smtp):
    inbox = start_inbox(env=smtp_env(smtp, LETTERPRESS_INBOX_URL=INBOX_URL))
    parent = post_comment(inbox, "A thought.", email="reader@example.org", notify=True)
    approve(inbox, parent)
    reply = post_comment(
        inbox, "An answer.", email="other@example.org", name=LONG_NAME.strip(), parent=parent
    )
    approve(inbox, reply)
    [received] = smtp.wait_to("reader@example.org")
    headers = received.header_lines()
    assert re.fullmatch(
        re.escape(INBOX_URL).join(["<", r"/notifications/unsubscribe\?c=[\w-]+&t=[\w-]+>"]),
        headers["list-unsubscribe"],
    ), headers["list-unsubscribe"]
    assert b"=?utf-8?" not in received.raw.split(b"\r\n\r\n")[0].split(b"List-Unsubscribe:")[1][:20]
    assert headers["list-unsubscribe-post"] == "List-Unsubscribe=One-Click"
    assert headers["auto-submitted"] == "auto-generated"
    domain = SENDER.rpartition("@")[2].rstrip(">")
    assert re.fullmatch(rf"<[^@<>]+@{re.escape(domain)}>", headers["message-id"])
    subject = str(received.message["Subject"])
    assert subject.startswith("Bartholomew Bartholomew") and "…" in subject
    assert len(subject.split(" replied")[0]) <= 40


def test_a_permanent_refusal_ends_the_message_and_is_recorded_without_the_address(
    start_inbox, smtp
):
    smtp.no_such_user.add("nobody@example.org")
    inbox = start_inbox(env=smtp_env(smtp))
    parent = post_comment(inbox, "Mine.", email="nobody@example.org", notify=True)
    approve(inbox, parent)
    approve(inbox, post_comment(inbox, "Yours.", email="r@example.org", parent=parent))
    row = wait_for_row(
        inbox,
        "SELECT * FROM notifications WHERE kind = 'reply'",
        lambda r: r["status"] not in ("queued", "sending"),
    )
    assert row["status"] == "dropped" and "550" in row["last_error"]
    assert "refused the recipient for good" in row["last_error"]
    assert "nobody@example.org" not in row["last_error"]
    time.sleep(1.5)  # the sender's next rounds: never tried again
    assert smtp.tries["nobody@example.org"] == 1
    assert "nobody@example.org" not in inbox.log()
    again = run_invoke("notifications.send", "--now", env=task_env(inbox, smtp))
    assert again.returncode == 0 and "Nothing is queued." in again.stdout, again.stderr
    assert smtp.tries["nobody@example.org"] == 1


def test_every_sender_honours_the_back_off_and_the_exit_status_reports_this_run(start_inbox, smtp):
    smtp.refuse = True
    inbox = start_inbox(env=smtp_env(smtp, LETTERPRESS_TODAY="2026-11-26"))
    parent = post_comment(inbox, "Mine.", email="patient@example.org", notify=True)
    approve(inbox, parent)
    approve(inbox, post_comment(inbox, "Yours.", email="r@example.org", parent=parent))
    query = "SELECT * FROM notifications WHERE kind = 'reply'"
    row = wait_for_row(inbox, query, lambda r: r["last_error"] != "")
    assert row["status"] == "queued" and row["retry_after"]
    tried = row["attempts"]
    inbox.stop()  # only the terminal's senders from here on
    env = task_env(inbox, smtp, LETTERPRESS_TODAY="2026-11-26")
    waiting = run_invoke("notifications.send", env=env)
    assert waiting.returncode == 0, waiting.stderr
    assert "Waiting until" in waiting.stdout
    other = post_comment_offline(inbox)
    approved = run_invoke(
        "comments.approve", other, "--content", str(inbox.db_path.parent), env=env
    )
    assert approved.returncode == 0, approved.stderr
    assert inbox.rows(query)[0]["attempts"] == tried, "a sender ignored the back-off"
    failing = run_invoke("notifications.send", "--now", env=env)
    assert failing.returncode == 1 and "still queued" in failing.stderr
    assert inbox.rows(query)[0]["attempts"] == tried + 1


def post_comment_offline(inbox) -> str:
    """A pending comment written into the database, as the stopped inbox would have."""
    from letterpress.inbox.comment_store import Submission, store_comment
    from letterpress.inbox.schema import open_inbox

    db = open_inbox(inbox.db_path)
    try:
        now = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
        submission = Submission("open-essay", None, "Zoe", "zoe@example.org", "", "Hello.")
        return store_comment(db, submission, "127.0.0.0/24", now).id
    finally:
        db.close()


def test_nothing_is_retried_for_ever_and_prune_clears_what_is_dead(start_inbox, smtp):
    smtp.refuse = True
    inbox = start_inbox(env=smtp_env(smtp, LETTERPRESS_TODAY="2026-11-26"))
    parent = post_comment(inbox, "Mine.", email="far@example.org", notify=True)
    approve(inbox, parent)
    approve(inbox, post_comment(inbox, "Yours.", email="r@example.org", parent=parent))
    query = "SELECT * FROM notifications WHERE kind = 'reply'"
    wait_for_row(inbox, query, lambda r: r["last_error"] != "")
    inbox.stop()
    later = task_env(inbox, smtp, LETTERPRESS_TODAY="2026-11-30")  # four days on
    given_up = run_invoke("notifications.send", "--now", env=later)
    assert given_up.returncode == 1 and "given up" in given_up.stderr, given_up.stderr
    assert inbox.rows(query)[0]["status"] == "dropped"
    calm = run_invoke("notifications.send", "--now", env=later)
    assert calm.returncode == 0 and "Nothing is queued." in calm.stdout
    months = task_env(inbox, smtp, LETTERPRESS_TODAY="2027-05-26")
    pruned = run_invoke("inbox.prune", env=months)
    assert pruned.returncode == 0, pruned.stderr
    assert inbox.rows("SELECT COUNT(*) FROM notifications")[0][0] == 0


def test_a_queue_nobody_sends_is_given_up_by_prune(start_inbox, smtp):
    smtp.refuse = True
    inbox = start_inbox(env=smtp_env(smtp, LETTERPRESS_TODAY="2026-11-26"))
    parent = post_comment(inbox, "Mine.", email="still@example.org", notify=True)
    approve(inbox, parent)
    approve(inbox, post_comment(inbox, "Yours.", email="r@example.org", parent=parent))
    wait_for_row(inbox, "SELECT * FROM notifications", lambda r: r["last_error"] != "")
    inbox.stop()
    pruned = run_invoke("inbox.prune", env=task_env(inbox, smtp, LETTERPRESS_TODAY="2026-12-01"))
    assert "notifications given up: 1" in pruned.stdout, pruned.stdout + pruned.stderr
    [row] = inbox.rows("SELECT status, last_error FROM notifications")
    assert row["status"] == "dropped" and "given up" in row["last_error"]
