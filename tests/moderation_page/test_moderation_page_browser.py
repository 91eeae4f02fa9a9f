"""The moderation page, in Chromium at a phone's width (375 px), against the real inbox over HTTP
reading the sample site's manifest, with the built site served beside it: sign in, approve,
reject, reply as the author, a batch, take back, a roster's cancel; a POST without its CSRF token
refused, an expired session sent back to sign in, "sign out on every device" reaching a second
browser; the author's reply in its comment file after `comments.pull`; axe finds nothing."""

import os
import re
import sqlite3

import httpx
import pytest
from playwright.sync_api import expect

from letterpress.comments import read_comment
from tests.site.pages import axe_violations
from tests.support import (
    ADMIN_TOKEN,
    TODAY,
    copy_content,
    prepare_inbox,
    run_invoke,
    serve_directory,
)

ESSAY = "generative-not-competitive"
ESSAY_TITLE = "Why Organizations Should Be Generative, Not Competitive"
PHONE = {"width": 375, "height": 812}
JSON = {"Accept": "application/json"}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def inbox(site, site_url, tmp_path_factory):
    """The inbox reading the sample build's manifest, its site served on loopback."""
    running = prepare_inbox(
        tmp_path_factory.mktemp("moderation-page"),
        manifest_path=site.output / "letterpress.json",
        env={
            "LETTERPRESS_TODAY": TODAY,
            "LETTERPRESS_SITE_URL": site_url,
            "LETTERPRESS_COMMENT_RATE": "0",
            "LETTERPRESS_REGISTRATION_RATE": "0",
        },
    ).start()
    yield running
    running.stop()


def post_comment(inbox, body, name="Ada Brook", parent=None, notify=False, url=""):
    data = {"essay": ESSAY, "name": name, "email": "ada@example.org", "body": body, "url": url}
    if parent:
        data["parent"] = parent
    if notify:
        data["notify_replies"] = "yes"
    answer = httpx.post(inbox.url + "/comments", data=data, headers=JSON)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def status_of(inbox, comment_id):
    return inbox.rows("SELECT status FROM comments WHERE id = ?", (comment_id,))[0]["status"]


def sign_in(page, inbox, secret=ADMIN_TOKEN, then="/admin"):
    page.goto(inbox.url + then)
    expect(page.locator("h1")).to_have_text("Sign in to moderate")
    page.fill("#secret", secret)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def phone(new_page, **options):
    return new_page(viewport=PHONE, **options)


