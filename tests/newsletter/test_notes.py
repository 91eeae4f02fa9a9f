"""The editor's note file: fields, Markdown body, and errors that name the file."""

import datetime as dt

import pytest

from letterpress.newsletter import Month, NewsletterError, parse_note, read_notes


def test_a_note_has_subject_preheader_date_and_a_markdown_body():
    note = parse_note(
        "Subject: Hello\nPreheader: Inside: two essays\nDate: 2026-12-01\n\nDear *reader*,\n",
        "content/newsletters/2026-11.md",
    )
    assert note.month == Month(2026, 11)
    assert (note.subject, note.preheader, note.date) == (
        "Hello",
        "Inside: two essays",
        dt.date(2026, 12, 1),
    )
    assert note.body_html == "<p>Dear <em>reader</em>,</p>"


@pytest.mark.parametrize(
    ("name", "text", "complaint"),
    [
        ("2026-13.md", "Subject: x\n\nBody", "the file name"),
        ("november.md", "Subject: x\n\nBody", "the file name"),
        ("2026-11.md", "Subjet: x\n\nBody", "unknown field 'Subjet'"),
        ("2026-11.md", "This is the note without a header.", "line 1: expected 'Key: value'"),
        ("2026-11.md", "Date: 30 November\n\nBody", "Date '30 November' is not a date"),
        ("2026-11.md", "Date: 2026-10-31\n\nBody", "before the month it covers"),
    ],
)
def test_a_broken_note_is_refused_with_its_file_named(name, text, complaint):
    with pytest.raises(NewsletterError) as error:
        parse_note(text, f"content/newsletters/{name}")
    assert f"content/newsletters/{name}" in str(error.value)
    assert complaint in str(error.value)


def test_read_notes_sorts_by_month_and_accepts_a_missing_folder(tmp_path):
    assert read_notes(tmp_path / "nowhere") == []
    (tmp_path / "2026-11.md").write_text("Subject: B\n\nB", "utf-8")
    (tmp_path / "2026-09.md").write_text("Subject: A\n\nA", "utf-8")
    assert [str(n.month) for n in read_notes(tmp_path)] == ["2026-09", "2026-11"]
