"""letterpress/feeds: which feeds exist, what their entries say, and the XML, without Pelican."""

import datetime as dt

import feedparser
import pytest
from lxml import etree

from letterpress.feeds import (
    DEFAULT_PATHS,
    FeedSettingError,
    feed_paths,
    plan_feeds,
    render_feed,
)
from letterpress.html_urls import absolutize
from tests.feeds.feed_fixtures import (
    BASE,
    Comment,
    Issue,
    essay,
    moment,
    site,
    term,
    workshop,
)


def feed_of(feeds, kind, key=""):
    return next(f for f in feeds if (f.kind, f.key) == (kind, key))


def kinds(feeds):
    return {(f.kind, f.key) for f in feeds}


# -- links ----------------------------------------------------------------------------------------


def test_relative_links_and_images_become_absolute_against_the_page():
    html = (
        '<p>See <a href="../other/">this</a> and <a href="#notes">notes</a>.</p>'
        '<img src="/images/a.png" srcset="a.png 1x, /images/b.png 2x" alt="">'
    )
    page = f"{BASE}/essays/2026/09/slug/"
    result = absolutize(html, page)
    assert f'href="{BASE}/essays/2026/09/other/"' in result
    assert f'href="{page}#notes"' in result
    assert f'src="{BASE}/images/a.png"' in result
    assert f'srcset="{page}a.png 1x, {BASE}/images/b.png 2x"' in result


def test_absolute_and_mail_links_are_left_alone_and_text_is_kept():
    html = (
        'Lead text <a href="https://example.org/x">x</a> <a href="mailto:m@x.example">m</a> &amp; é'
    )
    result = absolutize(html, f"{BASE}/essays/")
    assert result.startswith("Lead text ")
    assert 'href="https://example.org/x"' in result
    assert 'href="mailto:m@x.example"' in result
    assert "&amp; é" in result


# -- ids ------------------------------------------------------------------------------------------


def test_an_essay_id_is_a_tag_uri_from_domain_first_publication_date_and_slug():
    feeds = plan_feeds(site([essay("slack-is-not-waste", "2026-10-20")]), DEFAULT_PATHS, 20)
    entry = feed_of(feeds, "essays").entries[0]
    assert entry.id == "tag:letterpress.example,2026-10-20:essays/slack-is-not-waste"


def test_editing_an_essay_changes_its_updated_time_but_never_its_id():
    original = essay("slack-is-not-waste", "2026-10-20")
    edited = essay(
        "slack-is-not-waste",
        "2026-10-20",
        title="Slack is not waste (revised)",
        updated=moment("2026-11-02", 14),
        summary_html="<p>New summary.</p>",
        content_html=lambda: "<p>Rewritten from the first line.</p>",
    )
    before = feed_of(plan_feeds(site([original]), DEFAULT_PATHS, 20), "essays").entries[0]
    after = feed_of(plan_feeds(site([edited]), DEFAULT_PATHS, 20), "essays").entries[0]
    assert after.id == before.id
    assert after.published == before.published
    assert after.updated == moment("2026-11-02", 14) > before.updated


def test_a_pinned_feed_id_wins_over_the_computed_one():
    pinned = essay("renamed", "2026-10-20", pinned_id="https://old.example/?p=42")
    entry = feed_of(plan_feeds(site([pinned]), DEFAULT_PATHS, 20), "essays").entries[0]
    assert entry.id == "https://old.example/?p=42"


# -- the table ------------------------------------------------------------------------------------


def test_each_category_and_tag_gets_its_own_feed_with_pelican_paths():
    essays = [
        essay("a", "2026-09-01", tags=(term("teams"), term("remote work"))),
        essay("b", "2026-09-02", category=term("Craft", "category"), tags=(term("teams"),)),
    ]
    feeds = plan_feeds(site(essays), DEFAULT_PATHS, 20)
    assert feed_of(feeds, "category", "craft").paths == {
        "atom": "feeds/craft.atom.xml",
        "rss": "feeds/craft.rss.xml",
    }
    assert feed_of(feeds, "tag", "remote-work").paths["atom"] == "feeds/tag/remote-work.atom.xml"
    assert [e.link for e in feed_of(feeds, "tag", "teams").entries] == [
        essays[1].url,
        essays[0].url,
    ]
    assert feed_of(feeds, "essays").paths["rss"] == "feeds/all.rss.xml"


