"""The author's tools and the deployed inbox read the same settings: a reply made from a fresh
shell on the laptop is e-mailed by the inbox, with the inbox's SMTP, sender, secret and address,
and the task says exactly what happened to the e-mail."""

import os
import re
from urllib.parse import urlsplit

import httpx
import pytest

from tests.notifications.notify_helpers import SECRET, SENDER, post_comment
from tests.support import ADMIN_TOKEN, copy_content, run_invoke


def fresh_shell(settings_file, **extra) -> dict:
    """A new terminal: no LETTERPRESS_* variable but the settings file (and what is given)."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("LETTERPRESS_", "MAIL"))}
    return {**keep, "EDITOR": "", "VISUAL": "", "LETTERPRESS_SETTINGS": str(settings_file), **extra}


def said(result) -> str:
    """The task's output as one line (the terminal's panel wraps long sentences)."""
    return " ".join(result.stdout.split())


def server_settings(tmp_path, smtp_url: str):
    path = tmp_path / "server.toml"
    path.write_text(
        f'smtp_url = "{smtp_url}"\nmail_from = "{SENDER}"\nnotify_delay = 0\ncomment_rate = 0\n',
        encoding="utf-8",
    )
    secret = tmp_path / "secret"
    secret.write_text(SECRET, encoding="utf-8")
    return {"LETTERPRESS_SETTINGS": str(path), "LETTERPRESS_SECRET_FILE": str(secret)}


def laptop_settings(tmp_path, inbox_url: str):
    path = tmp_path / "laptop.toml"
    path.write_text(f'inbox_url = "{inbox_url}"\nremote = true\n', encoding="utf-8")
    token = tmp_path / "admin-token"
    token.write_text(ADMIN_TOKEN + "\n", encoding="utf-8")
    return path, {"LETTERPRESS_ADMIN_TOKEN_FILE": str(token)}


def reply_from_the_laptop(inbox, tmp_path):
    """Bo asks to hear of replies; the author answers with comments.reply from a fresh shell
    whose only settings are the laptop's file (remote = true) and the token's file."""
    parent = post_comment(inbox, "Question?", name="Bo", email="bo@example.org", notify=True)
    laptop, secrets = laptop_settings(tmp_path, inbox.url)
    content = copy_content(tmp_path / "content")
    args = ["comments.reply", parent, "--text", "An answer.", "--content", str(content)]
    result = run_invoke(*args, env=fresh_shell(laptop, **secrets))
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_a_reply_from_a_fresh_shell_is_sent_by_the_deployed_inbox(start_inbox, smtp, tmp_path):
    inbox = start_inbox(env=server_settings(tmp_path, smtp.url))
    result = reply_from_the_laptop(inbox, tmp_path)
    assert "their e-mail was sent." in said(result)
    [received] = smtp.wait_to("bo@example.org")
    assert received.message["From"] == SENDER
    link = urlsplit(received.message["List-Unsubscribe"].strip("<>"))
    assert link.path == "/notifications/unsubscribe"
    # Signed with the inbox's own secret (from its secret file): the inbox accepts it.
    page = httpx.get(f"{inbox.url}{link.path}?{link.query}")
    assert page.status_code == 200 and "Stop reply notifications?" in page.text


@pytest.mark.parametrize(
    "smtp_state, expected",
    [
        ("refusing", r"their e-mail was queued \(SMTP failed: .+\)\."),
        ("none", r"their e-mail was written to the local outbox \(no SMTP configured\)\."),
    ],
)
def test_the_task_says_what_happened_to_the_e_mail(
    start_inbox, smtp, tmp_path, smtp_state, expected
):
    if smtp_state == "refusing":
        smtp.refuse = True
        environment = server_settings(tmp_path, smtp.url)
    else:
        environment = {"LETTERPRESS_NOTIFY_DELAY": "0", "LETTERPRESS_COMMENT_RATE": "0"}
    inbox = start_inbox(env=environment)
    result = reply_from_the_laptop(inbox, tmp_path)
    assert re.search(expected, said(result)), result.stdout
    status = inbox.rows("SELECT status FROM notifications WHERE kind = 'reply'")
    assert [row[0] for row in status] == (["queued"] if smtp_state == "refusing" else ["sent"])


def test_remote_without_a_token_stops_with_a_sentence(tmp_path):
    laptop = tmp_path / "laptop.toml"
    laptop.write_text('inbox_url = "https://inbox.example.org"\nremote = true\n')
    result = run_invoke("comments.review", env=fresh_shell(laptop))
    assert result.returncode == 2
    assert "needs its admin token" in result.stderr and "LETTERPRESS_ADMIN_TOKEN_FILE" in (
        result.stderr
    )
