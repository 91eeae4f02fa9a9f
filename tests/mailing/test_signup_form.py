"""The sign-up form on the built site: where it posts, its fields, and the "check your inbox"
notice that CSS :target reveals after the inbox's 303."""

import json

import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader
from mailing_helpers import start_inbox_process

from tests.support import ROOT

ESSAY = "essays/2026/09/generative-not-competitive/"


def forms(html: str):
    return BeautifulSoup(html, "html.parser").select("form.signup")


def test_every_page_has_the_form_in_the_subscribe_box_and_the_footer_points_to_it(site):
    for url in (ESSAY, "", "about/", "further-information/"):
        html = site.page(url).read_text()
        [box] = [form for form in forms(html) if "signup-box" in form["class"]]
        assert box.find_parent("section", class_="subscribe-box") is not None
        assert box["method"] == "post"
        assert box["action"] == "http://127.0.0.1:8001/subscribe"
        # One field and one button: sending the form is the consent (no box to tick).
        names = [field["name"] for field in box.select("input")]
        assert names == ["email", "return", "website"]
        assert len(box.select("button")) == 1
        assert box.select_one('input[name="return"]')["value"] == f"/{url}#subscribed"
        for field in box.select("input:not([type=hidden])"):
            assert box.select_one(f'label[for="{field["id"]}"]'), field["id"]
        assert box.select_one("#subscribed.notice") is not None
        footer = BeautifulSoup(html, "html.parser").find("footer", class_="site-footer")
        signup = footer.find("a", string="E-mail sign-up")
        assert signup is not None and signup["href"] == "#subscribe-heading"
        assert box.find_parent("section")["aria-labelledby"] == "subscribe-heading"


def test_the_subscribe_page_and_the_newsletter_page_hold_the_form_itself_and_only_it(site):
    for url in ("subscribe/", "newsletter/"):
        html = BeautifulSoup(site.page(url).read_text(), "html.parser")
        [form] = html.select("form.signup")
        assert form.find_parent("main") is not None
        assert form["id"] == "signup-page"
        footer = html.find("footer", class_="site-footer")
        assert footer.find("a", string="E-mail sign-up")["href"] == "#signup-page"
        assert form.select_one("#subscribed-page.notice") is not None
        assert form.select_one('input[name="return"]')["value"] == f"/{url}#subscribed-page"
        assert [field["name"] for field in form.select("input")] == ["email", "return", "website"]


def render_partial(**context) -> str:
    env = Environment(loader=FileSystemLoader(ROOT / "theme" / "templates"), autoescape=True)
    return env.get_template("partials/subscribe_email.html").render(**context)


def test_without_an_inbox_the_form_posts_to_mailchimps_hosted_form():
    hosted = "https://example.us21.list-manage.com/subscribe/post?u=abc&id=def"
    [form] = forms(render_partial(INBOX_URL="", MAILCHIMP_SIGNUP_URL=hosted))
    assert form["action"] == hosted
    assert [field["name"] for field in form.select("input")] == ["EMAIL"]
    assert form.select_one("#subscribed") is None


def test_without_an_inbox_or_a_hosted_form_there_is_no_form():
    assert forms(render_partial(INBOX_URL="", MAILCHIMP_SIGNUP_URL="")) == []


@pytest.mark.browser
def test_a_reader_signs_up_and_sees_check_your_inbox(site, site_url, page, tmp_path):
    inbox = start_inbox_process(tmp_path, {"LETTERPRESS_SITE_URL": site_url})
    try:
        # The sample site's forms post to the default inbox address; send them to this one.
        page.route(
            "http://127.0.0.1:8001/**",
            lambda route: route.continue_(
                url=route.request.url.replace("http://127.0.0.1:8001", inbox.url)
            ),
        )
        page.goto(f"{site_url}/{ESSAY}")
        notice = page.locator("#subscribed")
        assert not notice.is_visible()
        box = page.locator("form.signup-box")
        box.get_by_label("E-mail").fill("rosa@example.org")
        box.get_by_role("button", name="Subscribe").click()
        page.wait_for_url(f"{site_url}/{ESSAY}#subscribed")
        assert notice.is_visible()
        assert "check your inbox" in notice.inner_text()
    finally:
        inbox.stop()
    contacts = json.loads((tmp_path / "build" / "outbox" / "contacts.json").read_text())
    assert contacts["rosa@example.org"]["status"] == "pending"
