"""The editor's notes: content/newsletters/YYYY-MM.md, read into Note objects.

A note is "Key: value" lines (Subject, Preheader, optional Date), a blank line, then Markdown.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import markdown

from .model import Month, NewsletterError, Note

_FIELD = re.compile(r"^([A-Za-z][A-Za-z-]*):\s*(.*)$")
# Each field's reader turns the raw value into what Note wants, or raises with the field's name.
FIELDS = {
    "subject": lambda value, where: value,
    "preheader": lambda value, where: value,
    "date": lambda value, where: _date(value, where),
}


def _date(value: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise NewsletterError(f"{where}: Date {value!r} is not a date; write YYYY-MM-DD.") from None


def note_renderer() -> markdown.Markdown:
    return markdown.Markdown(extensions=["extra", "smarty"])


def parse_note(text: str, source: str, renderer: markdown.Markdown | None = None) -> Note:
    """Read one note; `source` is its path, named in every error (its stem is the month).
    Pass a `renderer` (note_renderer()) to reuse one Markdown parser across many notes."""
    month = Month.parse(Path(source).stem, where=f"{source}: the file name")
    header, _, body = text.replace("\r\n", "\n").partition("\n\n")
    fields: dict = {}
    for number, line in enumerate(header.splitlines(), start=1):
        match = _FIELD.match(line)
        if not match:
            raise NewsletterError(
                f"{source}, line {number}: expected 'Key: value' (Subject, Preheader, Date), "
                "then a blank line and the note."
            )
        key = match[1].lower()
        if key not in FIELDS:
            raise NewsletterError(
                f"{source}, line {number}: unknown field {match[1]!r}; "
                f"use {', '.join(k.capitalize() for k in FIELDS)}."
            )
        fields[key] = FIELDS[key](match[2].strip(), f"{source}, line {number}")
    if fields.get("date") and Month.of(fields["date"]) < month:
        raise NewsletterError(f"{source}: Date {fields['date']} is before the month it covers.")
    return Note(
        month=month,
        subject=fields.get("subject", ""),
        preheader=fields.get("preheader", ""),
        body_html=(renderer or note_renderer()).reset().convert(body.strip()),
        source=source,
        date=fields.get("date"),
    )


def read_notes(folder: Path) -> list[Note]:
    """Every note in `folder` (none if it does not exist), oldest month first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    renderer = note_renderer()
    notes = [
        parse_note(path.read_text("utf-8"), str(path), renderer) for path in folder.glob("*.md")
    ]
    return sorted(notes, key=lambda note: note.month)
