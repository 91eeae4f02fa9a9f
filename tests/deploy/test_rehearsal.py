"""The production rehearsal: the deploy kit's own files on loopback, with real parts.

Caddy (deploy/Caddyfile) serves the production build of the sample site over HTTPS and proxies
the inbox, started as deploy/letterpress-inbox.service starts it (deploy/letterpress.toml, its
secrets as credentials). A reader in Chromium posts a comment; the author approves it through the
admin API with the bearer token; `invoke comments.pull`, as the publish workflow runs it, writes
the comment's file; the site is rebuilt; and the reader sees the comment. Every page the reader
opens breaks no rule of the Content-Security-Policy Caddy sends.
"""

import os

import pytest

from letterpress.moderation.admin_client import AdminClient
from tests.deploy.kit import csp_directives
from tests.support import run_invoke

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ESSAY = "/essays/2026/09/generative-not-competitive/"
VIDEO_ESSAY = "/essays/2026/10/slack-is-not-waste/"
WORKSHOP = "/workshops/the-arc/"


def watch_csp(page) -> list[str]:
    """Every Content-Security-Policy violation the page reports, as Chromium words it."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def open_page(live_browser):
    context = live_browser.new_context()
    page = context.new_page()
    return context, page, watch_csp(page)


def admin(live) -> AdminClient:
    """The admin API over HTTPS through Caddy, trusting its CA, as the author's tools call it."""
    client = AdminClient(live.caddy.inbox_url, live.admin_token)
    client.session.verify = str(live.caddy.root_certificate)
    client.session.trust_env = False
    return client


def pull_approved_comments(live) -> str:
    """`invoke comments.pull`, as the publish workflow runs it on its schedule: the deployed
    inbox's address and the admin token from the settings, the CA Caddy's; every approved comment
    git lacks becomes a file in content/comments/. Returns what the task printed."""
    environment = {
        **os.environ,
        "LETTERPRESS_INBOX_URL": live.caddy.inbox_url,
        "LETTERPRESS_REMOTE": "true",
        "LETTERPRESS_ADMIN_TOKEN": live.admin_token,
        "REQUESTS_CA_BUNDLE": str(live.caddy.root_certificate),
    }
    result = run_invoke(
        "comments.pull", "--content", str(live.content), env=environment, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_caddy_sends_the_security_headers_and_limits(live):
    with live.caddy.client(timeout=10) as client:
        page = client.get(live.caddy.site_url + ESSAY)
        assert page.status_code == 200
        policy = csp_directives(page.headers["content-security-policy"])
        # The forms post to the inbox, which sends a paid registration on to Stripe's page.
        assert policy["form-action"] == [
            "'self'",
            live.caddy.inbox_url,
            "https://checkout.stripe.com",
        ]
        assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
        assert page.headers["strict-transport-security"].startswith("max-age=")
        assert page.headers["x-content-type-options"] == "nosniff"
        assert "server" not in page.headers

        health = client.get(live.caddy.inbox_url + "/healthz")
        assert health.status_code == 200, health.text
        assert "content-security-policy" in health.headers
        # The moderation page's own, stricter headers stand: one policy, not two.
        moderation = client.get(live.caddy.inbox_url + "/admin")
        assert len(moderation.headers.get_list("content-security-policy")) == 1
        assert moderation.headers["referrer-policy"] == "no-referrer"
        assert "strict-transport-security" in moderation.headers

        # Over the inbox's byte cap: refused at the edge; a header block over 16 KB too.
        too_large = client.post(
            live.caddy.inbox_url + "/comments",
            content=b"body=" + b"x" * (170 * 1024),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert too_large.status_code == 413
        huge_header = client.get(live.caddy.site_url + "/", headers={"X-Padding": "x" * 32_000})
        assert huge_header.status_code == 431


def test_the_sample_pages_break_no_rule_of_the_content_security_policy(live, live_browser):
    """Each kind of page, with what its scripts do: the reply link, the video player, Pagefind's
    search (WebAssembly), the live seat count (a fetch to the inbox), a refused form shown again
    by the inbox, the moderation page's sign-in, and the 404 page."""
    context, page, violations = open_page(live_browser)
    site = live.caddy.site_url
    try:
        for path in ("/", "/about/", "/subscribe/", "/privacy/", "/workshops/", "/no-such-page/"):
            page.goto(site + path)
            page.wait_for_load_state("networkidle")

        page.goto(site + ESSAY)
        page.locator(".reply-link").first.click()
        page.goto(site + VIDEO_ESSAY)
        page.locator(".video-play").first.click()
        page.wait_for_selector(".video iframe", state="attached")

        page.goto(site + "/search/?q=leadership")
        page.wait_for_selector(".pagefind-ui__result", timeout=15_000)

        page.goto(site + WORKSHOP)
        page.wait_for_load_state("networkidle")
        built = page.locator("#seats").get_attribute("data-seats-url")
        assert built.startswith(live.caddy.inbox_url)

        # An empty comment: the inbox answers with the site's page, problems listed.
        page.goto(site + ESSAY)
        page.evaluate("document.querySelector('form#respond').noValidate = true")
        page.locator("form#respond button[type=submit]").click()
        page.wait_for_url(live.caddy.inbox_url + "/**")
        assert page.locator("[aria-invalid=true]").count() > 0

        # The moderation page's sign-in, on the inbox.
        page.goto(live.caddy.inbox_url + "/admin")
        page.wait_for_load_state("networkidle")
        assert violations == []

        # The control: an inline script, which the policy forbids, is reported.
        page.goto(site + "/")
        page.evaluate(
            "document.body.appendChild(Object.assign(document.createElement('script'),"
            " {textContent: 'document.title = 1'}))"
        )
        page.wait_for_timeout(200)
        assert len(violations) == 1 and "inline script" in violations[0]
    finally:
        context.close()


def test_a_comment_posted_over_https_goes_live_once_approved(live, live_browser):
    stopwatch = live.stopwatch
    context, page, violations = open_page(live_browser)
    body = "Posted over HTTPS through Caddy, approved through the API. *Live now.*"
    try:
        with stopwatch.step("Chromium posts a comment over HTTPS on an essay page"):
            page.goto(live.caddy.site_url + ESSAY)
            page.fill("#comment-name", "Lena Park")
            page.fill("#comment-email", "lena@example.org")
            page.fill("#comment-body", body)
            page.click("form#respond button[type=submit]")
            page.wait_for_url("**#comment-pending")
            assert page.url.startswith(live.caddy.site_url)

        with stopwatch.step("the author approves it through the admin API (bearer token)"):
            with admin(live) as client:
                pending = client.call("GET", "/comments/pending")["comments"]
                (comment,) = [c for c in pending if c["body"] == body]
                approved = client.call("POST", f"/comments/{comment['id']}/approve")
            assert approved["status"] == "approved"

        with stopwatch.step("invoke comments.pull writes the comment's file"):
            pull_approved_comments(live)
        written = list((live.content / "comments").rglob(f"{comment['id']}.md"))
        assert len(written) == 1, f"no file for {comment['id']}"
        assert "lena@example.org" not in written[0].read_text("utf-8")

        with stopwatch.step("the site is rebuilt (publishconf.py)"):
            live.rebuild()

        with stopwatch.step("Chromium sees the comment on the page"):
            page.goto(live.caddy.site_url + ESSAY)
            shown = page.locator(f"#comment-{comment['id']}")
            assert "Live now." in shown.inner_text()
    finally:
        context.close()
        print("\n" + stopwatch.table())
    assert violations == []
