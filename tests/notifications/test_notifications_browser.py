"""In Chromium: a reader ticks "E-mail me when someone replies", the author approves the comment
and a reply and rebuilds; the e-mail arrives in a real SMTP server, its link opens the reply on
the essay, and its unsubscribe link works."""

import os

import pytest
from notify_helpers import smtp_env

from tests.support import files_holding, prepare_inbox, run_build, run_invoke, serve_directory

ESSAY = "/essays/2026/09/generative-not-competitive/"


@pytest.fixture
def served(tmp_path):
    with serve_directory(tmp_path / "output") as url:
        yield url


@pytest.mark.browser
def test_tick_the_box_get_the_reply_by_e_mail_then_unsubscribe(
    page, content_copy, tmp_path, served, smtp
):
    output = tmp_path / "output"
    inbox = prepare_inbox(
        tmp_path / "inbox",
        env=smtp_env(smtp, LETTERPRESS_SITE_URL=served),
        manifest_path=output / "letterpress.json",
    )
    inbox.env["LETTERPRESS_INBOX_URL"] = inbox.url
    inbox.start()
    env = {**os.environ, **inbox.env}
    try:

        def build():
            result = run_build(
                content_copy,
                output,
                tmp_path / "build",
                env={"LETTERPRESS_DEV_INBOX_URL": inbox.url},
            )
            assert result.returncode == 0, result.stdout + result.stderr

        def approve(body):
            comment_id = inbox.rows("SELECT id FROM comments WHERE body = ?", (body,))[0][0]
            result = run_invoke(
                "comments.approve", comment_id, "--content", str(content_copy), env=env
            )
            assert result.returncode == 0, result.stderr
            return comment_id

        build()
        page.goto(served + ESSAY)
        box = page.get_by_label("E-mail me when someone replies to this comment")
        assert not box.is_checked()
        page.fill("#comment-name", "Lena Park")
        page.fill("#comment-email", "lena@example.org")
        page.fill("#comment-body", "Does the shared page scale?")
        box.check()
        page.click("form#respond button[type=submit]")
        page.wait_for_url("**#comment-pending")
        question = approve("Does the shared page scale?")
        build()

        page.goto(served + ESSAY)
        page.locator(f"#comment-{question} .reply-link").first.click()
        page.fill("#comment-name", "Miriam Okafor")
        page.fill("#comment-email", "miriam@letterpress.example")
        page.fill("#comment-body", "It does, *with one rule*.")
        page.click("form#respond button[type=submit]")
        page.wait_for_url("**#comment-pending")
        answer = approve("It does, *with one rule*.")
        build()

        [received] = smtp.wait_to("lena@example.org")
        message = received.message
        html = message.get_body(("html",)).get_content()
        link = f"{served}{ESSAY}#comment-{answer}"
        assert f'href="{link}"' in html and "<em>with one rule</em>" in html
        page.goto("about:blank")  # else only the fragment changes and the old page stays
        page.goto(link)
        reply = page.locator(f"#comment-{answer}")
        assert reply.is_visible() and "with one rule" in reply.inner_text()

        unsubscribe = message["List-Unsubscribe"].strip("<>")
        assert unsubscribe.startswith(inbox.url + "/notifications/unsubscribe?")
        page.goto(unsubscribe)
        assert page.locator("h1").inner_text() == "Stop reply notifications?"
        page.get_by_role("button", name="Unsubscribe").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Unsubscribed"
        assert inbox.rows("SELECT COUNT(*) FROM reply_optins")[0][0] == 0
        assert not files_holding("lena@example.org", content_copy, output)
    finally:
        inbox.stop()
