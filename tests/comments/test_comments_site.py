"""The sample thread as the built site shows it (the session's one build of the sample)."""

import json

import pytest
from bs4 import BeautifulSoup

ESSAY = "essays/2026/09/generative-not-competitive/"


@pytest.fixture(scope="module")
def essay(site):
    return BeautifulSoup(site.page(ESSAY).read_text("utf-8"), "html.parser")


def test_the_sample_thread_has_about_ten_comments_from_several_readers(essay):
    comments = essay.select(".comment-list li[id^=comment-]")
    assert 10 <= len(comments) <= 12
    authors = {li.select_one(".comment-meta b").get_text() for li in comments}
    assert len(authors - {"Miriam Okafor"}) >= 4
    assert essay.select_one("#comments-title").get_text() == f"{len(comments)} Comments"


def test_the_author_replies_two_levels_deep_and_is_marked(essay):
    by_author = essay.select("li.by-author")
    assert len(by_author) >= 3
    for li in by_author:
        assert li.select_one(".author-badge").get_text() == "Author"
    deepest = max(len(li.find_parents("ol", class_="comment-replies")) for li in by_author)
    assert deepest >= 2


def test_each_comment_has_a_permalink_and_a_date(essay):
    for li in essay.select(".comment-list li[id^=comment-]"):
        permalink = li.select_one(".comment-meta a[href^='#comment-']:has(time)")
        assert permalink["href"] == f"#{li['id']}"
        assert permalink.time["datetime"].startswith("2026-09-")


def test_commenters_links_are_nofollow_ugc(essay):
    links = essay.select(".comments article a[href^=http]")
    assert links
    for link in links:
        assert link["rel"] == ["nofollow", "ugc", "noopener"]


def test_the_form_posts_every_field_to_the_inbox(essay):
    form = essay.select_one("form#respond")
    assert form["method"] == "post"
    assert form["action"] == "http://127.0.0.1:8001/comments"
    assert form.select_one("input[name=essay]")["value"] == "generative-not-competitive"
    for name in ("name", "email", "body"):
        field = form.select_one(f"[name={name}]")
        assert field.has_attr("required"), name
        label = form.select_one(f"label[for={field['id']}]")
        assert label.select_one(".required"), name
    assert form.select_one("input[name=url]").get("required") is None
    assert "never published" in form.select_one("label[for=comment-email]").get_text()
    options = [o["value"] for o in form.select("select[name=parent] option")]
    assert options[0] == "" and len(options) == 1 + len(
        essay.select(".comment-list li[id^=comment-]")
    )
    honeypot = form.select_one("input[name=homepage]")
    assert honeypot["tabindex"] == "-1"
    assert honeypot.find_parent(class_="comment-hp")["aria-hidden"] == "true"
    assert essay.select_one("#comment-pending.notice")


def test_comment_counts_show_on_listings(site):
    index = BeautifulSoup(site.page("").read_text("utf-8"), "html.parser")
    counts = [a for a in index.select(".meta a") if a["href"].endswith("#comments")]
    assert [a.get_text() for a in counts] == ["11 comments"]
    assert counts[0]["href"].endswith(ESSAY + "#comments")


def test_the_manifest_lists_the_comment_ids(site):
    manifest = json.loads((site.output / "letterpress.json").read_text("utf-8"))
    entry = manifest["essays"]["generative-not-competitive"]
    assert entry["comments_open"] is True
    assert len(entry["comment_ids"]) == 11
    assert manifest["essays"]["slack-is-not-waste"]["comment_ids"] == []


def test_an_essay_without_comments_still_has_the_form(site):
    other = BeautifulSoup(
        site.page("essays/2026/10/slack-is-not-waste/").read_text("utf-8"), "html.parser"
    )
    assert other.select_one("form#respond")
    assert other.select_one(".no-comments").get_text() == "No comments yet."
