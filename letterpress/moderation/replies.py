"""The author answering a comment from the terminal: find the comment answered, approve it first
if it still waits in the inbox, and write the reply's file with `Role: author`.

The comment answered is either published (its file is in content/comments/) or in the inbox (a
LocalInbox or a RemoteInbox, pending or approved). Deciding what to show and what to write is
pure (`excerpt`, `shown_time`, `author_reply`); `publish_reply` does the writing.
"""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from letterpress.comments import Comment, CommentError, is_comment_id, read_comment, write_comment
from letterpress.errors import LetterpressError
from letterpress.inbox.comment_store import new_comment_id

from .errors import ModerationError
from .publishing import approve_and_publish

EXCERPT_WORDS = 30
TIME_FORMAT = "%B %-d, %Y at %-I:%M %p %Z"


class ReplyError(LetterpressError):
    """The reply cannot be written: no such comment, one that will never be published, no text."""


@dataclass(frozen=True)
class Answered:
    """A comment as the author sees it before answering; `date` is in the site's zone."""

    id: str
    essay: str
    author: str
    date: dt.datetime
    body: str
    reply_to: str | None
    # "published" (a file in content/comments/), or the inbox's status: pending, approved, ...
    status: str


@dataclass(frozen=True)
class Published:
    """What `publish_reply` did: the reply, and every file it wrote (the parent's first)."""

    reply: Comment
    answered: Answered
    paths: tuple[Path, ...]
    approved_parent: bool
    notice: str = ""  # what became of the e-mail to the person answered, for the author


def excerpt(body: str, words: int = EXCERPT_WORDS) -> str:
    """The first `words` words of a Markdown body on one line, "…" when there is more."""
    found = re.sub(r"\s+", " ", body).strip().split(" ")
    text = " ".join(found[:words])
    return text + "…" if len(found) > words else text


def shown_time(date: dt.datetime, timezone: str) -> str:
    """A date as the author reads it: in the site's zone, with the zone's name."""
    return date.astimezone(ZoneInfo(timezone)).strftime(TIME_FORMAT)


def from_inbox(row: dict, timezone: str) -> Answered:
    """A comment as the moderation API (or the local database) returns it."""
    created = dt.datetime.fromisoformat(row["created"]).astimezone(ZoneInfo(timezone))
    return Answered(
        id=row["id"],
        essay=row["essay"],
        author=row["author"],
        date=created,
        body=row["body"],
        reply_to=row.get("parent") or None,
        status=row["status"],
    )


def from_file(comment: Comment, timezone: str) -> Answered:
    return Answered(
        id=comment.id,
        essay=comment.essay,
        author=comment.author,
        date=comment.date.astimezone(ZoneInfo(timezone)),
        body=comment.body,
        reply_to=comment.reply_to,
        status="published",
    )


def published_path(content_dir: Path, comment_id: str) -> Path | None:
    """The file of a published comment with this Id, whichever essay it is on."""
    if not is_comment_id(comment_id):
        return None
    found = sorted((Path(content_dir) / "comments").glob(f"*/{comment_id}.md"))
    return found[0] if found else None


def find_comment(inbox, content_dir: Path, comment_id: str, timezone: str) -> Answered:
    """The comment with this Id: its published file, else the inbox's copy; ReplyError naming
    both places when neither has it."""
    path = published_path(content_dir, comment_id)
    if path is not None:
        return from_file(read_comment(path), timezone)
    try:
        return from_inbox(inbox.get(comment_id), timezone)
    except LetterpressError as error:
        raise ReplyError(
            f"Comment {comment_id} is not published in {Path(content_dir) / 'comments'} and "
            f"the inbox does not give it: {error}"
        ) from None


def answers_what(inbox, content_dir: Path, comment: Answered, timezone: str) -> str:
    """One line saying what `comment` answers: the essay, or who wrote the comment, when, and
    how it begins. A comment that cannot be found is named by its Id."""
    if not comment.reply_to:
        return f"the essay {comment.essay}"
    try:
        parent = find_comment(inbox, content_dir, comment.reply_to, timezone)
    except (LetterpressError, OSError):
        return f"comment {comment.reply_to} (not found)"
    return f"{parent.author}, {shown_time(parent.date, timezone)}: “{excerpt(parent.body, 15)}”"


def author_reply(
    answered: Answered, author: str, body: str, now: dt.datetime, timezone: str
) -> Comment:
    """The author's reply to `answered`, dated `now` in the site's zone; ReplyError without
    text or an author's name."""
    text = body.replace("\r\n", "\n").strip()
    if not text:
        raise ReplyError("The reply has no text: nothing was written.")
    if not author.strip():
        raise ReplyError("AUTHOR is empty in the site settings: the reply needs a name.")
    # Never dated before the comment it answers, so the thread shows it below.
    date = max(now, answered.date + dt.timedelta(minutes=1)).astimezone(ZoneInfo(timezone))
    return Comment(
        id=new_comment_id(now),
        essay=answered.essay,
        author=author,
        date=date.replace(microsecond=0),
        body=text + "\n",
        reply_to=answered.id,
        role="author",
    )


def publish_reply(
    inbox,
    content_dir: Path,
    answered: Answered,
    author: str,
    body: str,
    timezone: str,
    now: dt.datetime,
) -> Published:
    """Write the author's reply to `answered`. A comment still in the inbox is approved first
    (its file written, as `comments.approve` does), so the reply never names a Reply-To the
    build cannot find; a rejected or spam comment gets no reply."""
    paths: list[Path] = []
    approved_parent = False
    if answered.status in ("pending", "approved"):  # in the inbox, and not published here yet
        _, parent_path = approve_and_publish(inbox, answered.id, content_dir, timezone)
        paths.append(parent_path)
        approved_parent = answered.status == "pending"
    elif answered.status != "published":
        raise ReplyError(
            f"Comment {answered.id} is {answered.status}: it will never be published, so it "
            "cannot be answered on the site."
        )
    reply = author_reply(answered, author, body, now, timezone)
    try:
        paths.append(write_comment(content_dir, reply))
    except CommentError as error:
        raise ReplyError(str(error)) from None
    return Published(reply, answered, tuple(paths), approved_parent, notify_answered(inbox, reply))


def notify_answered(inbox, reply: Comment) -> str:
    """Ask the inbox to e-mail the person answered, if they asked to hear of replies; a sentence
    for the author. The reply file is already written, so a refusal is reported, not raised:
    running the task again would write a second reply."""
    fields = {
        "id": reply.id,
        "essay": reply.essay,
        "parent": reply.reply_to,
        "author": reply.author,
        "body": reply.body,
    }
    try:
        outcome = inbox.notify_reply(fields)
    except ModerationError as error:
        return f"The reply is written, but the inbox could not queue its e-mail: {error}"
    if not outcome:
        return ""
    return f"The person answered asked to hear of replies: their e-mail was {outcome}."
