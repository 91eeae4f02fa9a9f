"""Group commit: the writes that requests queue in one turn of the event loop share one transaction.

Under load, dozens of comments arrive in the same turn of the loop. Committed one by one, each pays
for its own WAL commit; queued here, they are written by one `BEGIN IMMEDIATE … COMMIT`, each inside
its own savepoint, so one refused or failing write leaves the others in place. Every caller's
answer is handed back only after the COMMIT has returned: an acknowledged write is a committed one.

With a single request in flight the batch is that one request, at the cost of one extra turn of
the loop. The batch runs synchronously on the loop, so no other handler can use the connection
between its BEGIN and its COMMIT.

When another process holds the database's write lock (a terminal task, a backup), BEGIN fails at
once (the connection's busy timeout is 0) and the batch is tried again a little later, for up to
`busy_wait` seconds, while the loop serves everyone else; then its callers get the error.
"""

import asyncio
import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .db import is_locked

BUSY_WAIT_S = 5.0
BUSY_RETRY_S = 0.02

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], Any]


class GroupCommit:
    """Runs `work(db)` functions in shared transactions on the writer connection `db`."""

    def __init__(self, db: sqlite3.Connection, busy_wait: float = BUSY_WAIT_S):
        self.db = db
        self.busy_wait = busy_wait
        self._locked_since: float | None = None
        self._waiting: list[tuple[Work, asyncio.Future]] = []
        self.batches = 0  # transactions committed: tests read these two to see the batching
        self.writes = 0  # work functions that completed inside them

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Queue `work` for the next batch; return its result (or raise its exception) once the
        batch is committed. `work` may read and write, and must not commit or await."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        if not self._waiting:
            # The batch is written after the handlers already scheduled in this turn have queued.
            loop.call_soon(self._write_batch)
        self._waiting.append((work, future))
        return await future

    def _write_batch(self) -> None:
        batch, self._waiting = self._waiting, []
        try:
            outcomes = self._commit(batch)
        except Exception as error:  # BEGIN or COMMIT failed: nothing of the batch is stored
            now = time.monotonic()
            if is_locked(error):
                self._locked_since = self._locked_since or now
                if now - self._locked_since < self.busy_wait:
                    # Those who queued meanwhile join this batch; nobody schedules another.
                    self._waiting = batch + self._waiting
                    asyncio.get_running_loop().call_later(BUSY_RETRY_S, self._write_batch)
                    return
            self._locked_since = None
            for _, future in batch:
                _settle(future, error=error)
            return
        self._locked_since = None
        for (_, future), (result, failure) in zip(batch, outcomes, strict=True):
            _settle(future, result, failure)

    def _commit(self, batch) -> list[tuple[Any, BaseException | None]]:
        db = self.db
        outcomes: list[tuple[Any, BaseException | None]] = []
        db.execute("BEGIN IMMEDIATE")
        try:
            for work, _ in batch:
                db.execute("SAVEPOINT one_write")
                try:
                    outcomes.append((work(db), None))
                except Exception as error:  # refused (rate, parent) or failed: undo this one only
                    db.execute("ROLLBACK TO one_write")
                    outcomes.append((None, error))
                db.execute("RELEASE one_write")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        self.batches += 1
        self.writes += sum(error is None for _, error in outcomes)
        return outcomes


def _settle(future: asyncio.Future, result: Any = None, error: BaseException | None = None) -> None:
    if future.done():  # the request was cancelled (client gone); its write stands
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
