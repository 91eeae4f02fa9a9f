"""The site's forms answer well, in Chromium against the real inbox and a real build: a refused
form comes back on the site's own page with every error beside its field and what was typed
kept; a confirmation appears beside the form that was used; the workshop page shows the seats
left and hides the form once the seat is confirmed; the e-mail sign-up is one field and one
button; every form links to the privacy page."""

import httpx
import pytest
from playwright.sync_api import expect

from tests.site.pages import axe_violations
from tests.support import ROOT, TODAY, prepare_inbox, run_build, serve_directory

ESSAY = "/essays/2026/09/generative-not-competitive/"
WORKSHOP = "/workshops/the-arc/"
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The sample site built to post to a running inbox, both served on loopback."""
    folder = tmp_path_factory.mktemp("forms")
    output = folder / "output"
    with serve_directory(output) as site_url:
        inbox = prepare_inbox(
            folder / "inbox",
            manifest_path=output / "letterpress.json",
            env={
                "LETTERPRESS_TODAY": TODAY,
                "LETTERPRESS_SITE_URL": site_url,
                "LETTERPRESS_ALLOWED_ORIGIN": site_url,
                "LETTERPRESS_COMMENT_RATE": "0",
                "LETTERPRESS_REGISTRATION_RATE": "0",
                "LETTERPRESS_SIGNUP_RATE": "0",
            },
        ).start()
        try:
            built = run_build(
                ROOT / "content",
                output,
                folder / "build",
                env={"LETTERPRESS_DEV_INBOX_URL": inbox.url},
            )
            assert built.returncode == 0, built.stdout + built.stderr
            yield site_url, inbox
        finally:
            inbox.stop()


def send_without_the_browsers_checks(page, form_selector: str) -> None:
    """Submit as a browser that checks nothing itself (or a reader who got past it)."""
    page.locator(form_selector).evaluate("form => { form.noValidate = true; }")
    page.locator(form_selector).locator("button[type=submit]").click()


@pytest.mark.browser
def test_a_refused_comment_comes_back_on_the_sites_page_with_every_error_and_the_text_kept(
    live, page
):
    site_url, inbox = live
    page.goto(site_url + ESSAY)
    body = "A thought I would hate to type twice.\n\nSecond paragraph."
    page.fill("#comment-body", body)
    page.fill("#comment-email", "not-an-address")
    page.fill("#comment-url", "not a web address")
    send_without_the_browsers_checks(page, "form#respond")
    page.wait_for_load_state()

    assert page.url == inbox.url + "/comments"
    # The site's own look: its header, its stylesheet, its footer, absolute links to the site.
    expect(page.locator(".site-name")).to_have_text("Generative Leadership")
    assert page.locator("link[rel=stylesheet]").first.get_attribute("href") == (
        site_url + "/theme/css/letterpress.css"
    )
    expect(page.locator("h1")).to_have_text("Please check your comment")
    expect(page.locator(".form-errors")).to_contain_text("3 things to correct")
    # Every error beside its field, tied to it for screen readers; what was typed is kept.
    for field, words in (
        ("name", "Name is required"),
        ("email", "is not an e-mail address"),
        ("url", "is not a web address"),
    ):
        field_input = page.locator(f"#comment-{field}")
        expect(field_input).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#comment-{field}-error")).to_contain_text(words)
        assert f"comment-{field}-error" in field_input.get_attribute("aria-describedby")
    expect(page.locator("#comment-body")).to_have_value(body)
    expect(page.locator("#comment-email")).to_have_value("not-an-address")
    expect(page.locator("#comment-url")).to_have_value("not a web address")
    expect(page.locator("#comment-body")).not_to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []

    # Corrected on that page, it goes through and back to the essay.
    page.fill("#comment-name", "Kept Text")
    page.fill("#comment-email", "kept@example.org")
    page.fill("#comment-url", "")
    page.locator("form#respond button[type=submit]").click()
    page.wait_for_url(f"{site_url}{ESSAY}#comment-pending")
    expect(page.locator("#comment-pending")).to_be_visible()
    [row] = inbox.rows("SELECT author, body FROM comments WHERE email = 'kept@example.org'")
    assert (row["author"], row["body"]) == ("Kept Text", body)


@pytest.mark.browser
def test_a_refused_registration_shows_each_error_then_the_seat_hides_the_form(live, page, new_page):
    site_url, inbox = live
    page.goto(site_url + WORKSHOP)
    figure = page.locator("#seats-left")
    expect(figure).to_have_text("12")  # nobody has registered yet
    page.fill("#reg-email", "ines@example.org")
    page.fill("#reg-phone", "call me maybe")
    page.fill("#reg-seats", "5")
    page.fill("#reg-message", "Vegetarian lunch, please.")
    send_without_the_browsers_checks(page, "#register-form")
    page.wait_for_load_state()
    assert page.url == inbox.url + "/workshops/the-arc/registrations"
    expect(page.locator("h1")).to_have_text("Please check your registration")
    for field in ("name", "phone", "seats"):
        expect(page.locator(f"#reg-{field}")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#reg-{field}-error")).to_be_visible()
    expect(page.locator("#reg-email")).to_have_value("ines@example.org")
    expect(page.locator("#reg-message")).to_have_value("Vegetarian lunch, please.")
    assert axe_violations(page) == []

    page.fill("#reg-name", "Ines First")
    page.fill("#reg-phone", "")
    page.fill("#reg-seats", "2")
    page.locator("#register-form button[type=submit]").click()
    # The Arc costs $500 and this inbox takes no cards: the seats are held until paid.
    page.wait_for_url(f"{site_url}{WORKSHOP}#held")
    expect(page.locator("#held")).to_be_visible()
    expect(page.locator("#register-form")).to_be_hidden()  # no second form under "held"

    # The live figure from the inbox, and the build's without JavaScript.
    fresh = new_page()
    fresh.goto(site_url + WORKSHOP)
    expect(fresh.locator("#seats-left")).to_have_text("10")
    expect(fresh.locator("#register-form")).to_be_visible()
    without_js = new_page(java_script_enabled=False)
    without_js.goto(site_url + WORKSHOP)
    expect(without_js.locator("#seats-left")).to_have_text("12")
    expect(without_js.locator("#seats")).to_contain_text("As of November 26, 2026: 12 of 12")
    answer = httpx.get(inbox.url + "/workshops/the-arc/seats", headers={"Origin": site_url})
    assert answer.json() == {
        "workshop": "the-arc",
        "seats": 12,
        "taken": 2,
        "left": 10,
        "state": "open",
    }
    assert answer.headers["access-control-allow-origin"] == site_url


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/newsletter/", "/subscribe/"])
def test_the_one_field_sign_up_confirms_beside_the_form_used(live, page, path):
    site_url, _ = live
    page.goto(site_url + path)
    form = page.locator("main form.signup")
    expect(form.get_by_role("textbox")).to_have_count(1)  # the robot trap is hidden from people
    expect(form.get_by_role("button")).to_have_count(1)
    form.get_by_label("E-mail").fill(f"reader{len(path)}@example.org")
    form.get_by_role("button", name="Subscribe").click()
    page.wait_for_url(f"{site_url}{path}#subscribed-page")
    expect(form.locator("#subscribed-page")).to_be_visible()
    expect(page.locator("#subscribed")).to_be_hidden()  # the sidebar's stays quiet


@pytest.mark.browser
def test_a_refused_sign_up_comes_back_with_the_address_to_correct(live, page):
    site_url, _ = live
    page.goto(site_url + "/subscribe/")
    page.fill("#su-email-page", "reader.example.org")
    send_without_the_browsers_checks(page, "#signup-page")
    page.wait_for_load_state()
    expect(page.locator("#su-email-page-error")).to_contain_text("does not look like")
    expect(page.locator("#su-email-page")).to_have_value("reader.example.org")
    page.fill("#su-email-page", "reader@example.org")
    page.locator("#signup-page button").click()
    page.wait_for_url(f"{site_url}/subscribe/#subscribed-page")


def test_every_form_links_to_the_privacy_page(live):
    site_url, _ = live
    for path, form in ((ESSAY, "respond"), (WORKSHOP, "register-form"), ("/", "signup-box")):
        html = httpx.get(site_url + path).text
        start = html.index(f'id="{form}"')
        assert "How your data is processed" in html[start : html.index("</form>", start)]


def test_scripts_get_every_error_as_json_the_first_as_before(live):
    _, inbox = live
    answer = httpx.post(
        inbox.url + "/comments",
        data={"essay": "generative-not-competitive", "email": "nope", "body": ""},
        headers=JSON,
    )
    assert answer.status_code == 400
    found = answer.json()
    assert (found["field"], found["error"]) == ("body", "Comment is required.")
    assert [e["field"] for e in found["errors"]] == ["body", "name", "email"]
