"""The inbox's SQLite store: one file, WAL journal, one writer connection per process.

Each feature module brings its own schema (idempotent `CREATE TABLE IF NOT EXISTS`);
`open_database` applies them all at start-up. Statements are short, so handlers run them directly on
the event loop: an INSERT with synchronous=NORMAL takes a fraction of a millisecond, less than a hop
to a worker thread would cost.
"""

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

BUSY_TIMEOUT_MS = 5000


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the database file in autocommit mode, WAL journal.

    WAL with synchronous=NORMAL keeps every committed transaction across a crash of the process;
    only a power loss can take the last few (README: "Running the inbox in production").
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def open_database(path: Path, schemas: Iterable[str]) -> sqlite3.Connection:
    """Connect and apply every feature's schema in one transaction."""
    connection = connect(path)
    with transaction(connection):
        for schema in schemas:
            for statement in _statements(schema):
                connection.execute(statement)
    return connection


@contextmanager
def transaction(connection: sqlite3.Connection, mode: str = "IMMEDIATE") -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception.

    IMMEDIATE takes the write lock up front, so a read-then-write decision (a free seat, a
    duplicate post) cannot race with another writer.
    """
    connection.execute(f"BEGIN {mode}")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _statements(schema: str) -> list[str]:
    # executescript() would commit on its own; split so the schema runs in our transaction.
    statements, pending = [], ""
    for line in schema.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements
