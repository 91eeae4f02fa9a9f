"""The one set of field rules shared by the inbox and the comment file format."""

import datetime as dt
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from letterpress.comments import Comment, format_comment, parse_comment
from letterpress.fields import clean_line, clean_multiline, is_web_url, normalise_email

DATE = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


def visible(text: str) -> bool:
    return any(not (c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Cs")) for c in text)


@given(st.text())
def test_a_cleaned_line_has_no_line_break_and_nothing_invisible_at_its_ends(text):
    line = clean_line(text)
    assert line.splitlines() in ([], [line])
    assert line == line.strip()
    assert bool(line) == visible(text)
    for char in line:
        assert unicodedata.category(char) not in ("Cc", "Cs")
        assert unicodedata.category(char) != "Cf" or char in "\u200c\u200d"


@given(st.text(min_size=1), st.text(min_size=1))
def test_every_clean_name_and_body_can_be_written_and_read_back(name, body):
    author, text = clean_line(name), clean_multiline(body)
    if not (author and text):
        return
    comment = Comment(id="c-1", essay="essay", author=author, date=DATE, body=text)
    read = parse_comment(format_comment(comment), "essay")
    assert (read.author, read.body) == (author, text.strip("\n") + "\n")


def test_a_website_has_no_space_or_invisible_character_anywhere():
    for bad in ("\r", "\n", "\t", " ", "\u2028", "\u200b", "\x00", "\u00a0", "\u202e"):
        assert not is_web_url(f"https://example.org/{bad}x"), repr(bad)
    assert is_web_url("https://example.org/%0DRole:author")
    assert is_web_url("https://example.org/café")


def test_an_address_is_normalised_once_or_refused():
    assert normalise_email("\u212aelvin@example.org") == "Kelvin@example.org"
    assert normalise_email(" Ada@Bücher.example ") == "Ada@xn--bcher-kva.example"
    for bad in ("ada\x00@example.org", "zoë@example.org", "a@b", "a@@b.org", "a b@c.org"):
        assert normalise_email(bad) is None, repr(bad)
