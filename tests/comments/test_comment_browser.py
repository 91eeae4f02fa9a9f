"""A reader in Chromium posts through the real form to the real inbox, sees the pending notice;
the author approves with the task and rebuilds; the comment is in the thread. Then a reply."""

import os

import pytest

from tests.support import prepare_inbox, run_build, run_invoke, serve_directory

ESSAY = "/essays/2026/09/generative-not-competitive/"
ANSWERED = "20260917-0720-x1sg"  # a sample comment by Tomás Ferreira


@pytest.fixture
def served(tmp_path):
    """An HTTP server for tmp/output (built later), so the inbox can be told the site's URL."""
    with serve_directory(tmp_path / "output") as url:
        yield url


def approve(inbox, body, content):
    comment_id = inbox.rows("SELECT id FROM comments WHERE body = ?", (body,))[0][0]
    result = run_invoke(
        "comments.approve",
        comment_id,
        "--content",
        str(content),
        env={**os.environ, "LETTERPRESS_INBOX_DB": str(inbox.db_path)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return comment_id


def fill_and_send(page, name, email, body):
    page.fill("#comment-name", name)
    page.fill("#comment-email", email)
    page.fill("#comment-body", body)
    page.click("form#respond button[type=submit]")
    page.wait_for_url("**#comment-pending")
    assert page.locator("#comment-pending").is_visible()
    assert "awaiting moderation" in page.locator("#comment-pending").inner_text()


@pytest.mark.browser
def test_a_comment_and_a_reply_travel_from_the_form_to_the_thread(
    page, content_copy, tmp_path, served
):
    output = tmp_path / "output"
    inbox = prepare_inbox(
        tmp_path / "inbox",
        env={"LETTERPRESS_COMMENT_RATE": "0", "LETTERPRESS_SITE_URL": served},
        manifest_path=output / "letterpress.json",
    ).start()
    try:

        def build():
            result = run_build(
                content_copy,
                output,
                tmp_path / "build",
                env={"LETTERPRESS_DEV_INBOX_URL": inbox.url},
            )
            assert result.returncode == 0, result.stdout + result.stderr

        build()
        page.goto(served + ESSAY)
        assert not page.locator("#comment-pending").is_visible()
        first = "Tried the shared page this week. *It worked.*"
        fill_and_send(page, "Lena Park", "lena@example.org", first)

        # A reply: the Reply link moves the form under a comment and picks it as the parent.
        page.goto(served + ESSAY)
        answered = page.locator(f"#comment-{ANSWERED}")
        answered.locator(".reply-link").first.click()
        assert page.locator(f"#comment-{ANSWERED} form#respond").count() == 1
        assert page.locator("#comment-parent").input_value() == ANSWERED
        reply = "Two columns it is, Tomás."
        fill_and_send(page, "Miguel Soto", "miguel@example.org", reply)

        comment_id = approve(inbox, first, content_copy)
        reply_id = approve(inbox, reply, content_copy)
        build()
        page.goto(served + ESSAY)
        posted = page.locator(f"ol.comment-list > #comment-{comment_id}")
        assert "Tried the shared page this week. It worked." in posted.inner_text()
        assert posted.locator("em").inner_text() == "It worked."
        nested = page.locator(f"#comment-{ANSWERED} > .comment-replies > #comment-{reply_id}")
        assert reply in nested.inner_text()
        assert "lena@example.org" not in page.content()
    finally:
        inbox.stop()
