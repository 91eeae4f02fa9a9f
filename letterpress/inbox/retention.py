"""Retention: what the inbox deletes once it is `LETTERPRESS_RETENTION_DAYS` old (default
letterpress.privacy.RETENTION_DAYS, which the privacy page states).

  - rejected and spam comments (decided that long ago): the whole row, address and network too;
  - every comment's sender network (`client`) and every rate-limit row (`sender_events`): only
    the rate limits use them, over minutes;
  - the record of e-mail sent or dropped (it holds the recipient's address); e-mail still
    queued GIVE_UP_AFTER (three days) after it was queued is given up first, so none waits for ever.

Pending and published comments keep their address (for moderation, notifications, and a
person's own export) until the person asks to be forgotten. The inbox prunes once at start-up
and then daily; `invoke inbox.prune` does it from the terminal.
"""

import asyncio
import datetime as dt
import logging
import sqlite3
from dataclasses import asdict, dataclass

from starlette.routing import Route

from letterpress.notify.store import give_up_stale

from .db import transaction

__all__ = ["background", "prune", "routes"]

routes: list[Route] = []  # it serves nothing: it runs in the background
EVERY = dt.timedelta(days=1)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pruned:
    comments_deleted: int  # rejected or spam
    networks_cleared: int  # comments' client column
    rate_limit_rows_deleted: int
    notifications_given_up: int
    notifications_deleted: int

    def as_dict(self) -> dict:
        return asdict(self)


def cutoff(now: dt.datetime, days: int) -> dt.datetime:
    return now - dt.timedelta(days=days)


def prune(db: sqlite3.Connection, now: dt.datetime, days: int) -> Pruned:
    """Delete what is older than `days`, in one transaction, overwriting it in the file."""
    before = cutoff(now, days)
    stamp = before.astimezone(dt.UTC).isoformat(timespec="seconds")
    db.execute("PRAGMA secure_delete = ON")
    try:
        with transaction(db):
            old = "status IN ('rejected', 'spam') AND COALESCE(decided, created) < ?"
            db.execute(
                "DELETE FROM reply_optins WHERE comment_id IN"
                f" (SELECT id FROM comments WHERE {old})",
                (stamp,),
            )
            comments = db.execute(f"DELETE FROM comments WHERE {old}", (stamp,)).rowcount
            networks = db.execute(
                "UPDATE comments SET client = '' WHERE client != '' AND created_ts < ?",
                (before.timestamp(),),
            ).rowcount
            events = db.execute(
                "DELETE FROM sender_events WHERE created_ts < ?", (before.timestamp(),)
            ).rowcount
            given_up = give_up_stale(db, now)
            notifications = db.execute(
                "DELETE FROM notifications WHERE status IN ('sent', 'dropped')"
                " AND COALESCE(sent, created) < ?",
                (stamp,),
            ).rowcount
    finally:
        db.execute("PRAGMA secure_delete = OFF")
    return Pruned(comments, networks, events, given_up, notifications)


async def background(state: dict) -> None:
    """Prune at start-up, then once a day, for as long as the server runs."""
    config = state["config"]
    while True:
        try:
            pruned = prune(state["db"], config.clock(), config.retention_days)
            if any(pruned.as_dict().values()):
                log.info("retention (%s days): %s", config.retention_days, pruned.as_dict())
        except sqlite3.Error:
            log.exception("pruning old data failed; trying again tomorrow")
        await asyncio.sleep(EVERY.total_seconds())
