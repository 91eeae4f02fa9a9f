"""The essay page in headless Chromium: videos load nothing until clicked, sharing works, and
the new parts are accessible and fit a phone. Requests that leave loopback are aborted, so no
test needs the network."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.site.pages import axe_violations

pytestmark = pytest.mark.browser

SLACK = "essays/2026/10/slack-is-not-waste/"
CANONICAL = f"https://letterpress.example/{SLACK}"
PLAYER = "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1"
NEW_PARTS = [SLACK, "series/", "series/the-honest-room/", "essays/2026/10/feedback-with-a-receipt/"]


def offline(page, site_url: str) -> list[str]:
    """Record every URL the page requests; abort any that leaves the site under test."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.route(lambda url: not url.startswith(site_url), lambda route: route.abort())
    return requested


def test_a_video_requests_nothing_from_another_site_until_it_is_clicked(new_page, site_url):
    page = new_page()
    requested = offline(page, site_url)
    page.goto(f"{site_url}/{SLACK}", wait_until="networkidle")
    assert requested and all(url.startswith(site_url) for url in requested), requested
    assert page.locator("iframe").count() == 0

    with page.expect_request(lambda request: request.url == PLAYER):
        page.get_by_role("link", name="Play the video: Watch a queue fall off the cliff").click()
    frame = page.locator("figure.video iframe")
    assert frame.get_attribute("src") == PLAYER
    assert frame.get_attribute("title") == "Watch a queue fall off the cliff"
    assert page.url == f"{site_url}/{SLACK}"


def test_without_javascript_the_video_is_a_plain_link_to_its_page(new_page, site_url):
    page = new_page(java_script_enabled=False)
    requested = offline(page, site_url)
    page.goto(f"{site_url}/{SLACK}", wait_until="networkidle")
    assert all(url.startswith(site_url) for url in requested), requested
    link = page.locator("figure.video a")
    assert link.get_attribute("href") == "https://www.youtube.com/watch?v=M7lc1UVf-VE"
    with page.expect_request(lambda request: "youtube.com/watch" in request.url):
        link.click(no_wait_after=True)
    assert page.locator("iframe").count() == 0


@pytest.mark.parametrize("java_script", [True, False], ids=["script", "no-script"])
def test_mastodon_opens_the_inboxs_page_for_the_readers_server_without_a_dialog(
    new_page, site_url, java_script
):
    page = new_page(java_script_enabled=java_script)
    offline(page, site_url)
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    page.goto(f"{site_url}/{SLACK}")
    with page.expect_request(lambda r: "/share/mastodon?" in r.url) as sent:
        page.locator(".share").get_by_role("link", name="Mastodon").click(no_wait_after=True)
    query = parse_qs(urlsplit(sent.value.url).query)
    assert query == {"text": [f"Slack Is Not Waste {CANONICAL}"]}


def test_copy_link_copies_the_essays_address_and_says_so(new_page, site_url):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    offline(page, site_url)
    page.goto(f"{site_url}/{SLACK}")
    page.locator(".share").get_by_role("link", name="Copy link").click()
    assert page.get_by_role("status").inner_text() == "Link copied."
    assert page.evaluate("navigator.clipboard.readText()") == CANONICAL
    assert page.url == f"{site_url}/{SLACK}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_the_new_parts(new_page, site_url, scheme):
    page = new_page(color_scheme=scheme)
    offline(page, site_url)
    found = {}
    for url in NEW_PARTS:
        page.goto(f"{site_url}/{url}")
        found[url] = axe_violations(page)
    page.goto(f"{site_url}/{SLACK}")
    page.locator("figure.video a").click()
    found["the video, playing"] = axe_violations(page)
    assert {url: v for url, v in found.items() if v} == {}


def test_the_new_parts_fit_a_360_px_phone(new_page, site_url):
    page = new_page(viewport={"width": 360, "height": 740})
    offline(page, site_url)
    widths = {}
    for url in NEW_PARTS:
        page.goto(f"{site_url}/{url}")
        widths[url] = page.evaluate("document.documentElement.scrollWidth")
    page.goto(f"{site_url}/{SLACK}")
    page.locator("figure.video a").click()
    widths["the video, playing"] = page.evaluate("document.documentElement.scrollWidth")
    assert {url: w for url, w in widths.items() if w > 360} == {}
