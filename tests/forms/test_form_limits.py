"""The comment form's limits come from the Python that enforces them: the maxlength the reader's
browser applies, on the essay page and on the inbox's re-shown form, equals the inbox's limit."""

import re
from types import SimpleNamespace

from bs4 import BeautifulSoup

from letterpress.inbox.comment_checks import LIMITS
from letterpress.inbox.form_pages import FormPages
from tests.support import ROOT

FIELD_IDS = {"name": "comment-name", "email": "comment-email", "url": "comment-url"}
FIELD_IDS["body"] = "comment-body"


def maxlengths(html: str) -> dict[str, int]:
    form = BeautifulSoup(html, "html.parser").select_one("form.comment-form")
    assert form is not None, "no comment form"
    return {
        field: int(form.select_one(f"#{ident}")["maxlength"]) for field, ident in FIELD_IDS.items()
    }


def test_the_essay_pages_comment_form_has_the_inboxs_limits(site):
    page = site.page("essays/2026/09/generative-not-competitive/")
    assert maxlengths(page.read_text("utf-8")) == LIMITS
    assert set(LIMITS) == set(FIELD_IDS)


def test_the_form_the_inbox_shows_again_has_the_same_limits(site):
    """The inbox renders the theme's partial from the build's copy (inbox-forms/)."""
    pages = FormPages.beside(site.output / "letterpress.json")
    template = pages.environment.get_template("partials/comment_form.html")
    article = SimpleNamespace(slug="an-essay", comment_list=[])
    html = template.render(article=article, INBOX_URL="https://inbox.example", PRIVACY_URL="")
    assert maxlengths(html) == LIMITS


def test_the_theme_writes_no_number_of_its_own():
    """Equal today is not enough: the partial must read the limits, so a changed limit moves
    the form with it."""
    source = (ROOT / "theme/templates/partials/comment_form.html").read_text("utf-8")
    assert re.findall(r'maxlength="([^"]*)"', source) == [
        "{{ COMMENT_LIMITS.body }}",
        "{{ COMMENT_LIMITS.name }}",
        "{{ COMMENT_LIMITS.email }}",
        "{{ COMMENT_LIMITS.url }}",
    ]
