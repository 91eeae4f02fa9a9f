"""email.txt: 72 columns, every link a numbered reference."""

from newsletter_helpers import SITE, SITE_NAME, SITE_URL, TIMEZONE, TODAY, comment, essay, workshop

from letterpress.newsletter import Sources, parse_note, render_text, select_issues
from letterpress.newsletter.plaintext import WIDTH, reference_lines

NOTE = """Subject: A long month
Preheader: Things

Here is a paragraph that goes on for a good while, long enough to need wrapping at least twice,
with [a link to an essay](/essays/2026/11/an-essay-with-a-rather-long-slug-indeed/) in it and
[another](https://example.org/a/very/long/path/that/keeps/going/and/going/well/past/the/edge).

- a list item that is itself long enough to wrap onto a second line when it is written out
- a short one

> A quotation, also long enough to wrap, so that every line of it carries the marker in front.

Supercalifragilisticexpialidociouslyantidisestablishmentarianismfloccinaucinihilipilification!
"""


def issue():
    sources = Sources(
        essays=[essay("an-essay-with-a-rather-long-slug-indeed", "2026-11-03")],
        notes=[parse_note(NOTE, "content/newsletters/2026-11.md")],
        workshops=[workshop("the-arc", "2027-05-14", "2027-05-15")],
        comments=[
            comment(
                "an-essay-with-a-rather-long-slug-indeed",
                "2026-11-05",
                "Miriam Okafor",
                role="author",
                body="A thoughtful reply. " * 20,
            )
        ],
    )
    (only,) = select_issues(sources, today=TODAY, timezone=TIMEZONE, site_name=SITE_NAME)
    return only


def test_every_line_fits_in_72_columns():
    text = render_text(issue(), SITE)
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    assert "Supercalifragilistic" in text


def test_links_become_numbered_references_listed_at_the_end():
    text = render_text(issue(), SITE)
    body, _, links = text.partition("\nLinks:\n")
    body = " ".join(body.split())
    assert "a link to an essay [2]" in body
    assert "another [3]" in body
    joined = links.replace("\n    ", "").replace("<", "").replace(">", "")
    assert f"[1] {SITE_URL}/newsletter/2026/11/" in joined
    assert f"[2] {SITE_URL}/essays/2026/11/an-essay-with-a-rather-long-slug-indeed/" in joined
    # Each URL is numbered once, however often it is linked.
    assert joined.count("an-essay-with-a-rather-long-slug-indeed/\n") == 1


def test_a_url_too_long_for_a_line_is_broken_after_a_slash_inside_angle_brackets():
    url = "https://letterpress.example/essays/2026/11/what-a-founder-owes-the-first-ten/"
    lines = reference_lines("[12]", url)
    assert lines == [
        "[12] <https://letterpress.example/essays/2026/11/",
        "     what-a-founder-owes-the-first-ten/>",
    ]
    assert "".join(line.strip() for line in lines) == f"[12] <{url}>"


def test_the_footer_has_the_plain_text_merge_tags():
    text = render_text(issue(), SITE)
    for tag in ("*|UNSUB|*", "*|UPDATE_PROFILE|*", "*|LIST_ADDRESS|*"):
        assert tag in text
