"""The sample site in headless Chromium: accessible, fits a phone, dark mode, print, search."""

import pytest

from tests.site.pages import axe_violations

pytestmark = pytest.mark.browser

ESSAY = "essays/2026/09/generative-not-competitive/"
PAGES = {"home": "", "essay": ESSAY, "archive": "essays/", "about": "about/", "search": "search/"}


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations_in_dark_mode(new_page, site_url, name):
    page = new_page(color_scheme="dark")
    page.goto(f"{site_url}/{PAGES[name]}")
    assert axe_violations(page) == []


# One page of each kind the theme renders (and the features' own pages once they exist).
EVERY_KIND = [
    *PAGES.values(),
    "category/leadership/",
    "tag/teams/",
    "essays/2026/",
    "essays/2026/10/",
    "category/",
    "tag/",
    "404.html",
    "subscribe/",
    "further-information/",
]


def test_no_page_scrolls_sideways_at_360_px(new_page, site_url):
    page = new_page(viewport={"width": 360, "height": 740})
    too_wide = {}
    for path in EVERY_KIND:
        page.goto(f"{site_url}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = width
    assert too_wide == {}, f"pages wider than a 360 px viewport: {too_wide}"


def one_page_of_each_section(output) -> list[str]:
    """The named pages, then each section's index and its first sub-page: every template."""
    urls = [*PAGES.values(), "404.html"]
    for section in sorted(d for d in output.iterdir() if (d / "index.html").is_file()):
        urls.append(f"{section.name}/")
        children = sorted(c for c in section.iterdir() if (c / "index.html").is_file())
        urls += [f"{section.name}/{c.name}/" for c in children[:1]]
    return list(dict.fromkeys(urls))


def test_axe_finds_no_violations_on_any_kind_of_page_in_light_mode(new_page, site, site_url):
    urls = one_page_of_each_section(site.output)
    assert len(urls) > 10
    page = new_page(color_scheme="light")
    found = {}
    for url in urls:
        page.goto(f"{site_url}/{url}")
        violations = axe_violations(page)
        if violations:
            found[url] = violations
    assert found == {}, f"axe violations: {found}"


def luminance(css_color: str) -> float:
    red, green, blue = (int(v) for v in css_color[css_color.index("(") + 1 : -1].split(",")[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def test_dark_mode_follows_the_system_setting(new_page, site_url):
    colours = {}
    for scheme in ("light", "dark"):
        page = new_page(color_scheme=scheme)
        page.goto(f"{site_url}/{ESSAY}")
        style = "getComputedStyle(document.body)"
        colours[scheme] = page.evaluate(f"[{style}.backgroundColor, {style}.color]")
    light_paper, light_ink = (luminance(c) for c in colours["light"])
    dark_paper, dark_ink = (luminance(c) for c in colours["dark"])
    assert light_paper > 0.9 and light_ink < 0.2
    assert dark_paper < 0.15 and dark_ink > 0.8


def test_print_shows_the_essay_without_the_site_chrome(page, site_url):
    page.goto(f"{site_url}/{ESSAY}")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """[".sidebar", ".site-footer", ".site-header nav"].map(
            (s) => getComputedStyle(document.querySelector(s)).display)"""
    )
    assert hidden == ["none", "none", "none"]
    assert page.locator(".essay-body").is_visible()


def test_search_with_javascript_finds_essays_through_pagefind(page, site_url):
    page.goto(f"{site_url}/")
    page.get_by_label("Search the essays").fill("receipt")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=receipt")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=10_000)
    assert result.inner_text() == "Feedback With a Receipt"
    result.click()
    page.wait_for_url("**/essays/2026/10/feedback-with-a-receipt/")


def test_search_without_javascript_is_still_useful(new_page, site_url):
    page = new_page(java_script_enabled=False)
    page.goto(f"{site_url}/")
    page.get_by_label("Search the essays").fill("receipt")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=receipt")
    assert "Searching needs JavaScript" in page.locator("main").inner_text()
    essay_link = page.get_by_role("link", name="Feedback With a Receipt")
    essay_link.click()
    page.wait_for_url("**/essays/2026/10/feedback-with-a-receipt/")


@pytest.mark.parametrize("width", [360, 1280], ids=["phone", "desktop"])
def test_every_page_shows_one_sign_up_form_at_any_width(new_page, site_url, width):
    """The subscribe and newsletter pages hold the form in their body; the Subscribe box, which
    sits below the page on a phone, must not show a second one there."""
    page = new_page(viewport={"width": width, "height": 800})
    counts = {}
    for path in ("subscribe/", "newsletter/", ESSAY, ""):
        page.goto(f"{site_url}/{path}")
        counts[path] = page.locator("form.signup").evaluate_all(
            "forms => forms.filter(f => f.checkVisibility()).length"
        )
    assert counts == {"subscribe/": 1, "newsletter/": 1, ESSAY: 1, "": 1}
