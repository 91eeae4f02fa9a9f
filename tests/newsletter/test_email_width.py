"""The e-mail fits a 375 px phone screen, with images shown or blocked."""

import pytest

from tests.support import TODAY

pytestmark = pytest.mark.browser

MONTH = TODAY[:7]


@pytest.mark.parametrize("images", ["shown", "blocked"])
def test_the_email_stays_within_a_phone_screen(site, new_page, images):
    email = site.build / "newsletter" / MONTH / "email.html"
    page = new_page(viewport={"width": 375, "height": 800})
    # Nothing leaves the machine: images come from the built site, or not at all.
    masthead = site.output / "theme" / "images" / "newsletter-masthead.png"

    def answer(route):
        if images == "shown" and route.request.url.endswith("newsletter-masthead.png"):
            route.fulfill(path=str(masthead))
        else:
            route.abort()

    page.route("**/*", answer)
    page.set_content(email.read_text("utf-8"), wait_until="load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the e-mail is {width} px wide with images {images}"
