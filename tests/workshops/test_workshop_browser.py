"""Registering in Chromium: the page, the form, the inbox, and back to the page's answer."""

import pytest
from playwright.sync_api import expect

from tests.site.pages import axe_violations
from tests.support import ROOT, TODAY, run_build, serve_directory

pytestmark = pytest.mark.browser


@pytest.fixture
def served_site(tmp_path):
    """A loopback server for tmp/output, started before the site is built into it."""
    output = tmp_path / "output"
    with serve_directory(output) as url:
        yield output, url


def register(page, url: str, name: str, email: str, button: str = "Register") -> None:
    page.goto(url)
    form = page.locator("form.registration-form")  # the sign-up forms ask for a name too
    form.get_by_label("Name").fill(name)
    form.get_by_label("E-mail").fill(email)
    form.get_by_role("button", name=button).click()


def test_a_reader_registers_in_the_browser_and_the_13th_joins_the_waiting_list(
    page, served_site, start_inbox, http, tmp_path
):
    output, site_url = served_site
    inbox = start_inbox(
        manifest_path=output / "letterpress.json",
        env={
            "LETTERPRESS_TODAY": TODAY,
            "LETTERPRESS_SITE_URL": site_url,
            "LETTERPRESS_ALLOWED_ORIGIN": site_url,  # the page's script asks for the live figure
            "LETTERPRESS_REGISTRATION_RATE": "0",  # thirteen people register from 127.0.0.1
        },
    )
    built = run_build(
        ROOT / "content", output, tmp_path / "build", env={"LETTERPRESS_DEV_INBOX_URL": inbox.url}
    )
    assert built.returncode == 0, built.stdout + built.stderr
    workshop = f"{site_url}/workshops/the-arc/"

    page.goto(workshop)
    expect(page.locator("#seats")).to_contain_text("Now: 12 of 12 seats left")
    register(page, workshop, "Ines First", "ines@example.org")
    # The Arc costs $500 and this inbox has no Stripe key: the seat is held until paid by transfer.
    page.wait_for_url(f"{workshop}#held")
    expect(page.locator("#held")).to_be_visible()
    expect(page.locator("#held")).to_contain_text("your seat is held for you")
    expect(page.locator("#waitlisted")).to_be_hidden()

    for n in range(11):
        data = {"name": f"Person {n}", "email": f"person{n}@example.org"}
        assert http.post(inbox.url + "/workshops/the-arc/registrations", data=data).is_redirect

    # Every seat is held now: the live figure turns the form into the waiting list's.
    page.goto(workshop)
    expect(page.locator("#seats-left")).to_have_count(0)
    expect(page.locator("#seats")).to_contain_text("Every seat is taken just now")
    expect(page.locator("#register-heading")).to_have_text("Join the waiting list")
    register(page, workshop, "Tomas Thirteenth", "tomas@example.org", "Join the waiting list")
    page.wait_for_url(f"{workshop}#waitlisted")
    expect(page.locator("#waitlisted")).to_be_visible()
    expect(page.locator("#waitlisted")).to_contain_text("you are on the waiting list")
    expect(page.locator("#registered")).to_be_hidden()
    rows = inbox.rows("SELECT email, status, newsletter FROM registrations ORDER BY queue")
    assert (rows[0]["email"], rows[0]["status"], rows[0]["newsletter"]) == (
        "ines@example.org",
        "confirmed",
        0,
    )
    assert (rows[-1]["email"], rows[-1]["status"]) == ("tomas@example.org", "waitlisted")


WORKSHOP_PAGES = [
    "workshops/the-arc/",
    "workshops/the-arc/#registered",
    "workshops/the-arc/#held",
    "workshops/the-arc/#waitlisted",
    "workshops/first-hundred-days/",
    "workshops/",
    "essays/2026/09/generative-not-competitive/",  # the block below the essay
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_workshop_pages_pass_axe_and_fit_a_phone(new_page, site_url, scheme):
    page = new_page(color_scheme=scheme, viewport={"width": 360, "height": 740})
    problems = {}
    for path in WORKSHOP_PAGES:
        page.goto(f"{site_url}/{path}")
        violations = axe_violations(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if violations or width > 360:
            problems[path] = (violations, width)
    assert problems == {}
