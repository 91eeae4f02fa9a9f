"""A paragraph holding only a YouTube or Vimeo link becomes a click-to-load video (no Pelican)."""

import markdown
import pytest

from letterpress.embeds import away_from_page, parse_video_url, seconds

YOUTUBE_ID = "M7lc1UVf-VE"


def render(source: str) -> str:
    extensions = ["extra", "letterpress.embeds:VideoEmbedExtension"]
    return markdown.Markdown(extensions=extensions, output_format="html5").convert(source)


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.youtube.com/watch?v={YOUTUBE_ID}",
        f"https://youtube.com/watch?feature=share&v={YOUTUBE_ID}",
        f"https://m.youtube.com/watch?v={YOUTUBE_ID}",
        f"https://youtu.be/{YOUTUBE_ID}",
        f"https://www.youtube.com/shorts/{YOUTUBE_ID}",
        f"https://www.youtube.com/embed/{YOUTUBE_ID}",
        f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}",
    ],
)
def test_every_youtube_address_plays_from_youtube_nocookie(url):
    video = parse_video_url(url)
    assert video.provider == "YouTube" and video.video_id == YOUTUBE_ID
    assert video.player_url == f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}?autoplay=1"
    assert video.watch_url == f"https://www.youtube.com/watch?v={YOUTUBE_ID}"


@pytest.mark.parametrize(
    ("url", "player", "watch"),
    [
        (
            "https://vimeo.com/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
            "https://vimeo.com/76979871",
        ),
        (
            "https://vimeo.com/76979871/ab12cd34ef",
            "https://player.vimeo.com/video/76979871?h=ab12cd34ef&dnt=1&autoplay=1",
            "https://vimeo.com/76979871/ab12cd34ef",
        ),
        (
            "https://vimeo.com/channels/staffpicks/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
            "https://vimeo.com/76979871",
        ),
        (
            "https://player.vimeo.com/video/76979871?h=ab12cd34ef",
            "https://player.vimeo.com/video/76979871?h=ab12cd34ef&dnt=1&autoplay=1",
            "https://vimeo.com/76979871/ab12cd34ef",
        ),
    ],
)
def test_every_vimeo_address_plays_with_do_not_track(url, player, watch):
    video = parse_video_url(url)
    assert (video.provider, video.player_url, video.watch_url) == ("Vimeo", player, watch)


def test_a_start_time_carries_over_to_the_player():
    video = parse_video_url(f"https://youtu.be/{YOUTUBE_ID}?t=1m30s")
    assert video.start == 90
    assert video.player_url.endswith("?autoplay=1&start=90")
    assert video.watch_url.endswith("&t=90s")
    assert parse_video_url("https://vimeo.com/76979871#t=45s").player_url.endswith("#t=45s")


@pytest.mark.parametrize(("text", "expected"), [("90", 90), ("2m", 120), ("1h2m3s", 3723)])
def test_durations_read_as_youtube_writes_them(text, expected):
    assert seconds(text) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/channel/UCabcdefghijk",
        "https://vimeo.com/about",
        "https://example.org/watch?v=M7lc1UVf-VE",
        f"javascript:alert(1)//youtu.be/{YOUTUBE_ID}",
        "not a url",
    ],
)
def test_anything_else_is_not_a_video(url):
    assert parse_video_url(url) is None


def test_a_bare_link_on_its_own_line_becomes_a_figure_that_links_to_the_video():
    html = render(f"Before.\n\nhttps://youtu.be/{YOUTUBE_ID}\n\nAfter.")
    assert html.startswith("<p>Before.</p>\n<figure ") and html.endswith("<p>After.</p>")
    assert 'class="video"' in html
    assert f'data-video="https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}?autoplay=1"' in html
    assert f'<a href="https://www.youtube.com/watch?v={YOUTUBE_ID}">' in html
    assert "A video on YouTube" in html
    assert "Plays from YouTube (www.youtube-nocookie.com) when you click" in html
    assert "<iframe" not in html and "<script" not in html


def test_a_titled_link_shows_its_title_on_the_placeholder():
    html = render(f"[Queues, *briefly*](https://youtu.be/{YOUTUBE_ID})")
    assert "Queues, briefly</span></a>" in html
    assert 'data-title="Queues, briefly"' in html


def test_a_linked_image_is_the_poster_and_its_alt_text_the_title():
    html = render("[![The cliff]({static}/images/cliff.jpg)](https://vimeo.com/76979871)")
    assert '<img alt="" loading="lazy" src="{static}/images/cliff.jpg">' in html
    assert 'data-title="The cliff"' in html and "The cliff</span></a>" in html


def test_titles_are_escaped_in_the_markup():
    html = render(f'[Fish & "chips"](https://youtu.be/{YOUTUBE_ID})')
    assert 'data-title="Fish &amp; &quot;chips&quot;"' in html
    assert 'Fish &amp; "chips"</span>' in html


@pytest.mark.parametrize(
    "source",
    [
        f"Watch https://youtu.be/{YOUTUBE_ID} today.",
        f"See [this talk](https://youtu.be/{YOUTUBE_ID}) first.",
        f"- https://youtu.be/{YOUTUBE_ID}",
        "https://example.org/a-page",
        f"    https://youtu.be/{YOUTUBE_ID}",
    ],
)
def test_a_video_link_inside_other_text_or_a_list_stays_a_link(source):
    assert "<figure" not in render(source)


def test_away_from_the_page_a_video_is_a_titled_link_without_the_click_caption():
    html = away_from_page(render(f"Before.\n\n[Queues, *briefly*](https://youtu.be/{YOUTUBE_ID})"))
    assert html == (
        "<p>Before.</p>\n"
        f'<p><a href="https://www.youtube.com/watch?v={YOUTUBE_ID}">Queues, briefly</a>'
        " (a video on YouTube)</p>"
    )


def test_away_from_the_page_an_untitled_video_says_where_it_is_and_a_poster_stays():
    untitled = away_from_page(render(f"https://youtu.be/{YOUTUBE_ID}"))
    assert untitled == (
        f'<p><a href="https://www.youtube.com/watch?v={YOUTUBE_ID}">A video on YouTube</a></p>'
    )
    poster = away_from_page(render("[![The talk](/images/poster.jpg)](https://vimeo.com/76979871)"))
    assert poster == (
        '<figure><a href="https://vimeo.com/76979871"><img src="/images/poster.jpg" alt=""></a>'
        '<figcaption><a href="https://vimeo.com/76979871">The talk</a> (a video on Vimeo)'
        "</figcaption></figure>"
    )


def test_html_without_a_video_is_left_as_it_is():
    html = "<p>A <a href='x'>link</a> &amp; <br>text</p>"
    assert away_from_page(html) == html
