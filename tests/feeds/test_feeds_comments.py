"""Comments in feeds: a new comment file shows up in its essay's feed and the site's."""

from tests.feeds.conftest import COMMENT_ID, COMMENTED_SLUG
from tests.feeds.feed_helpers import CANONICAL, entry_by_link, head_feed_links, parse

COMMENTED_URL = f"{CANONICAL}/essays/2026/09/{COMMENTED_SLUG}/"


def test_a_comment_appears_in_its_essays_feed_and_the_sites(changed_site):
    anchor = f"{COMMENTED_URL}#comment-{COMMENT_ID}"
    for fmt in ("atom", "rss"):
        thread = parse(changed_site.output / "feeds" / "comments" / f"{COMMENTED_SLUG}.{fmt}.xml")
        everything = parse(changed_site.output / "feeds" / f"comments.{fmt}.xml")
        for parsed in (thread, everything):
            assert not parsed.bozo, parsed.get("bozo_exception")
            entry = entry_by_link(parsed, anchor)
            assert (
                entry.id
                == f"tag:letterpress.example,2026-11-25:comments/{COMMENTED_SLUG}/{COMMENT_ID}"
            )
            # RSS carries a comment (no summary) in <description>, which feedparser calls summary.
            text = entry.content[0].value if "content" in entry else entry.summary
            assert "two of our teams merged" in text
            assert "Rosa Lindqvist" in entry.author


def test_an_essay_page_advertises_its_comments_feed(changed_site):
    links = head_feed_links(changed_site.output, f"essays/2026/09/{COMMENTED_SLUG}/")
    assert ("application/atom+xml", f"feeds/comments/{COMMENTED_SLUG}.atom.xml") in links
    assert ("application/rss+xml", f"feeds/comments/{COMMENTED_SLUG}.rss.xml") in links
