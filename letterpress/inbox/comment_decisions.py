"""The author's decisions on waiting comments, shared by the moderation API and the local task."""

import datetime as dt
import sqlite3

from letterpress.notify import queueing

from .comment_store import get_comment, set_status
from .db import transaction
from .errors import Conflict, NotFound

DECISIONS = {"approve": "approved", "reject": "rejected", "spam": "spam"}


def decide(db: sqlite3.Connection, comment_id: str, decision: str, now: dt.datetime) -> sqlite3.Row:
    """Approve, reject or mark as spam; return the comment's row as it now is.

    A reply is approved only once the comment it answers is approved (or was never here, being
    already published), so a comment file never names a Reply-To the build cannot find.
    Deciding the same thing twice is harmless: a retried request changes nothing.
    Approving a reply queues, in the same transaction, the e-mail to the writer of the comment it
    answers when they asked for one (letterpress.notify), so an approval from the terminal and
    one through the API notify alike, and never twice.
    Raises NotFound (no such comment or decision) or Conflict (the parent is not approved).
    """
    if decision not in DECISIONS:
        raise NotFound(f"Unknown decision “{decision}”: approve, reject or spam.")
    row = get_comment(db, comment_id)
    if row is None:
        raise NotFound(f"There is no comment {comment_id} in the inbox.")
    status = DECISIONS[decision]
    if status == "approved" and row["parent"]:
        parent = get_comment(db, row["parent"])
        if parent is not None and parent["status"] != "approved":
            raise Conflict(
                f"Comment {comment_id} answers {row['parent']}, which is {parent['status']}: "
                "approve that one first."
            )
    with transaction(db):
        decided = set_status(db, comment_id, status, now)
        if decided is None:  # removed since it was read above (forgotten, or expired)
            raise NotFound(f"There is no comment {comment_id} in the inbox.")
        if status == "approved" and row["status"] != "approved":
            queueing.reply_approved(db, decided, now)
    return decided