def test_feed_max_items_keeps_the_newest_entries():
    essays = [essay(f"e{n}", f"2026-0{n}-01") for n in range(1, 8)]
    feeds = plan_feeds(site(essays), DEFAULT_PATHS, 3)
    assert [e.link for e in feed_of(feeds, "essays").entries] == [
        essays[6].url,
        essays[5].url,
        essays[4].url,
    ]
    assert all(len(f.entries) <= 3 for f in feeds)


def test_only_the_newest_essays_carry_their_whole_text_the_rest_their_summary():
    essays = [essay(f"e{n}", f"2026-0{n}-01") for n in range(1, 8)]
    feeds = plan_feeds(site(essays), DEFAULT_PATHS, 5, full_text_items=2)
    entries = feed_of(feeds, "essays").entries
    assert [bool(e.content_html) for e in entries] == [True, True, False, False, False]
    assert all(e.summary_html for e in entries)
    atom = feedparser.parse(render_feed(feed_of(feeds, "essays"), site(essays))["atom"])
    assert ["content" in e for e in atom.entries] == [True, True, False, False, False]
    assert all(e.summary for e in atom.entries)


def test_sources_without_a_provider_have_no_feed():
    feeds = plan_feeds(site([essay("a", "2026-09-01")]), DEFAULT_PATHS, 20)
    assert {kind for kind, _ in kinds(feeds)} == {"essays", "category", "tag"}


def test_comments_feed_the_site_and_each_thread_newest_first():
    essays = [
        essay("open", "2026-09-01"),
        essay("closed-quiet", "2026-09-02", comments_open=False),
        essay("closed-talked", "2026-09-03", comments_open=False),
        essay("open-quiet", "2026-09-04"),
    ]
    comments = [
        Comment("c1", "open", "Karl Ames", moment("2026-09-05"), "<p>First.</p>"),
        Comment("c2", "closed-talked", "Ama Mensah", moment("2026-09-06"), "<p>Second.</p>"),
        Comment(
            "c3", "open", "Miriam Okafor", moment("2026-09-07"), "<p>Reply.</p>", role="author"
        ),
        Comment("c4", "withheld-draft", "Someone", moment("2026-09-08"), "<p>Hidden.</p>"),
    ]
    feeds = plan_feeds(site(essays, comments=comments), DEFAULT_PATHS, 20)
    everything = feed_of(feeds, "comments")
    assert [e.link.rsplit("#", 1)[1] for e in everything.entries] == [
        "comment-c3",
        "comment-c2",
        "comment-c1",
    ]
    thread = feed_of(feeds, "essay-comments", "open")
    assert thread.paths["atom"] == "feeds/comments/open.atom.xml"
    assert [e.id for e in thread.entries] == [
        "tag:letterpress.example,2026-09-07:comments/open/c3",
        "tag:letterpress.example,2026-09-05:comments/open/c1",
    ]
    # An essay with no comments has nothing to follow yet, open or closed; one with comments
    # keeps its feed.
    assert ("essay-comments", "closed-quiet") not in kinds(feeds)
    assert ("essay-comments", "open-quiet") not in kinds(feeds)
    assert ("essay-comments", "closed-talked") in kinds(feeds)


def test_the_workshops_feed_holds_those_not_yet_over_soonest_first():
    workshops = [
        workshop("later", "2027-09-09"),
        workshop("past", "2026-05-30"),
        workshop("running", "2026-11-25"),
        workshop("sooner", "2027-05-14"),
    ]
    feeds = plan_feeds(site([essay("a", "2026-09-01")], workshops=workshops), DEFAULT_PATHS, 20)
    entries = feed_of(feeds, "workshops").entries
    links = [e.link for e in entries]
    assert links == [f"{BASE}/workshops/{slug}/" for slug in ("running", "sooner", "later")]
    sooner = entries[1]
    assert sooner.id == "tag:letterpress.example,2027-05-14:workshops/sooner"
    assert sooner.title == "Sooner: Seattle, May 14–15, 2027"
    assert "$500 USD" in sooner.content_html
    assert "311 Occidental Avenue South" in sooner.content_html


