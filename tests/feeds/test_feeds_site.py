"""The built sample site's feeds: valid, absolute, and advertised by the pages they concern."""

from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from lxml import etree

from tests.feeds.feed_helpers import (
    CANONICAL,
    entry_by_link,
    feed_files,
    head_feed_links,
    parse,
)

ATOM, RSS = "application/atom+xml", "application/rss+xml"
ESSAY = "essays/2026/09/generative-not-competitive/"


def test_every_feed_parses_without_a_bozo_error(site):
    files = feed_files(site.output)
    assert len(files) >= 2 + 2 * 3, [str(f) for f in files]  # all essays, and each category
    for path in files:
        parsed = parse(path)
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version in {"atom10", "rss20"}, path


def test_every_entry_has_an_absolute_link_and_a_unique_id(site):
    for path in feed_files(site.output):
        parsed = parse(path)
        ids = [entry.id for entry in parsed.entries]
        assert len(ids) == len(set(ids)), f"{path}: repeated ids"
        for entry in parsed.entries:
            assert entry.id, f"{path}: entry without an id"
            assert entry.link.startswith(CANONICAL + "/"), f"{path}: {entry.link}"


def test_each_feed_names_its_own_address_as_rel_self(site):
    for path in feed_files(site.output):
        parsed = parse(path)
        selves = [link.href for link in parsed.feed.links if link.rel == "self"]
        relative = path.relative_to(site.output).as_posix()
        assert selves == [f"{CANONICAL}/{relative}"], path


def test_the_all_essays_feeds_hold_every_published_essay_in_full(site):
    pages = {page.parent.name for page in (site.output / "essays").glob("*/*/*/index.html")}
    for name in ("all.atom.xml", "all.rss.xml"):
        parsed = parse(site.output / "feeds" / name)
        slugs = {urlsplit(e.link).path.rstrip("/").rsplit("/", 1)[1] for e in parsed.entries}
        assert slugs == pages
        assert "the-quiet-quarter" not in slugs  # scheduled for after the build date
        essay = entry_by_link(parsed, f"{CANONICAL}/{ESSAY}")
        assert len(essay.content[0].value.split()) > 1000  # the ~1,500-word essay, not a teaser
        assert essay.summary.strip()


def test_links_and_images_inside_entries_are_absolute(site):
    for path in feed_files(site.output):
        for entry in parse(path).entries:
            html = " ".join(c.value for c in entry.get("content", [])) + entry.get("summary", "")
            soup = BeautifulSoup(html, "html.parser")
            for tag in soup.find_all(href=True):
                assert urlsplit(tag["href"]).scheme in {"http", "https", "mailto"}, tag
            for tag in soup.find_all(src=True):
                assert urlsplit(tag["src"]).scheme in {"http", "https"}, tag


def test_essay_entries_carry_author_categories_and_times_with_offsets(site):
    essay = entry_by_link(parse(site.output / "feeds" / "all.atom.xml"), f"{CANONICAL}/{ESSAY}")
    assert essay.id == "tag:letterpress.example,2026-09-14:essays/generative-not-competitive"
    assert essay.author == "Miriam Okafor"
    assert {tag.term for tag in essay.tags} >= {"leadership", "culture", "teams"}
    assert essay.published == "2026-09-14T08:00:00-07:00"
    assert essay.updated.endswith("-07:00")
    rss = entry_by_link(parse(site.output / "feeds" / "all.rss.xml"), f"{CANONICAL}/{ESSAY}")
    assert rss.id == essay.id
    assert rss.guidislink is False


def test_category_and_tag_feeds_keep_pelican_style_paths(site):
    feeds = site.output / "feeds"
    assert (feeds / "leadership.atom.xml").is_file()
    assert (feeds / "leadership.rss.xml").is_file()
    assert (feeds / "tag" / "culture.atom.xml").is_file()
    assert (feeds / "tag" / "culture.rss.xml").is_file()
    culture = parse(feeds / "tag" / "culture.atom.xml")
    assert f"{CANONICAL}/{ESSAY}" in {e.link for e in culture.entries}


def test_every_page_head_advertises_the_site_feeds_and_only_written_ones(site):
    site_feeds = [(ATOM, "feeds/all.atom.xml"), (RSS, "feeds/all.rss.xml")]
    for url_path in ("", ESSAY, "category/leadership/", "tag/culture/", "about/", "essays/"):
        links = head_feed_links(site.output, url_path)
        assert links[:2] == site_feeds, url_path
        for _, path in links:
            assert (site.output / path).is_file(), f"{url_path or 'home'} links missing {path}"