def card(page, comment_id):
    return page.locator(f"#c-{comment_id}")


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_sign_in_then_approve_and_reject_on_a_phone(inbox, new_page):
    kept = post_comment(inbox, "Approve me, *please*.", url="https://ada.example/")
    dropped = post_comment(inbox, "Reject me.", name="Bo Reyes")
    page = phone(new_page)
    page.goto(inbox.url + "/admin")
    assert page.url.startswith(inbox.url + "/admin/login")  # nothing shown before signing in
    expect(page.locator("body")).not_to_contain_text("Approve me")
    page.fill("#secret", "not the token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("[role=alert]")).to_have_text("That is not the admin token or passphrase.")
    expect(page.locator("body")).not_to_contain_text("Approve me")
    page.fill("#secret", ADMIN_TOKEN)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(inbox.url + "/admin")

    shown = card(page, kept)
    # The comment in its context: the essay linked, who, when in the site's zone, the website.
    expect(shown.get_by_role("link", name=f"“{ESSAY_TITLE}”")).to_have_attribute(
        "href", re.compile(rf"/essays/.*/{ESSAY}/$")
    )
    expect(shown.locator(".admin-time")).to_contain_text("PST")
    expect(shown).to_contain_text("ada@example.org")
    expect(shown.get_by_role("link", name="https://ada.example/")).to_be_visible()
    expect(shown.locator("em")).to_have_text("please")  # the Markdown as it will read
    assert fits_the_phone(page)

    shown.get_by_role("button", name="Approve Ada Brook's comment").click()
    expect(page.locator(".admin-notice")).to_contain_text("Approved: Ada Brook's comment")
    card(page, dropped).get_by_role("button", name="Reject Bo Reyes's comment").click()
    expect(page.locator(".admin-notice")).to_contain_text("Rejected: Bo Reyes's comment")
    assert (status_of(inbox, kept), status_of(inbox, dropped)) == ("approved", "rejected")
    # The approval now waits for comments.pull, and can be taken back.
    expect(page.locator(f"#w-{kept}")).to_contain_text("Ada Brook")
    page.reload()  # the notice was shown once
    expect(page.locator(".admin-notice")).to_have_count(0)


def test_the_page_answers_with_no_store_and_its_cookie_is_locked_down(inbox):
    login = httpx.get(inbox.url + "/admin/login")
    assert login.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in login.headers["content-security-policy"]
    token = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
    # Behind the TLS proxy (X-Forwarded-Proto from a trusted address) the cookie is Secure.
    answer = httpx.post(
        inbox.url + "/admin/login",
        data={"csrf": token, "secret": ADMIN_TOKEN, "next": "/admin"},
        cookies=login.cookies,
        headers={"X-Forwarded-Proto": "https"},
    )
    assert answer.status_code == 303
    cookie = answer.headers.get_list("set-cookie")[0]
    assert cookie.startswith("letterpress_admin=")
    for attribute in ("HttpOnly", "Secure", "SameSite=strict", "Path=/admin", "Max-Age=43200"):
        assert attribute in cookie, cookie
    stored = inbox.rows("SELECT token_hash FROM admin_sessions")
    value = cookie.split(";")[0].split("=", 1)[1]
    assert value not in {row["token_hash"] for row in stored}  # only its hash is kept


def test_reply_as_the_author_approves_notifies_and_pull_writes_both_files(
    inbox, new_page, tmp_path
):
    asked = post_comment(inbox, "Will you answer me?", name="Cy Ward", notify=True)
    page = phone(new_page)
    sign_in(page, inbox, then=f"/admin/comments/{asked}")  # where the author's e-mail links
    page.wait_for_url(f"{inbox.url}/admin/comments/{asked}")
    page.fill(f"#reply-{asked}", "Yes: *gladly*.")
    page.get_by_role("button", name="Reply and approve").click()
    expect(page.locator(".admin-notice")).to_contain_text("Replied as Miriam Okafor")
    expect(page.locator(".admin-notice")).to_contain_text("the e-mail is queued")
    assert status_of(inbox, asked) == "approved"
    [reply] = inbox.rows("SELECT id, author FROM author_replies WHERE parent = ?", (asked,))
    assert reply["author"] == "Miriam Okafor"
    queued = inbox.rows("SELECT kind, recipient FROM notifications WHERE key = ?", (reply["id"],))
    assert [tuple(row) for row in queued] == [("reply", "ada@example.org")]

    content = copy_content(tmp_path / "content")
    environment = {**os.environ, "LETTERPRESS_ADMIN_TOKEN": ADMIN_TOKEN}
    pulled = run_invoke(
        "comments.pull", "--remote", inbox.url, "--content", str(content), env=environment
    )
    assert pulled.returncode == 0, pulled.stderr
    folder = content / "comments" / ESSAY
    written = read_comment(folder / f"{reply['id']}.md")
    assert (written.role, written.reply_to, written.author) == ("author", asked, "Miriam Okafor")
    assert written.body == "Yes: *gladly*.\n"
    assert read_comment(folder / f"{asked}.md").author == "Cy Ward"
    page.goto(inbox.url + "/admin")  # both written now: no take-back offered any more
    expect(page.locator(f"#w-{reply['id']}")).to_contain_text("Its file was written")
    expect(page.locator(f"#w-{reply['id']} button")).to_have_count(0)


def test_the_link_in_the_authors_email_opens_the_comment_for_a_signed_in_author(
    inbox, new_page, tmp_path
):
    """Followed from webmail (another site), the link's request carries no SameSite=Strict
    cookie; the page asks for itself again from its own site, and the author lands on the
    comment, not on the sign-in form."""
    target = post_comment(inbox, "Linked from the notice.", name="Hal Ives")
    admin = inbox.url.replace("127.0.0.1", "localhost")  # another site than 127.0.0.1
    mail = tmp_path / "webmail"
    mail.mkdir()
    link = f"{admin}/admin/comments/{target}"
    (mail / "index.html").write_text(
        f'<!doctype html><title>Mail</title><a id="notice" href="{link}">Moderate it</a>'
    )
    page = phone(new_page)
    page.goto(admin + "/admin/login")
    page.fill("#secret", ADMIN_TOKEN)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(admin + "/admin")
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    with serve_directory(mail) as webmail:
        page.goto(webmail + "/")
        page.click("#notice")
        page.wait_for_url(link)
        expect(page.locator("h1")).to_contain_text("Hal Ives on")
    assert asked.count(link) == 2  # the link, then the page asking for itself


def test_a_batch_approved_parents_first_and_one_taken_back(inbox, new_page):
    parent = post_comment(inbox, "A batch parent.", name="Di Lam")
    child = post_comment(inbox, "A batch reply.", name="Ed Moss", parent=parent)
    page = phone(new_page)
    sign_in(page, inbox)
    expect(card(page, child).locator(".admin-flags")).to_contain_text(
        "answers a comment that is pending"
    )
    expect(card(page, child).locator(".admin-parent")).to_contain_text("Di Lam: “A batch parent.”")
    card(page, child).get_by_label("Tick for a batch").check()
    card(page, parent).get_by_label("Tick for a batch").check()
    page.get_by_role("button", name="Approve ticked").click()
    expect(page.locator(".admin-notice")).to_contain_text("Approved: Ed Moss's comment")
    assert (status_of(inbox, parent), status_of(inbox, child)) == ("approved", "approved")

    page.locator(f"#w-{parent}").get_by_role("button").click()
    expect(page.locator(".admin-error")).to_contain_text("has approved replies")
    page.goto(inbox.url + "/admin")
    page.locator(f"#w-{child}").get_by_role("button").click()
    expect(page.locator(".admin-notice")).to_contain_text("waits for moderation again")
    assert status_of(inbox, child) == "pending"


def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(inbox, new_page):
    target = post_comment(inbox, "Nobody may approve me by a forged form.")
    page = phone(new_page)
    sign_in(page, inbox)
    action = f"{inbox.url}/admin/comments/{target}/decide"
    for form in ({"decision": "approve"}, {"decision": "approve", "csrf": "guessed"}):
        answer = page.request.post(action, form=form, max_redirects=0)
        assert answer.status == 403
        assert "security token is missing or out of date" in answer.text()
        assert answer.headers["cache-control"] == "no-store"
    assert status_of(inbox, target) == "pending"


def test_an_expired_session_is_sent_back_to_sign_in(inbox, new_page):
    target = post_comment(inbox, "Waiting while the session runs out.")
    page = phone(new_page)
    sign_in(page, inbox)
    connection = sqlite3.connect(inbox.db_path)
    with connection:  # every session's time is up
        connection.execute("UPDATE admin_sessions SET expires_ts = 0")
    connection.close()
    card(page, target).get_by_role("button", name=re.compile("^Approve")).click()
    page.wait_for_load_state()
    assert page.url.startswith(inbox.url + "/admin/login")
    expect(page.locator(".admin-notice")).to_contain_text("Your session has ended")
    assert status_of(inbox, target) == "pending"
    page.goto(inbox.url + "/admin/workshops")
    assert page.url.startswith(inbox.url + "/admin/login?next=%2Fadmin%2Fworkshops")


def test_signing_out_on_every_device_signs_out_a_second_browser(inbox, new_page):
    laptop, telephone = phone(new_page), phone(new_page)
    sign_in(laptop, inbox)
    sign_in(telephone, inbox)
    telephone.get_by_role("button", name="Sign out on every device").click()
    expect(telephone.locator(".admin-notice")).to_contain_text("Signed out on every device")
    laptop.goto(inbox.url + "/admin/workshops")
    assert laptop.url.startswith(inbox.url + "/admin/login")
    expect(laptop.locator(".admin-notice")).to_contain_text("Your session has ended")


def test_a_roster_with_what_is_owed_and_a_cancellation_as_workshops_cancel_does(inbox, new_page):
    for name, email in (("Fay Holt", "fay@example.org"), ("Gil Park", "gil@example.org")):
        answer = httpx.post(
            inbox.url + "/workshops/the-arc/registrations",
            data={"name": name, "email": email, "seats": "1"},
            headers=JSON,
        )
        assert answer.status_code == 201, answer.text
    page = phone(new_page)
    sign_in(page, inbox, then="/admin/workshops")
    section = page.locator("section", has=page.locator("#w-the-arc"))
    expect(section).to_contain_text("2 of 12 seats taken")
    expect(section).to_contain_text("fay@example.org")
    # The Arc has a price: a seat is held until it is paid, and the roster says what is owed.
    expect(section.locator("h3").first).to_have_text("Held (2)")
    expect(section).to_contain_text("$500 USD owed")
    assert fits_the_phone(page)
    section.get_by_role("button", name="Cancel Fay Holt's registration").click()
    expect(page.locator(".admin-notice")).to_contain_text("Cancelled fay@example.org")
    expect(page.locator("section", has=page.locator("#w-the-arc"))).to_contain_text(
        "1 of 12 seats taken"
    )
    [row] = inbox.rows("SELECT status FROM registrations WHERE email = 'fay@example.org'")
    assert row["status"] == "cancelled"
    # Still on the roster, as cancelled, with nothing more to cancel.
    cancelled = page.locator("section", has=page.locator("#w-the-arc")).locator(
        "h3:has-text('Cancelled') + ol"
    )
    expect(cancelled).to_contain_text("fay@example.org")
    expect(cancelled.get_by_role("button")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_any_page_of_it(inbox, new_page, scheme):
    pending = post_comment(inbox, f"For axe to read ({scheme}).", url="https://axe.example/")
    post_comment(inbox, f"A reply for axe ({scheme}).", parent=pending)
    approved = post_comment(inbox, f"Approved, waiting for the pull ({scheme}).")
    httpx.post(
        f"{inbox.url}/comments/{approved}/approve",
        headers={**JSON, "Authorization": f"Bearer {ADMIN_TOKEN}"},
    ).raise_for_status()
    # axe is injected as a script, which the page's own policy forbids.
    page = phone(new_page, color_scheme=scheme, bypass_csp=True)
    page.goto(inbox.url + "/admin/login")
    found = {"login": axe_violations(page)}
    sign_in(page, inbox)
    for path in ("/admin", f"/admin/comments/{pending}", "/admin/workshops", "/admin/comments/x"):
        page.goto(inbox.url + path)
        found[path] = axe_violations(page)
        assert fits_the_phone(page), path
    assert found == {path: [] for path in found}
