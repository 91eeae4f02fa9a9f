"""What the moderation page's buttons do, each through the same function the terminal tools and
the admin API use: `decide` (comment_decisions), `take_back` (publication_store), the reply
(`letterpress.moderation.replies.author_reply`, the decision `comments.reply` makes) and the
cancellation (`registrations.cancel_and_promote`). One decision, three doors.

The page cannot write the site's files: an approved comment, and the author's reply, wait in
the inbox until `comments.pull` writes them. So that no approval can fail there, the page checks
first that a comment file can hold the comment, as `comments.approve` does by writing it.
"""

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

from letterpress.comments import Comment, CommentError, format_comment
from letterpress.errors import LetterpressError
from letterpress.moderation.replies import ReplyError, author_reply, from_inbox
from letterpress.notify import queueing

from ..comment_decisions import DECISIONS, decide
from ..comment_store import as_comment, get_comment, public_fields
from ..db import transaction
from ..errors import Conflict, InboxError, NotFound
from ..publication_store import store_author_reply

ACTIVE = {"approve": "Approved", "reject": "Rejected", "spam": "Marked as spam"}


def _check_file(row, timezone: str) -> None:
    """Refuse (InboxError) a comment no comment file can hold; it stays as it is."""
    try:
        format_comment(as_comment(row, timezone))
    except CommentError as error:
        raise InboxError(f"Not approved, no file could hold it: {error}") from None


def decide_one(
    db: sqlite3.Connection, comment_id: str, decision: str, now: dt.datetime, timezone: str
) -> str:
    """Approve, reject or mark as spam one comment; a sentence saying what was done."""
    if decision not in DECISIONS:
        raise NotFound(f"Unknown decision “{decision}”: approve, reject or spam.")
    row = get_comment(db, comment_id)
    if row is None:
        raise NotFound(f"There is no comment {comment_id} in the inbox.")
    if decision == "approve":
        _check_file(row, timezone)
    decide(db, comment_id, decision, now)
    return f"{ACTIVE[decision]}: {row['author']}'s comment on {row['essay']}."


@dataclass
class Batch:
    """What a bulk decision did: sentences for what was done and for what was not."""

    done: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def notice(self) -> str:
        lines = [*self.done, *(f"Not done: {why}" for why in self.refused)]
        return "\n".join(lines) or "Nothing was selected."


def decide_many(
    db: sqlite3.Connection, ids: Sequence[str], decision: str, now: dt.datetime, timezone: str
) -> Batch:
    """The same decision for several comments, oldest first (so a parent is approved before the
    replies selected with it); one that is refused does not stop the others."""
    unique = list(dict.fromkeys(ids))
    rows = [get_comment(db, i) for i in unique]
    found = sorted((r for r in rows if r is not None), key=lambda r: (r["created_ts"], r["id"]))
    missing = [i for i, row in zip(unique, rows, strict=True) if row is None]
    batch = Batch(refused=[f"there is no comment {i}." for i in missing])
    for row in found:
        try:
            batch.done.append(decide_one(db, row["id"], decision, now, timezone))
        except LetterpressError as error:
            batch.refused.append(str(error))
    return batch


@dataclass(frozen=True)
class Reply:
    """The author's reply kept for the pull, and whether an e-mail to the person answered was
    queued."""

    reply: Comment
    notified: bool


def reply_as_author(
    db: sqlite3.Connection,
    comment_id: str,
    body: str,
    *,
    author: str,
    timezone: str,
    now: dt.datetime,
    author_email: str = "",
) -> Reply:
    """The author's reply to a comment in the inbox, as `comments.reply` makes it: the comment
    approved first if it waits, the reply kept for `comments.pull`, and its writer e-mailed
    when they asked to hear of replies. Nothing changes when the reply is refused."""
    row = get_comment(db, comment_id)
    if row is None:
        raise NotFound(f"There is no comment {comment_id} in the inbox.")
    if row["status"] not in ("pending", "approved"):
        raise Conflict(
            f"Comment {comment_id} is {row['status']}: it will never be published, so it cannot "
            "be answered on the site."
        )
    try:
        reply = author_reply(from_inbox(public_fields(row), timezone), author, body, now, timezone)
        format_comment(reply)
    except (ReplyError, CommentError) as error:
        raise InboxError(str(error), field="body") from None
    if row["status"] == "pending":
        _check_file(row, timezone)
        decide(db, comment_id, "approve", now)
    fields = {
        "id": reply.id,
        "essay": reply.essay,
        "parent": reply.reply_to,
        "author": reply.author,
        "body": reply.body,
    }
    with transaction(db):
        store_author_reply(db, reply)
        notified = queueing.author_replied(db, fields, now, author_email)
    return Reply(reply, notified)
