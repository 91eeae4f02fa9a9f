"""What commenters write cannot run in a reader's browser: the restricted Markdown, the
sanitiser, and more than 500 hostile bodies plus generated ones."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letterpress.comments import LINK_REL, render_markdown
from tests.comments.hostile import (
    HOSTILE_BODIES,
    PAYLOADS,
    dangerous_markup,
    executable_markup,
)


def test_the_allowed_markdown_renders():
    html = render_markdown(
        "Plain *em* **strong** `code` [a link](https://example.org/x?y=1&z=2).\n\n"
        "    indented code\n\n> quoted\n\n- one\n- two\n\n3. three\n4. four\n"
    )
    assert "<em>em</em>" in html and "<strong>strong</strong>" in html
    assert "<code>code</code>" in html
    assert f'<a href="https://example.org/x?y=1&amp;z=2" rel="{LINK_REL}">a link</a>' in html
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in html
    assert "<ul>\n<li>one</li>" in html
    assert '<ol start="3">' in html
    assert "<pre><code>indented code\n</code></pre>" in html


def test_everything_else_stays_text():
    html = render_markdown("# Heading\n\n![pic](https://example.org/p.png)\n\n| a |\n|---|\n")
    assert "<h1>" not in html and "<img" not in html and "<table" not in html
    assert "# Heading" in html


def test_raw_html_is_shown_as_text_not_run():
    html = render_markdown("<b>bold</b> <script>alert(1)</script>")
    assert html == "<p>&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_every_link_gets_nofollow_ugc_noopener():
    html = render_markdown("[a](https://a.example) <https://b.example> [c](mailto:c@example.org)")
    assert html.count(f'rel="{LINK_REL}"') == 3


def test_dangerous_link_schemes_never_become_links():
    for url in ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd"]:
        assert "<a" not in render_markdown(f"[x]({url})"), url


def test_direction_overrides_are_removed():
    assert "\u202e" not in render_markdown("evil\u202etxt.exe")


def test_the_corpus_holds_more_than_500_hostile_bodies():
    assert len(PAYLOADS) >= 60
    assert len(set(HOSTILE_BODIES)) >= 500


def test_no_hostile_body_renders_executable_markup():
    failures = {}
    for body in HOSTILE_BODIES:
        problems = executable_markup(render_markdown(body))
        if problems:
            failures[body] = problems
    assert failures == {}


def test_the_checker_itself_catches_executable_markup():
    # Guards the guard: unsanitised HTML must be reported, or the tests above prove nothing.
    assert executable_markup("<p><script>x</script></p>") == ["<script>"]
    assert executable_markup('<a href="javascript:x">y</a>') == ["<a href='javascript:x'>"]
    assert executable_markup('<img src=x onerror="x">')[0] == "<img>"
    assert executable_markup('<a href="https://x" onclick="y">z</a>') == ["<a onclick=…>"]
    assert dangerous_markup('<svg onload="x"></svg>') == ["<svg>", "<svg onload=…>"]
    assert dangerous_markup('<p><a href="data:text/html,x">y</a></p>') != []


MARKUP_PIECES = st.sampled_from(
    [
        "<",
        ">",
        "</",
        "/>",
        '"',
        "'",
        "=",
        "&",
        "&#",
        ";",
        ":",
        "(",
        ")",
        "[",
        "]",
        "!",
        "*",
        "_",
        "`",
        "```",
        "\n",
        "\n\n",
        "> ",
        "- ",
        "1. ",
        "    ",
        "\\",
        "\u0000",
        "\u202e",
        "script",
        "img",
        "svg",
        "iframe",
        "style",
        "a",
        "href",
        "src",
        "onerror",
        "onload",
        "javascript",
        "data",
        "vbscript",
        "alert(1)",
        "https://ok.example",
        "x",
        " ",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKUP_PIECES | st.text(max_size=5), max_size=40).map("".join))
def test_generated_bodies_never_render_executable_markup(body):
    assert executable_markup(render_markdown(body)) == []


def test_rendering_is_pure():
    # Its speed is measured by bench/comment_render.py, not here.
    body = " ".join(["Plain words in a comment about teams and trust, with a [link]."] * 6)
    assert render_markdown(body) == render_markdown(body)
