"""WordPress's own markup, one rule at a time: auto-paragraphs, video URLs, shortcodes."""

from collections import Counter

import pytest

from bench import wordpress_import
from letterpress.wordpress.importer import survey
from letterpress.wordpress.markup import Findings, autop, comment_markdown, to_markdown
from letterpress.wordpress.shortcodes import video_url


@pytest.mark.parametrize(
    "url, video",
    [
        ("https://www.youtube.com/watch?v=abc_DEF-123", "https://www.youtube.com/watch?v=abc_DEF-123"),
        ("https://youtu.be/abc_DEF-123", "https://www.youtube.com/watch?v=abc_DEF-123"),
        ("https://www.youtube-nocookie.com/embed/abc_DEF-123?rel=0", "https://www.youtube.com/watch?v=abc_DEF-123"),
        ("https://player.vimeo.com/video/76543210", "https://vimeo.com/76543210"),
        ("https://vimeo.com/76543210", "https://vimeo.com/76543210"),
        ("https://example.org/watch?v=abc_DEF-123", None),
    ],
)  # fmt: skip
def test_video_urls_are_recognised_in_every_form(url, video):
    assert video_url(url) == video


def test_autop_makes_paragraphs_and_line_breaks_but_leaves_pre_and_lists():
    html = autop("One\ntwo\n\nThree\n<ul>\n<li>item</li>\n</ul>\n<pre>a\n\nb</pre>")
    assert "<p>One<br />\ntwo</p>" in html
    assert "<p>Three</p>" in html
    assert "<pre>a\n\nb</pre>" in html
    assert "<p><ul>" not in html


def test_unknown_shortcodes_stay_as_text_and_are_counted_prose_brackets_are_not():
    findings = Findings()
    markdown = to_markdown('[sic] and [1] and [poll id="3"]', findings=findings)
    # Escaped, so the text reads as written rather than as a Markdown link.
    assert '\\[poll id="3"\\]' in markdown
    assert findings.unknown_shortcodes == Counter({"poll": 1})


def test_comments_lose_images_and_embeds_but_keep_links_and_emphasis():
    markdown = comment_markdown(
        'Look <em>here</em> <a href="https://x.example">x</a><img src="a.png">'
    )
    assert markdown == "Look *here* [x](https://x.example)\n"


def test_the_benchmark_export_is_a_wordpress_export_of_the_size_asked(tmp_path):
    export = wordpress_import.generate(tmp_path / "export.xml", posts=3, comments_per_post=4)
    found = survey(export)
    assert [post.type for post in found.posts] == ["post"] * 3
    assert found.channel.version == "1.2"
