"""The pre-flight: each rule catches its problem in a deliberately broken issue, and a good
issue passes them all."""

import dataclasses
import re
import shutil

import pytest
from newsletter_helpers import SITE, SITE_NAME, SITE_URL, TIMEZONE, TODAY, comment, essay

from letterpress.newsletter import (
    RULES,
    Month,
    Sources,
    blocking,
    check_issue,
    errors,
    parse_note,
    preflight,
    read_issue,
    select_issue,
    under_check,
    write_issue,
)
from tests.support import ROOT

NOTE = "Subject: A good issue\nPreheader: All fine\n\nRead [it](/essays/2026/11/hiring/)."


@pytest.fixture
def good(tmp_path):
    """A correct issue, built into tmp_path with the few site pages it links to."""
    sources = Sources(
        essays=[essay("hiring", "2026-11-03")],
        notes=[parse_note(NOTE, "content/newsletters/2026-11.md")],
        comments=[comment("hiring", "2026-11-05", "Miriam Okafor", role="author", id="r1")],
    )
    issue = select_issue(
        Month(2026, 11), sources, today=TODAY, timezone=TIMEZONE, site_name=SITE_NAME
    )
    files = write_issue(issue, SITE, tmp_path / "build")
    output = tmp_path / "output"
    for page, body in [
        ("", "home"),
        ("essays/2026/11/hiring/", '<li id="comment-r1">reply</li>'),
        ("newsletter/2026/11/", "issue"),
    ]:
        (output / page).mkdir(parents=True, exist_ok=True)
        (output / page / "index.html").write_text(f"<html><body>{body}</body></html>", "utf-8")
    images = output / "theme" / "images"
    images.mkdir(parents=True)
    shutil.copy(ROOT / "theme" / "static" / "images" / "newsletter-masthead.png", images)
    return under_check(read_issue(files.folder), output, SITE_URL)


def codes(issue, level="error"):
    return {p.rule for p in check_issue(issue) if p.level == level}


def edit_html(issue, old, new, count=1):
    assert old in issue.html, f"the fixture issue has no {old!r} to break"
    return with_issue(issue, html=issue.html.replace(old, new, count))


def with_issue(issue, **changes):
    """The issue under check with fields of the built issue changed."""
    return dataclasses.replace(issue, issue=dataclasses.replace(issue.issue, **changes))


def add_to_body(issue, markup):
    return edit_html(issue, "</body>", markup + "</body>")


# One deliberately broken issue per rule: rule code -> how to break a good issue.
BREAKAGES = {
    "merge-tags": lambda i: edit_html(i, 'href="*|UNSUB|*"', 'href="https://example.org/u"'),
    "size": lambda i: add_to_body(i, "<p>" + "x" * (103 * 1024) + "</p>"),
    "links": lambda i: add_to_body(i, '<a href="/essays/2026/11/hiring/">relative</a>'),
    "image-alt": lambda i: edit_html(i, 'alt="Generative Leadership"', ""),
    "image-size": lambda i: edit_html(i, 'height="96"', ""),
    "preheader": lambda i: with_issue(i, preheader=""),
    "subject": lambda i: with_issue(i, subject="S" * 151),
    "script": lambda i: add_to_body(i, "<script>alert(1)</script>"),
    "form": lambda i: add_to_body(i, '<form action="https://example.org/"></form>'),
    "stylesheet": lambda i: edit_html(
        i, "</head>", '<link rel="stylesheet" href="https://example.org/s.css"></head>'
    ),
    "css": lambda i: add_to_body(i, '<div style="display: flex">side by side</div>'),
    "style-block": lambda i: edit_html(i, "<style>", "<style>p { color: red; } "),
    "text-width": lambda i: with_issue(i, text=i.text + "y" * 73 + "\n"),
}


def test_every_rule_has_a_broken_issue_to_catch():
    assert set(BREAKAGES) == {rule.code for rule in RULES}


def test_a_good_issue_passes_every_rule(good):
    assert check_issue(good) == []


@pytest.mark.parametrize("rule", sorted(BREAKAGES))
def test_each_rule_catches_its_problem(good, rule):
    broken = BREAKAGES[rule](good)
    found = errors(check_issue(broken))
    assert rule in {p.rule for p in found}, f"{rule} did not fire: {found}"
    assert all(p.message for p in found)


def test_a_dead_internal_link_names_the_missing_page(good):
    broken = add_to_body(good, f'<a href="{SITE_URL}/essays/2026/11/nowhere/">gone</a>')
    (problem,) = errors(check_issue(broken))
    assert problem.rule == "links"
    assert "dead internal link" in problem.message
    assert "essays/2026/11/nowhere/index.html" in problem.message


def test_a_link_to_a_missing_comment_anchor_is_dead(good):
    broken = add_to_body(good, f'<a href="{SITE_URL}/essays/2026/11/hiring/#comment-zz">x</a>')
    assert [p.rule for p in errors(check_issue(broken))] == ["links"]


def test_a_relative_image_is_caught(good):
    broken = edit_html(good, f'src="{SITE_URL}/theme/images/', 'src="/theme/images/')
    assert "links" in codes(broken)


def test_a_preheader_missing_from_the_html_is_caught(good):
    hidden = re.search(r'<div class="preheader"[^>]*>', good.html)[0]
    broken = edit_html(good, hidden, "<div>")
    assert codes(broken) == {"preheader"}


@pytest.mark.parametrize(
    "style",
    [
        "display:grid",
        "grid-template-columns: 1fr 1fr",
        "position: absolute; top: 0",
        "flex: 1",
    ],
)
def test_css_that_clients_ignore_is_caught_in_style_attributes(good, style):
    assert codes(add_to_body(good, f'<div style="{style}">x</div>')) == {"css"}


def test_external_fonts_are_caught(good):
    font = "@media screen { @font-face { font-family: X; src: url(https://example.org/x.woff2); } }"
    assert "css" in codes(edit_html(good, "<style>", f"<style>{font} "))


def test_between_60_and_102_kb_is_a_warning_not_an_error(good):
    heavy = add_to_body(good, "<p>" + "x" * (70 * 1024) + "</p>")
    assert errors(check_issue(heavy)) == []
    assert codes(heavy, level="warning") == {"size"}


def test_without_the_built_site_internal_links_cannot_pass(good):
    alone = dataclasses.replace(good, output=None)
    assert codes(alone) == {"links"}


def test_the_preflight_runs_without_the_tasks_against_the_built_site(good):
    """letterpress.newsletter.preflight is what `newsletter.check` and `newsletter.push` run."""
    assert preflight(good.issue, good.output, SITE_URL) == []
    (good.output / "essays" / "2026" / "11" / "hiring" / "index.html").unlink()
    assert {p.rule for p in errors(preflight(good.issue, good.output, SITE_URL))} == {"links"}
    assert "dead internal link" in blocking(good.issue, good.output, SITE_URL)[0]
    nowhere = good.output.parent / "not-built"
    unbuilt = blocking(good.issue, nowhere, SITE_URL)
    assert unbuilt and all("the built site (None) is missing" in line for line in unbuilt)
