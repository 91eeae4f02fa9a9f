"""The comment file format: `content/comments/<essay-slug>/<id>.md`.

    Id: 20261002-0914-k7q2
    Author: Karl Ames
    Date: 2026-10-02T09:14:00-07:00
    Reply-To: 20261001-1830-a1b2      (optional: the Id of the comment answered)
    Url: https://example.org          (optional: the commenter's website)
    Role: author                      (optional: the essay's author answering)

    Markdown body.

A comment taken off the site (its writer forgotten, the author unpublishing it) becomes a
placeholder, so the replies to it keep their place in the thread:

    Id: 20261002-0914-k7q2
    Date: 2026-10-02T09:14:00-07:00
    Removed: yes

with no name, website or text. A file never holds an e-mail address or an IP: the format has no
field for them.
"""

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from markupsafe import Markup

from letterpress.errors import LetterpressError
from letterpress.fields import clean_line, is_web_url  # is_web_url: part of this module's API

from .render import render_markdown

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
ROLES = ("", "author")


class CommentError(LetterpressError, ValueError):
    """A comment file (or folder) is wrong; the message names it and says what to change."""


@dataclass(frozen=True)
class Comment:
    id: str
    essay: str
    author: str
    date: dt.datetime
    body: str
    reply_to: str | None = None
    url: str = ""
    role: str = ""
    removed: bool = False  # a placeholder: the thread shows "removed" in its place
    # Where the comment was read from, for error messages; None for one not yet written.
    source: Path | None = field(default=None, compare=False)

    @cached_property
    def html(self) -> Markup:
        """The body as sanitised HTML, rendered on first use; Markup, so templates never
        escape it twice whether or not autoescaping is on."""
        return Markup(render_markdown(self.body))

    @property
    def anchor(self) -> str:
        return f"comment-{self.id}"

    @property
    def by_author(self) -> bool:
        return self.role == "author"


def comments_open(essay_metadata: Mapping) -> bool:
    """An essay takes comments unless its front matter says `Comments: closed`."""
    return str(essay_metadata.get("comments", "open")).strip().lower() != "closed"


def is_comment_id(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is not None


# Field name in the file -> (attribute, parser). Parsers raise ValueError with a sentence.
def _parse_id(value: str) -> str:
    if not is_comment_id(value):
        raise ValueError(f"Id {value!r} may hold only letters, digits, '-' and '_' (64 at most)")
    return value


def _parse_date(value: str) -> dt.datetime:
    try:
        date = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"Date {value!r} is not ISO 8601 (2026-10-02T09:14:00-07:00)") from None
    if date.tzinfo is None:
        raise ValueError(f"Date {value!r} needs a UTC offset, such as -07:00 or Z")
    return date


def _parse_url(value: str) -> str:
    if not is_web_url(value):
        raise ValueError(f"Url {value!r} is not an http:// or https:// address")
    return value


def _parse_removed(value: str) -> bool:
    if value.strip().lower() != "yes":
        raise ValueError(f"Removed {value!r}: write 'Removed: yes', or leave the field out")
    return True


def _parse_role(value: str) -> str:
    role = value.lower()
    if role not in ROLES:
        raise ValueError(f"Role {value!r} is unknown; the only role is 'author'")
    return role


FIELDS: dict[str, tuple[str, Callable[[str], object]]] = {
    "id": ("id", _parse_id),
    "author": ("author", clean_line),
    "date": ("date", _parse_date),
    "reply-to": ("reply_to", _parse_id),
    "url": ("url", _parse_url),
    "role": ("role", _parse_role),
    "removed": ("removed", _parse_removed),
}
REQUIRED = ("id", "author", "date")
REQUIRED_OF_REMOVED = ("id", "date")


