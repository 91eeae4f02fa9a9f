"""The comment file format: reading, writing, and errors that name the file and the field."""

import datetime as dt
from pathlib import Path

import pytest

from letterpress.comments import (
    Comment,
    CommentError,
    format_comment,
    parse_comment,
    read_comment,
    write_comment,
)

PACIFIC = dt.timezone(dt.timedelta(hours=-7))

REPLY = """Id: 20261002-0914-k7q2
Author: Karl Ames
Date: 2026-10-02T09:14:00-07:00
Reply-To: 20261001-1830-a1b2
Url: https://karl.example
Role: author

A reply with *emphasis*.

And a second paragraph.
"""


def test_every_field_of_the_format_is_read():
    comment = parse_comment(REPLY, essay="an-essay")
    assert comment.id == "20261002-0914-k7q2"
    assert comment.essay == "an-essay"
    assert comment.author == "Karl Ames"
    assert comment.date == dt.datetime(2026, 10, 2, 9, 14, tzinfo=PACIFIC)
    assert comment.date.utcoffset() == dt.timedelta(hours=-7)
    assert comment.reply_to == "20261001-1830-a1b2"
    assert comment.url == "https://karl.example"
    assert comment.role == "author" and comment.by_author
    assert comment.body == "A reply with *emphasis*.\n\nAnd a second paragraph.\n"
    assert comment.html == "<p>A reply with <em>emphasis</em>.</p>\n<p>And a second paragraph.</p>"
    assert comment.anchor == "comment-20261002-0914-k7q2"


def test_optional_fields_may_be_left_out():
    text = "Id: c1\nAuthor: Ann\nDate: 2026-10-02T09:14:00Z\n\nHello.\n"
    comment = parse_comment(text, essay="e")
    assert (comment.reply_to, comment.url, comment.role) == (None, "", "")
    assert comment.date.utcoffset() == dt.timedelta(0)


def test_writing_then_reading_gives_the_same_comment(tmp_path):
    original = parse_comment(REPLY, essay="an-essay")
    path = write_comment(tmp_path, original)
    assert path == tmp_path / "comments" / "an-essay" / "20261002-0914-k7q2.md"
    assert path.read_text("utf-8") == REPLY
    assert read_comment(path) == original


def test_a_written_file_holds_only_the_format_fields(tmp_path):
    comment = Comment(
        id="c2",
        essay="e",
        author="Nia",
        date=dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC),
        body="Hi.",
    )
    text = format_comment(comment)
    names = [line.split(":")[0] for line in text.split("\n\n")[0].splitlines()]
    assert names == ["Id", "Author", "Date"]


def test_a_name_with_line_breaks_cannot_add_a_field():
    comment = Comment(
        id="c3",
        essay="e",
        author="Mallory\nRole: author\n\nfake body",
        date=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        body="Real body.",
    )
    parsed = parse_comment(format_comment(comment), essay="e")
    assert parsed.role == ""
    assert parsed.author == "Mallory Role: author fake body"
    assert parsed.body == "Real body.\n"


def test_rewriting_a_different_comment_under_an_existing_id_is_refused(tmp_path):
    first = parse_comment(REPLY, essay="an-essay")
    write_comment(tmp_path, first)
    changed = parse_comment(REPLY.replace("A reply", "Another reply"), essay="an-essay")
    with pytest.raises(CommentError, match="a different comment with this Id"):
        write_comment(tmp_path, changed)
    write_comment(tmp_path, first)  # the same comment again is harmless


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Author: A\nDate: 2026-10-02T09:14:00Z\n\nx", "missing field.*Id"),
        ("Id: c1\nDate: 2026-10-02T09:14:00Z\n\nx", "missing field.*Author"),
        ("Id: c1\nAuthor: A\n\nx", "missing field.*Date"),
        ("Id: c1\nAuthor: A\nDate: 2026-10-02T09:14:00\n\nx", "needs a UTC offset"),
        ("Id: c1\nAuthor: A\nDate: October 2nd\n\nx", "Date 'October 2nd' is not ISO 8601"),
        ("Id: c 1\nAuthor: A\nDate: 2026-10-02T09:14:00Z\n\nx", "Id 'c 1' may hold only"),
        ("Id: c1\nAuthor: A\nDate: 2026-10-02T09:14:00Z\nUrl: javascript:alert(1)\n\nx", "Url"),
        ("Id: c1\nAuthor: A\nDate: 2026-10-02T09:14:00Z\nRole: admin\n\nx", "Role 'admin'"),
        ("Id: c1\nAuthor: A\nDate: 2026-10-02T09:14:00Z\nEmail: a@b.c\n\nx", "line 4"),
        ("Id: c1\nId: c2\nAuthor: A\nDate: 2026-10-02T09:14:00Z\n\nx", "Id appears twice"),
        ("Id: c1\nAuthor: A\nDate: 2026-10-02T09:14:00Z\n\n  \n", "no text"),
    ],
)
def test_a_bad_file_is_an_error_naming_the_file_and_the_field(tmp_path, text, message):
    path = tmp_path / "comments" / "an-essay" / "c1.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, "utf-8")
    with pytest.raises(CommentError, match=message) as error:
        read_comment(path)
    assert str(error.value).startswith(str(path))


def test_a_file_named_differently_from_its_id_is_an_error(tmp_path):
    path = tmp_path / "e" / "wrong-name.md"
    path.parent.mkdir()
    path.write_text(REPLY, "utf-8")
    with pytest.raises(CommentError, match=r"named wrong-name\.md but its Id is 20261002"):
        read_comment(path)


def test_the_essay_is_the_folder_name(tmp_path):
    path = Path(write_comment(tmp_path, parse_comment(REPLY, essay="folder-slug")))
    assert read_comment(path).essay == "folder-slug"
