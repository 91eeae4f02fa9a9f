"""The built sample site's essay pages: series, related essays, share links, videos in feeds."""

from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.essay_sources import essays_in
from tests.support import TODAY

SLACK = "essays/2026/10/slack-is-not-waste/"
MEETING = "essays/2026/09/the-meeting-after-the-meeting/"
FEEDBACK = "essays/2026/10/feedback-with-a-receipt/"
CANONICAL = "https://letterpress.example/"
PLAYER = "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1"


def soup(site, url: str) -> BeautifulSoup:
    return BeautifulSoup(site.page(url).read_text("utf-8"), "html.parser")


def resolve(url: str, href: str) -> str:
    """The site-relative URL a relative link on page `url` reaches."""
    return urljoin("/" + url, href).lstrip("/")


@pytest.fixture(scope="module")
def published(site):
    essays = [e for e in essays_in(site.content) if e.status == "published"]
    return [e for e in essays if not e.scheduled]


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


def test_each_part_of_a_series_says_which_part_it_is_and_links_its_neighbours(site):
    meeting, feedback = soup(site, MEETING), soup(site, FEEDBACK)
    assert text_of(meeting.select_one(".series-part")) == (
        "Part 1 of 2 in the series The Honest Room"
    )
    assert text_of(feedback.select_one(".series-part")) == (
        "Part 2 of 2 in the series The Honest Room"
    )
    following = meeting.select_one('.series-nav a[rel="next"]')
    assert resolve(MEETING, following["href"]) == FEEDBACK
    assert meeting.select_one('.series-nav a[rel="prev"]') is None
    back = feedback.select_one('.series-nav a[rel="prev"]')
    assert resolve(FEEDBACK, back["href"]) == MEETING
    assert text_of(back) == "Part 1 The Meeting After the Meeting"


def test_the_series_page_lists_the_parts_in_reading_order(site):
    page = soup(site, "series/the-honest-room/")
    assert text_of(page.h1) == "The Honest Room"
    links = page.select("ol.series-parts h2 a")
    assert [resolve("series/the-honest-room/", a["href"]) for a in links] == [MEETING, FEEDBACK]
    listed = soup(site, "series/").select("main li a")
    assert [text_of(a) for a in listed] == ["Room to Breathe", "The Honest Room"]


def test_a_scheduled_part_is_not_counted_linked_or_listed_before_its_day(site):
    slack = soup(site, SLACK)
    assert text_of(slack.select_one(".series-part")) == (
        "The first essay in the series Room to Breathe"
    )
    assert slack.select_one(".series-nav") is None
    page = site.page("series/room-to-breathe/").read_text("utf-8")
    assert "the-quiet-quarter" not in page and "The Quiet Quarter" not in page


def test_every_essay_shows_three_related_published_essays(site, published):
    urls = {essay.url for essay in published}
    for essay in published:
        links = soup(site, essay.url).select(".related li a")
        targets = [resolve(essay.url, a["href"]) for a in links]
        assert len(targets) == 3 and len(set(targets)) == 3, essay.slug
        assert essay.url not in targets, f"{essay.slug} lists itself"
        assert set(targets) <= urls, f"{essay.slug} suggests an essay not published on {TODAY}"


def test_related_essays_share_tags_with_the_essay(site):
    links = soup(site, FEEDBACK).select(".related li a")
    # Feedback With a Receipt continues The Meeting After the Meeting (teams, practice, meetings).
    assert resolve(FEEDBACK, links[0]["href"]) == MEETING


def test_share_links_are_plain_links_with_the_canonical_address(site, published):
    for essay in published:
        page = soup(site, essay.url)
        share = page.select_one(".share")
        links = {a.get_text(): a["href"] for a in share.select("a")}
        assert list(links) == ["E-mail", "Mastodon", "Bluesky", "LinkedIn", "Copy link"]
        canonical = CANONICAL + essay.url
        assert links["Copy link"] == canonical
        assert links["E-mail"].startswith("mailto:?subject=") and canonical in links["E-mail"]
        assert links["Bluesky"].startswith("https://bsky.app/intent/compose?text=")
        assert links["LinkedIn"].endswith("?url=" + canonical)
        # Nothing of the services' own: no script, image or frame from them.
        for element in page.select("script[src], img[src], iframe, link[rel~=stylesheet]"):
            address = element.get("src") or element.get("href")
            assert not address.startswith("http"), f"{essay.slug} loads {address}"


def test_mastodon_links_to_the_inboxs_page_that_asks_for_the_readers_server(site):
    """No prompt() and no form on every essay page: a link that works without JavaScript."""
    page = soup(site, SLACK)
    link = page.select_one(".share").find("a", string="Mastodon")
    address = urlsplit(link["href"])
    assert link["href"].startswith("http://127.0.0.1:")  # the inbox of the development build
    assert address.path == "/share/mastodon"
    assert parse_qs(address.query) == {"text": [f"Slack Is Not Waste {CANONICAL}{SLACK}"]}
    assert not page.select(".share form")
    script = (site.output / "theme" / "js" / "essay-page.js").read_text("utf-8")
    assert "prompt(" not in script


def test_the_video_is_a_linked_poster_in_the_page_with_its_player_held_back(site):
    page = soup(site, SLACK)
    figure = page.select_one("figure.video")
    assert figure["data-video"] == PLAYER
    link = figure.a
    assert link["href"] == "https://www.youtube.com/watch?v=M7lc1UVf-VE"
    assert text_of(link) == "▶ Play the video: Watch a queue fall off the cliff"
    assert "youtube-nocookie.com" in text_of(figure.figcaption)
    assert page.select("iframe") == []
    assert page.select_one('link[href$="theme/css/video.css"]') is not None
    assert soup(site, FEEDBACK).select_one('link[href$="theme/css/video.css"]') is None


def test_feeds_and_newsletter_carry_the_video_as_a_link_never_a_player(site):
    feed = (site.output / "feeds" / "all.atom.xml").read_text("utf-8")
    entries = BeautifulSoup(feed, "xml").find_all("content")
    bodies = [BeautifulSoup(entry.get_text(), "html.parser") for entry in entries]
    watch = "https://www.youtube.com/watch?v=M7lc1UVf-VE"
    with_video = [body for body in bodies if body.find("a", href=watch)]
    assert len(with_video) == 1
    for body in bodies:
        assert body.select("iframe, script") == []
    emails = sorted((site.build / "newsletter").glob("*/email.*"))
    assert emails, "the sample build should write newsletter e-mails"
    for email in emails:
        text = email.read_text("utf-8")
        assert "<iframe" not in text and "<script" not in text and PLAYER not in text
