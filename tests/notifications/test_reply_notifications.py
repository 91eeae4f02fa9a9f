"""Reply notifications over real HTTP and a real SMTP server: the opt-in is kept by the inbox, an
approved reply e-mails the person who asked (once), and nobody hears of their own reply."""

import email
import email.policy
import os
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from notify_helpers import ADMIN, SENDER, approve, post_comment, smtp_env

from tests.support import ADMIN_TOKEN, SITE_URL, copy_content, files_holding, run_invoke


def link_in(text: str, prefix: str) -> str:
    found = re.search(re.escape(prefix) + r"[^\s<>\"]*", text)
    assert found, f"no link starting {prefix} in:\n{text}"
    return found.group(0).replace("&amp;", "&")


def parts(message):
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def test_the_opt_in_stays_in_the_inbox_and_never_reaches_a_file(start_inbox, smtp, tmp_path):
    inbox = start_inbox(env=smtp_env(smtp))
    asked = post_comment(inbox, "Tell me.", email="asks@example.org", notify=True)
    silent = post_comment(inbox, "Do not.", email="quiet@example.org")
    rows = inbox.rows("SELECT comment_id FROM reply_optins")
    assert [row[0] for row in rows] == [asked]
    env = {**os.environ, "LETTERPRESS_INBOX_DB": str(inbox.db_path), **smtp_env(smtp)}
    content = tmp_path / "content"
    result = run_invoke("comments.approve", f"{asked},{silent}", "--content", str(content), env=env)
    assert result.returncode == 0, result.stderr
    written = list((content / "comments").rglob("*.md"))
    assert len(written) == 2
    assert not files_holding("asks@example.org", content)
    assert not any("notify" in path.read_text().lower() for path in written)


def test_an_approved_reply_e_mails_the_reader_who_asked_once(start_inbox, smtp):
    inbox = start_inbox(env=smtp_env(smtp))
    parent = post_comment(inbox, "First!", name="Ada Reader", email="Ada@Example.org", notify=True)
    approve(inbox, parent)
    body = "Thank you, *Ada*.\n\n<script>alert(1)</script> See [the notes](https://example.org/n)."
    reply = post_comment(
        inbox, body, name="Miriam Okafor", email="miriam@letterpress.example", parent=parent
    )
    approve(inbox, reply)
    [received] = smtp.wait_for(1)
    message = received.message
    assert received.rcpt_tos == ["Ada@Example.org"]
    assert message["To"].addresses[0].display_name == "Ada Reader"
    assert message["From"] == SENDER
    assert "Miriam Okafor replied" in message["Subject"] and "An Open Essay" in message["Subject"]
    text, html = parts(message)
    link = f"{SITE_URL}/essays/2026/09/open-essay/#comment-{reply}"
    assert link in text and f'href="{link}"' in html
    assert "Thank you, *Ada*." in text
    assert "<em>Ada</em>" in html and "<script>" not in html
    assert 'rel="nofollow ugc noopener"' in html
    unsubscribe = link_in(text, "http://127.0.0.1:8001/notifications/unsubscribe?")
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "ada@example.org" not in unsubscribe.lower()
    # A second approval, or the same request retried, sends nothing more.
    approve(inbox, reply)
    sent = inbox.rows("SELECT status, attempts FROM notifications WHERE kind = 'reply'")
    assert [tuple(row) for row in sent] == [("sent", 1)]
    assert len(smtp.messages) == 1


def test_nobody_is_told_of_their_own_reply_nor_without_asking(start_inbox, smtp):
    inbox = start_inbox(env=smtp_env(smtp))
    asked = post_comment(inbox, "Mine.", email="self@example.org", notify=True)
    unasked = post_comment(inbox, "No box ticked.", email="other@example.org")
    approve(inbox, asked)
    approve(inbox, unasked)
    own = post_comment(inbox, "Adding to myself.", email="SELF@example.org", parent=asked)
    to_unasked = post_comment(inbox, "Reply.", email="third@example.org", parent=unasked)
    from_reader = post_comment(inbox, "A reader answers.", email="third@example.org", parent=asked)
    for comment_id in (own, to_unasked, from_reader):
        approve(inbox, comment_id)
    [received] = smtp.wait_for(1)
    assert received.rcpt_tos == ["self@example.org"]
    assert "A reader answers." in parts(received.message)[0]
    rows = inbox.rows("SELECT key FROM notifications")
    assert [row[0] for row in rows] == [from_reader]