def test_the_newsletter_archive_feed_lists_issues_newest_first():
    issues = [
        Issue(
            "2026-10", "October", "Slack.", "newsletter/2026/10/", dt.date(2026, 10, 31), "<p>O</p>"
        ),
        Issue(
            "2026-11",
            "November",
            "Hiring.",
            "newsletter/2026/11/",
            dt.date(2026, 11, 30),
            "<p>N</p>",
        ),
    ]
    feeds = plan_feeds(site([essay("a", "2026-09-01")], issues=issues), DEFAULT_PATHS, 20)
    newsletter = feed_of(feeds, "newsletter")
    assert newsletter.paths["atom"] == "feeds/newsletter.atom.xml"
    assert [e.title for e in newsletter.entries] == ["November", "October"]
    assert newsletter.entries[0].link == f"{BASE}/newsletter/2026/11/"
    assert newsletter.entries[0].published.utcoffset() is not None


def test_two_feeds_on_one_path_are_refused_naming_both():
    essays = [essay("a", "2026-09-01", category=term("Comments", "category"))]
    with pytest.raises(FeedSettingError, match=r"category feed 'comments'.*feeds/comments\.atom"):
        plan_feeds(site(essays, comments=[]), DEFAULT_PATHS, 20)


def test_feed_paths_can_turn_a_format_off_and_reject_bad_settings():
    paths = feed_paths({"tag": ("feeds/tag/{slug}.atom.xml", None)})
    feeds = plan_feeds(site([essay("a", "2026-09-01")]), paths, 20)
    assert feed_of(feeds, "tag", "teams").paths == {"atom": "feeds/tag/teams.atom.xml"}
    with pytest.raises(FeedSettingError, match="unknown feed 'podcast'"):
        feed_paths({"podcast": ("a.xml", "b.xml")})
    with pytest.raises(FeedSettingError, match=r"FEED_PATHS\['category'\].*\{slug\}"):
        feed_paths({"category": ("feeds/category.atom.xml", None)})


# -- the XML --------------------------------------------------------------------------------------


def rendered(fmt="atom", **sources):
    facts = site([essay("slack-is-not-waste", "2026-10-20")], **sources)
    feeds = plan_feeds(facts, DEFAULT_PATHS, 20)
    return feeds, facts


def test_atom_entries_carry_full_content_summary_author_categories_and_offsets():
    feeds, facts = rendered()
    xml = render_feed(feed_of(feeds, "essays"), facts)["atom"]
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.links[0] == {
        "href": f"{BASE}/feeds/all.atom.xml",
        "rel": "self",
        "type": "application/atom+xml",
    }
    entry = parsed.entries[0]
    assert entry.id == "tag:letterpress.example,2026-10-20:essays/slack-is-not-waste"
    assert f'href="{BASE}/essays/2026/10/other/"' in entry.content[0].value
    assert entry.summary == "<p>About slack-is-not-waste.</p>"
    assert entry.author == "Miriam Okafor"
    assert {t.term for t in entry.tags} == {"leadership", "teams"}
    assert entry.published == "2026-10-20T08:00:00-07:00"
    assert entry.updated == "2026-10-20T08:00:00-07:00"


def test_rss_guid_is_not_a_permalink_and_the_channel_links_the_site():
    feeds, facts = rendered()
    root = etree.fromstring(render_feed(feed_of(feeds, "essays"), facts)["rss"])
    channel = root.find("channel")
    assert channel.findtext("link") == f"{BASE}/"
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link.get("href") == f"{BASE}/feeds/all.rss.xml"
    guid = channel.find("item/guid")
    assert guid.get("isPermaLink") == "false"
    assert guid.text.startswith("tag:")
    assert channel.findtext("item/pubDate") == "Tue, 20 Oct 2026 08:00:00 -0700"
    creator = channel.findtext("item/{http://purl.org/dc/elements/1.1/}creator")
    assert creator == "Miriam Okafor"
    assert channel.find("item/author") is None  # RSS <author> must be an e-mail address


def test_the_same_facts_give_the_same_bytes():
    feeds, facts = rendered(comments=[])
    again, _ = rendered(comments=[])
    for feed, twin in zip(feeds, again, strict=True):
        assert render_feed(feed, facts) == render_feed(twin, facts)


def test_an_empty_feed_is_dated_by_the_newest_essay_and_still_valid():
    feeds, facts = rendered(comments=[])
    empty = feed_of(feeds, "comments")
    assert empty.entries == ()
    assert empty.updated == moment("2026-10-20")
    for fmt in ("atom", "rss"):
        assert not feedparser.parse(render_feed(empty, facts)[fmt]).bozo
