"""Builds that must change content: comment mistakes stop the build, and hostile comments
(500+ bodies, hostile names and websites) reach output/ without any executable markup."""

import datetime as dt
import json
import re

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from letterpress.comments import Comment, write_comment
from tests.comments.hostile import HOSTILE_BODIES, dangerous_markup, executable_markup_in_page
from tests.support import run_build

ESSAY = "generative-not-competitive"
ESSAY_PAGE = "essays/2026/09/generative-not-competitive/"
SCHEDULED = "the-quiet-quarter"  # dated after the tests' build date
START = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
HOSTILE_NAMES = [
    "<script>alert('name')</script>",
    '"><img src=x onerror=alert(1)>',
    "Mallory\u202egnp.exe",
    "{{ SITENAME }} {% raw %}",
]


def comment(cid, body="Hello.", reply_to=None, minutes=0, essay=ESSAY, **extra):
    return Comment(
        id=cid,
        essay=essay,
        author=extra.pop("author", f"Reader {cid}"),
        date=START + dt.timedelta(minutes=minutes),
        body=body,
        reply_to=reply_to,
        **extra,
    )


def test_comment_mistakes_stop_the_build_naming_each_file(content_copy, tmp_path):
    for mistake in [
        comment("lost", essay="no-such-essay"),
        comment("dangling", reply_to="no-such-comment"),
        comment("20260914-1122-q4mr", essay="slack-is-not-waste"),  # an Id the sample uses
        comment("loop-a", reply_to="loop-b"),
        comment("loop-b", reply_to="loop-a", minutes=1),
    ]:
        write_comment(content_copy, mistake)
    result = run_build(content_copy, tmp_path / "output", tmp_path / "build")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    comments = content_copy / "comments"
    assert f"{comments / 'no-such-essay'}: comments for an essay that does not exist" in output
    assert f"{comments / ESSAY / 'dangling.md'}: Reply-To 'no-such-comment'" in output
    assert f"{comments / 'slack-is-not-waste' / '20260914-1122-q4mr.md'}: duplicate Id" in output
    assert f"{comments / ESSAY / 'loop-a.md'}: its Reply-To chain comes back" in output
    assert "The build failed" in output


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The sample with every hostile body as a comment, hostile names and websites in a deep
    chain of replies, and one essay closed to comments."""
    from tests.support import copy_content

    base = tmp_path_factory.mktemp("hostile")
    content = copy_content(base / "content")
    for number, body in enumerate(HOSTILE_BODIES):
        write_comment(content, comment(f"hostile-{number:04d}", body, minutes=number))
    parent = None
    for level in range(8):
        cid = f"chain-{level}"
        name = HOSTILE_NAMES[level % len(HOSTILE_NAMES)]
        url = 'https://evil.example/"onmouseover="alert(1)' if level % 2 else ""
        write_comment(content, comment(cid, "Deeper.", parent, 5000 + level, author=name, url=url))
        parent = cid
    write_comment(content, comment("early-bird", "Seen before it was out.", essay=SCHEDULED))
    closed = content / "essays" / "slack-is-not-waste.md"
    closed.write_text(closed.read_text("utf-8").replace("\n\n", "\nComments: closed\n\n", 1))
    result = run_build(content, base / "output", base / "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "output"


def tags_of(html: str) -> set[str]:
    return {tag.name for tag in BeautifulSoup(html, "html.parser").find_all(True)}


def test_no_executable_markup_reaches_any_built_page(hostile_site, site):
    comment_tags = {"blockquote", "code", "pre", "ul", "ol", "li", "em", "strong", "p", "a", "br"}
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text("utf-8")
        # The same page without hostile comments, from the session's build of the sample.
        baseline = (site.output / page.relative_to(hostile_site)).read_text("utf-8")
        allowed = tags_of(baseline) | comment_tags
        assert executable_markup_in_page(html, allowed) == [], page
        assert html.count("<script") <= baseline.count("<script"), page
    essay = BeautifulSoup(
        (hostile_site / ESSAY_PAGE / "index.html").read_text("utf-8"), "html.parser"
    )
    assert len(essay.select("li[id^=comment-hostile-]")) == len(HOSTILE_BODIES)


RSS_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def carries_html(element) -> bool:
    """Feed elements whose text a reader renders as HTML (Atom type="html", RSS descriptions);
    names and plain-text titles are shown as text, whatever characters they hold."""
    if element.tag in ("description", RSS_CONTENT):
        return True
    return element.get("type") == "html"


def test_feeds_and_data_files_carry_no_executable_markup(hostile_site):
    """Comment feeds embed the rendered comments as escaped HTML: unescaped, it is still safe."""
    files = [p for p in hostile_site.rglob("*") if p.suffix in (".xml", ".json", ".txt")]
    assert any(p.suffix == ".xml" for p in files)
    for path in files:
        if path.suffix == ".xml":
            texts = [e.text or "" for e in etree.parse(str(path)).iter() if carries_html(e)]
        else:
            texts = [path.read_text("utf-8")]
        for text in texts:
            assert dangerous_markup(text) == [], path
    feed = hostile_site / "feeds" / "comments" / f"{ESSAY}.atom.xml"
    rendered = [e.text or "" for e in etree.parse(str(feed)).iter() if carries_html(e)]
    assert any("&lt;" in text for text in rendered)  # hostile bodies are in it, defused


def test_hostile_names_and_websites_are_shown_literally(hostile_site):
    soup = BeautifulSoup(
        (hostile_site / ESSAY_PAGE / "index.html").read_text("utf-8"), "html.parser"
    )
    names = [b.get_text() for b in soup.select("li[id^=comment-chain-] .comment-meta b")]
    assert names[0] == HOSTILE_NAMES[0]
    assert "Mallorygnp.exe" in names  # the direction override is gone, the letters stay
    link = soup.select_one("#comment-chain-1 .comment-meta b a")
    assert link["href"] == 'https://evil.example/"onmouseover="alert(1)'
    assert not any(attr.startswith("on") for attr in link.attrs)
    # Below the fifth level, replies stay at the last level and say whom they answer.
    marked = soup.select_one("#comment-chain-6 .comment-meta span:not(.author-badge)")
    assert marked.get_text() == f"in reply to {names[5]}"


def test_a_closed_essay_shows_no_form_and_the_manifest_says_so(hostile_site):
    page = (hostile_site / "essays/2026/10/slack-is-not-waste/index.html").read_text("utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one("form#respond") is None
    assert soup.select_one(".comments-closed").get_text() == "Comments are closed."
    manifest = json.loads((hostile_site / "letterpress.json").read_text("utf-8"))
    assert manifest["essays"]["slack-is-not-waste"]["comments_open"] is False
    assert re.search(r"reply-link", page) is None


def test_comments_on_a_scheduled_essay_wait_for_it(hostile_site):
    """The build succeeds (the fixture checks) and the comment appears nowhere yet."""
    for path in hostile_site.rglob("*"):
        if path.suffix in {".html", ".xml", ".json"}:
            assert "early-bird" not in path.read_text("utf-8"), path