def test_category_and_tag_pages_advertise_their_own_feed(site):
    category = head_feed_links(site.output, "category/leadership/")
    assert (ATOM, "feeds/leadership.atom.xml") in category
    assert (RSS, "feeds/leadership.rss.xml") in category
    tag = head_feed_links(site.output, "tag/culture/")
    assert (ATOM, "feeds/tag/culture.atom.xml") in tag
    assert (ATOM, "feeds/leadership.atom.xml") not in tag


def test_the_subscribe_box_and_footer_link_the_feeds(site):
    soup = BeautifulSoup(site.page(ESSAY).read_text("utf-8"), "html.parser")
    box = soup.select_one(".subscribe-box")
    assert {a["href"].rsplit("/", 2)[-1] for a in box.select("a[type]")} == {
        "all.atom.xml",
        "all.rss.xml",
    }
    footer = soup.select_one("footer.site-footer ul")
    feed_hrefs = [a["href"] for a in footer.select("li a[href*='feeds/']")]
    assert any(href.endswith("feeds/all.atom.xml") for href in feed_hrefs)
    for href in feed_hrefs:
        resolved = urlsplit(href).path
        assert (site.page(ESSAY).parent / resolved).resolve().is_file(), href


def test_the_workshops_feed_announces_upcoming_workshops_only(site):
    for fmt in ("atom", "rss"):
        parsed = parse(site.output / "feeds" / f"workshops.{fmt}.xml")
        assert not parsed.bozo, parsed.get("bozo_exception")
        links = [entry.link for entry in parsed.entries]
        assert f"{CANONICAL}/workshops/the-arc/" in links
        assert f"{CANONICAL}/workshops/first-hundred-days/" not in links  # over before today
    arc = parse(site.output / "feeds" / "workshops.atom.xml").entries[0]
    assert arc.title == "The Arc: Seattle, May 14–15, 2027"
    assert "$500 USD" in arc.content[0].value
    footer = BeautifulSoup(site.page("").read_text("utf-8"), "html.parser").select_one("footer")
    assert footer.find("a", href="./feeds/workshops.atom.xml")


def test_the_newsletter_feed_has_an_entry_for_each_web_issue(site):
    issues = sorted(p.parent for p in (site.output / "newsletter").glob("*/*/index.html"))
    assert issues, "the sample site has no newsletter issue"
    expected = {f"{CANONICAL}/{p.relative_to(site.output).as_posix()}/" for p in issues}
    for fmt in ("atom", "rss"):
        parsed = parse(site.output / "feeds" / f"newsletter.{fmt}.xml")
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert {entry.link for entry in parsed.entries} == expected
    newest = parse(site.output / "feeds" / "newsletter.atom.xml").entries[0]
    month = issues[-1].relative_to(site.output / "newsletter").as_posix().replace("/", "-")
    assert newest.id.endswith(f":newsletter/{month}")
    assert newest.content[0].value.strip()


def test_rss_guids_that_are_not_web_addresses_say_so(site):
    """The W3C validator rejects a guid that is not a URL unless isPermaLink="false"."""
    rss_files = [p for p in feed_files(site.output) if p.name.endswith(".rss.xml")]
    assert rss_files
    for path in rss_files:
        for guid in etree.parse(str(path)).iterfind("channel/item/guid"):
            is_url = guid.text.startswith(("http://", "https://"))
            assert guid.get("isPermaLink") == ("true" if is_url else "false"), path


def test_a_video_reaches_feed_readers_as_a_link_without_the_pages_click_caption(site):
    """The page's caption says the video plays on a click, which is true only where the theme's
    script runs; a feed reader gets a plain link to the video's page, titled."""
    for name in ("all.atom.xml", "all.rss.xml"):
        parsed = parse(site.output / "feeds" / name)
        essay = next(e for e in parsed.entries if "slack-is-not-waste" in e.link)
        soup = BeautifulSoup(essay.content[0].value, "html.parser")
        assert "when you click" not in soup.get_text()
        link = soup.find("a", href="https://www.youtube.com/watch?v=M7lc1UVf-VE")
        assert link is not None and link.get_text() == "Watch a queue fall off the cliff"