def parse_comment(text: str, essay: str, source: Path | None = None) -> Comment:
    """Read one comment file's text; raise CommentError naming `source` and the field."""
    where = source or f"comment on {essay}"
    head, _, body = text.replace("\r\n", "\n").partition("\n\n")
    # Each field's parser returns that field's own type (FIELDS); Comment receives them by name.
    values: dict[str, Any] = {}
    for number, line in enumerate(head.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        key = name.strip().lower()
        if not colon or key not in FIELDS:
            known = ", ".join(n.title() for n in FIELDS)
            raise CommentError(f"{where}: line {number} is not a field ({known}): {line!r}")
        attribute, parse = FIELDS[key]
        if attribute in values:
            raise CommentError(f"{where}: the field {name.strip()} appears twice")
        try:
            values[attribute] = parse(value.strip())
        except ValueError as error:
            raise CommentError(f"{where}: {error}") from None
    if values.get("removed"):
        missing = [key.title() for key in REQUIRED_OF_REMOVED if FIELDS[key][0] not in values]
        if missing:
            raise CommentError(f"{where}: missing field(s) {', '.join(missing)}")
        if values.keys() - {"id", "date", "reply_to", "removed"} or body.strip():
            raise CommentError(
                f"{where}: a removed comment keeps only Id, Date and Reply-To; delete the rest"
            )
        return Comment(essay=essay, author="", body="", source=source, **values)
    missing = [key.title() for key in REQUIRED if FIELDS[key][0] not in values]
    if missing:
        raise CommentError(f"{where}: missing field(s) {', '.join(missing)}")
    if not values["author"]:
        raise CommentError(f"{where}: Author is empty")
    if not body.strip():
        raise CommentError(f"{where}: the comment has no text after the blank line")
    return Comment(essay=essay, body=body.strip("\n") + "\n", source=source, **values)


def format_comment(comment: Comment) -> str:
    """The file text for a comment, or CommentError naming the comment and the field a file
    cannot hold. The name is flattened to one line, so no value can add a field; and the text is
    read back before it is returned, so every file written is one the build reads as written."""
    where = f"comment {comment.id} on {comment.essay}"
    if comment.removed:
        return _format_removed(comment, where)
    try:
        lines = [
            f"Id: {_parse_id(comment.id)}",
            f"Author: {clean_line(comment.author)}",
            f"Date: {comment.date.isoformat()}",
        ]
        if comment.reply_to:
            lines.append(f"Reply-To: {_parse_id(comment.reply_to)}")
        if comment.url:
            lines.append(f"Url: {_parse_url(comment.url.strip())}")
        if comment.role:
            lines.append(f"Role: {_parse_role(comment.role)}")
    except ValueError as error:
        raise CommentError(f"{where}: {error}") from None
    # A file is read with universal newlines: a lone CR would come back as a line break.
    body = comment.body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    text = "\n".join(lines) + "\n\n" + body + "\n"
    _check_reads_back(text, comment, where)
    return text


def _format_removed(comment: Comment, where: str) -> str:
    try:
        lines = [f"Id: {_parse_id(comment.id)}", f"Date: {comment.date.isoformat()}"]
        if comment.reply_to:
            lines.append(f"Reply-To: {_parse_id(comment.reply_to)}")
    except ValueError as error:
        raise CommentError(f"{where}: {error}") from None
    return "\n".join([*lines, "Removed: yes"]) + "\n"


def removed(comment: Comment) -> Comment:
    """The placeholder standing where `comment` was: its Id, date and place in the thread, and
    nothing its writer gave (name, website, text)."""
    return Comment(
        id=comment.id,
        essay=comment.essay,
        author="",
        date=comment.date,
        body="",
        reply_to=comment.reply_to,
        removed=True,
    )


def _check_reads_back(text: str, comment: Comment, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise CommentError(f"{where}: the text holds characters UTF-8 cannot write") from None
    read = parse_comment(text, comment.essay)
    expected = (clean_line(comment.author), comment.reply_to or None, comment.date)
    if (read.author, read.reply_to, read.date) != expected:
        raise CommentError(f"{where}: the file would not read back as written")


def comment_path(content_dir: Path, comment: Comment) -> Path:
    return Path(content_dir) / "comments" / comment.essay / f"{comment.id}.md"


def write_comment(content_dir: Path, comment: Comment) -> Path:
    """Write content/comments/<essay>/<id>.md; refuse to overwrite a different comment, and
    leave the same one as it is (never written twice: its date on disk stays the first)."""
    path = comment_path(content_dir, comment)
    text = format_comment(comment)
    if path.exists():
        if path.read_text("utf-8") == text:
            return path
        if not _placeholder_at(path):
            raise CommentError(f"{path}: a different comment with this Id is already there")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def _placeholder_at(path: Path) -> bool:
    """True when `path` holds the placeholder of an unpublished comment: approving the comment
    again puts it back."""
    try:
        return parse_comment(path.read_text("utf-8"), path.parent.name).removed
    except (CommentError, OSError, UnicodeDecodeError):
        return False


def read_comment(path: Path) -> Comment:
    """Read one file; the essay is the name of its folder."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise CommentError(f"{path}: not UTF-8 text") from None
    comment = parse_comment(text, essay=path.parent.name, source=path)
    if comment.id != path.stem:
        raise CommentError(f"{path}: the file is named {path.name} but its Id is {comment.id}")
    return comment