def test_an_author_reply_written_to_a_file_notifies_through_the_api(start_inbox, smtp):
    inbox = start_inbox(env=smtp_env(smtp, LETTERPRESS_AUTHOR_EMAIL="miriam@letterpress.example"))
    parent = post_comment(inbox, "Question?", name="Bo", email="bo@example.org", notify=True)
    approve(inbox, parent)
    reply = {
        "id": "20261126-1200-auth",
        "essay": "open-essay",
        "parent": parent,
        "author": "Miriam Okafor",
        "body": "An answer.",
    }
    first = httpx.post(inbox.url + "/notifications/replies", json=reply, headers=ADMIN)
    again = httpx.post(inbox.url + "/notifications/replies", json=reply, headers=ADMIN)
    assert first.json() == {"reply": reply["id"], "queued": True, "delivery": "sent"}
    assert again.json() == {"reply": reply["id"], "queued": False}
    [received] = smtp.wait_to("bo@example.org")
    text = parts(received.message)[0]
    assert "Miriam Okafor (the author) replied" in text
    assert f"#comment-{reply['id']}" in text
    assert httpx.post(inbox.url + "/notifications/replies", json=reply).status_code == 401


def test_without_smtp_the_e_mail_is_an_eml_file_in_the_outbox(start_inbox, tmp_path):
    inbox = start_inbox(env={"LETTERPRESS_NOTIFY_DELAY": "0"})
    parent = post_comment(inbox, "Outbox please.", email="files@example.org", notify=True)
    approve(inbox, parent)
    reply = post_comment(inbox, "Answer.", email="answer@example.org", parent=parent)
    env = {**os.environ, "LETTERPRESS_INBOX_DB": str(inbox.db_path)}
    env["LETTERPRESS_BUILD_DIR"] = inbox.env["LETTERPRESS_BUILD_DIR"]
    env["LETTERPRESS_SITE_MANIFEST"] = str(inbox.manifest_path)
    result = run_invoke("comments.approve", reply, "--content", str(tmp_path), env=env)
    assert result.returncode == 0, result.stderr
    outbox = inbox.db_path.parent.parent / "build" / "outbox" / "notifications"
    [eml] = list(outbox.glob("*.eml"))
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == "files@example.org"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = parts(message)[0]
    query = parse_qs(urlsplit(link_in(text, "http://127.0.0.1:8001/notifications/")).query)
    assert query["c"] == [parent]


@pytest.mark.parametrize("where", ["local", "remote"])
def test_the_author_answering_with_comments_reply_e_mails_the_reader(
    start_inbox, smtp, tmp_path, where
):
    inbox = start_inbox(env=smtp_env(smtp))
    parent = post_comment(inbox, "Question?", name="Bo", email="bo@example.org", notify=True)
    content = copy_content(tmp_path / "content")
    env = {**os.environ, **smtp_env(smtp), "EDITOR": "", "VISUAL": ""}
    if where == "remote":
        env["LETTERPRESS_ADMIN_TOKEN"] = ADMIN_TOKEN
        place = ["--remote", inbox.url]
    else:
        env["LETTERPRESS_INBOX_DB"] = str(inbox.db_path)
        env["LETTERPRESS_SITE_MANIFEST"] = str(inbox.manifest_path)
        place = []
    args = ["comments.reply", parent, "--text", "An answer.", "--content", str(content), *place]
    result = run_invoke(*args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "their e-mail was sent." in " ".join(result.stdout.split())
    [received] = smtp.wait_to("bo@example.org")
    text = parts(received.message)[0]
    assert "An answer." in text
    assert "#comment-" in text
