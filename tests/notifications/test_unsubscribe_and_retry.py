"""Unsubscribing from reply notifications with the signed link (a page, then POST; or a mail
program's one-click), and an SMTP failure that leaves the e-mail queued for a retry."""

import os
import time
from urllib.parse import parse_qs, urlsplit

import httpx
from notify_helpers import approve, post_comment, smtp_env

from tests.support import run_invoke


def unsubscribe_link(received) -> str:
    return received.message["List-Unsubscribe"].strip("<>")


def local_url(link: str, inbox) -> str:
    """The link as the test reaches it: the inbox's public address is its own setting."""
    parts = urlsplit(link)
    return f"{inbox.url}{parts.path}?{parts.query}"


def reply_to(inbox, smtp, parent_email, count):
    """A fresh thread: a comment that asks for notifications, approved, and a reply approved."""
    parent = post_comment(inbox, f"Thread {count}", email=parent_email, notify=True)
    approve(inbox, parent)
    reply = post_comment(inbox, f"Reply {count}", email=f"r{count}@example.org", parent=parent)
    approve(inbox, reply)
    return parent


def test_the_link_asks_first_then_stops_every_thread(start_inbox, smtp):
    inbox = start_inbox(env=smtp_env(smtp))
    reply_to(inbox, smtp, "leaving@example.org", 1)
    second_thread = post_comment(inbox, "Another", email="leaving@example.org", notify=True)
    approve(inbox, second_thread)
    [received] = smtp.wait_for(1)
    url = local_url(unsubscribe_link(received), inbox)
    page = httpx.get(url)
    assert page.status_code == 200 and "Stop reply notifications?" in page.text
    assert inbox.rows("SELECT COUNT(*) FROM reply_optins")[0][0] == 2  # a GET changes nothing
    done = httpx.post(url)
    assert done.status_code == 200 and "Unsubscribed" in done.text
    assert inbox.rows("SELECT COUNT(*) FROM reply_optins")[0][0] == 0
    later = post_comment(inbox, "Later reply", email="late@example.org", parent=second_thread)
    approve(inbox, later)
    assert httpx.post(url).status_code == 200  # again: harmless
    assert len(smtp.to("leaving@example.org")) == 1


def test_one_click_unsubscribe_from_a_mail_program(start_inbox, smtp):
    inbox = start_inbox(env=smtp_env(smtp))
    reply_to(inbox, smtp, "oneclick@example.org", 1)
    [received] = smtp.wait_for(1)
    url = local_url(unsubscribe_link(received), inbox)
    answer = httpx.post(url, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert inbox.rows("SELECT COUNT(*) FROM reply_optins")[0][0] == 0


def test_a_forged_or_cut_link_changes_nothing(start_inbox, smtp):
    inbox = start_inbox(env=smtp_env(smtp))
    parent = reply_to(inbox, smtp, "kept@example.org", 1)
    [received] = smtp.wait_for(1)
    url = local_url(unsubscribe_link(received), inbox)
    token = parse_qs(urlsplit(url).query)["t"][0]
    for bad in (
        f"{inbox.url}/notifications/unsubscribe?c={parent}&t={token[:-2]}xx",
        f"{inbox.url}/notifications/unsubscribe?c={parent}",
        f"{inbox.url}/notifications/unsubscribe?c=20260101-0000-aaaa&t={token}",
    ):
        assert httpx.get(bad).status_code == 404
        assert httpx.post(bad).status_code == 404
    assert inbox.rows("SELECT COUNT(*) FROM reply_optins")[0][0] == 1


def test_an_smtp_failure_leaves_the_e_mail_queued_until_notifications_send(start_inbox, smtp):
    smtp.refuse = True
    inbox = start_inbox(env=smtp_env(smtp))
    reply_to(inbox, smtp, "patient@example.org", 1)
    query = "SELECT status, attempts, last_error FROM notifications"
    for _ in range(200):  # the inbox's own sender tries once, then backs off
        row = inbox.rows(query)[0]
        if row["last_error"]:
            break
        time.sleep(0.05)
    assert row["status"] == "queued" and "451" in row["last_error"]
    assert "stays queued" in row["last_error"] and f"127.0.0.1:{smtp.port}" in row["last_error"]
    env = {**os.environ, "LETTERPRESS_INBOX_DB": str(inbox.db_path), **smtp_env(smtp)}
    failing = run_invoke("notifications.send", "--now", env=env)
    assert failing.returncode == 1 and "still queued" in failing.stderr
    assert "patient@example.org" in run_invoke("notifications.queue", env=env).stdout
    smtp.refuse = False
    retried = run_invoke("notifications.send", "--now", env=env)
    assert retried.returncode == 0, retried.stderr
    assert "Sent (smtp): reply e-mail to patient@example.org" in retried.stdout
    assert len(smtp.to("patient@example.org")) == 1
    assert run_invoke("notifications.send", env=env).stdout.strip() == "Nothing is queued."
    assert inbox.rows(query)[0]["status"] == "sent"
