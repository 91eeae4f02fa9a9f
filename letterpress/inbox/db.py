"""The inbox's SQLite store: one file, WAL journal, one writer connection per process.

Each store module brings its own schema (idempotent `CREATE TABLE IF NOT EXISTS`);
`schema.open_inbox` opens the file with all of them. Statements are short, so handlers run them
directly on the event loop: an INSERT with synchronous=NORMAL takes a fraction of a millisecond,
less than a hop to a worker thread would cost.

The one slow thing SQLite does on its own is the WAL checkpoint: copying the log back into the
database file and syncing it, every 1,000 pages, inside whichever COMMIT crosses the mark (measured
here: up to 30 ms, during which the event loop answers no one). The server's writer therefore turns
that off and a `Checkpointer` thread does it in the background, where it blocks no request.
"""

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from letterpress.errors import LetterpressError

# How long a connection waits for another process's write lock. SQLite waits by sleeping in the
# calling thread: the server's own connection, which lives on the event loop, therefore waits
# not at all (busy_timeout 0) and GroupCommit retries a locked batch without blocking the loop.
BUSY_TIMEOUT_MS = 5000
log = logging.getLogger(__name__)


class StorageError(LetterpressError):
    """The database file cannot be opened or written; the message names the path."""


def connect(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """Open (creating if needed) the database file in autocommit mode, WAL journal.

    WAL with synchronous=NORMAL keeps every committed transaction across a crash of the process;
    only a power loss can take the last few (README: "Running the inbox in production").
    Raises StorageError naming the path when the file or its folder cannot be opened.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        connection.row_factory = sqlite3.Row
        connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        # Whatever is deleted is overwritten with zeros in the file, not merely unlinked: a
        # forgotten person's data must not stay readable in free pages.
        connection.execute("PRAGMA secure_delete = ON")
    except (sqlite3.Error, OSError) as error:
        raise StorageError(
            f"The inbox database {path} cannot be opened ({error}): check that its folder "
            "exists, is on a writable file system with free space, and belongs to the user the "
            "inbox runs as (LETTERPRESS_INBOX_DB names the file)."
        ) from None
    return connection


CHECKPOINT_EVERY_S = 1.0


class Checkpointer:
    """Copies the WAL into the database file every `every_s` seconds from its own connection and
    thread. A PASSIVE checkpoint never waits for the writer, nor makes it wait; SQLite releases the
    GIL while it copies and syncs."""

    def __init__(self, path: Path, every_s: float = CHECKPOINT_EVERY_S):
        self.path = Path(path)
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)

    def start(self) -> "Checkpointer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        connection = connect(self.path)
        try:
            while not self._stop.wait(self.every_s):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as error:  # e.g. another process checkpointing: next turn
                    log.warning("WAL checkpoint of %s skipped: %s", self.path, error)
        finally:
            connection.close()


@contextmanager
def transaction(connection: sqlite3.Connection, mode: str = "IMMEDIATE") -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception.

    IMMEDIATE takes the write lock up front, so a read-then-write decision (a free seat, a
    duplicate post) cannot race with another writer. Inside a transaction already open (a
    GroupCommit batch) it is a savepoint of that transaction instead.
    """
    if connection.in_transaction:
        connection.execute("SAVEPOINT nested")
        try:
            yield
        except BaseException:
            connection.execute("ROLLBACK TO nested")
            connection.execute("RELEASE nested")
            raise
        connection.execute("RELEASE nested")
        return
    connection.execute(f"BEGIN {mode}")
    try:
        yield
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def compact(connection: sqlite3.Connection) -> None:
    """Rewrite the database file without its free pages (VACUUM) and empty the WAL into it, so
    nothing deleted survives in either file. Takes the write lock while it runs."""
    connection.execute("VACUUM")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def compact_file(path: Path) -> None:
    """`compact` from a connection of its own (the server runs it in a worker thread)."""
    connection = connect(path)
    try:
        compact(connection)
    finally:
        connection.close()


def is_locked(error: BaseException) -> bool:
    """True when `error` is SQLite saying another connection holds the lock (SQLITE_BUSY)."""
    return isinstance(error, sqlite3.OperationalError) and (
        getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY
        or "database is locked" in str(error)
    )


def statements(schema: str) -> list[str]:
    """The SQL statements in `schema`, one by one: executescript() would commit on its own, so
    a schema is split to run inside the caller's transaction."""
    statements, pending = [], ""
    for line in schema.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements
