"""The inbox database's whole schema, and `open_inbox`, the one way to open the database.

Each table is written where its SQL is (the store modules); this module is the only list of
them. The server, the tasks, the terminal's moderation, backups and tests all open the file
through `open_inbox`, so each of them sees every table: a task run against a database an older
version made creates the tables it lacks instead of failing on them.

The version of the schema is SQLite's `PRAGMA user_version`. A database stamped with a newer
version than this code knows is refused (a sentence naming the file) rather than written to.
When a release changes a table that already exists, its `ALTER TABLE` goes at the end of
MIGRATIONS: each entry takes a database from the version before it to the next.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from letterpress.notify.store import SCHEMA as NOTIFICATIONS
from letterpress.payments.store import SCHEMA as PAYMENTS

from .admin_page.sessions import SCHEMA as ADMIN_SESSIONS
from .comment_store import SCHEMA as COMMENTS
from .db import BUSY_TIMEOUT_MS, StorageError, connect, statements, transaction
from .faults import HEALTH_SCHEMA
from .publication_store import SCHEMA as PUBLICATION
from .registration_store import SCHEMA as REGISTRATIONS
from .sender_limits import SCHEMA as SENDER_LIMITS

# Every table and index of the inbox, in the order they are created.
SCHEMAS: tuple[str, ...] = (
    HEALTH_SCHEMA,
    COMMENTS,
    PUBLICATION,
    REGISTRATIONS,
    SENDER_LIMITS,
    NOTIFICATIONS,
    ADMIN_SESSIONS,
    PAYMENTS,
)

# SQL that brings an existing database from version n to n + 1 (MIGRATIONS[n - 1]), run before
# SCHEMAS; a new database is made from SCHEMAS alone.
MIGRATIONS: tuple[str, ...] = ()
SCHEMA_VERSION = 1 + len(MIGRATIONS)


def open_inbox(path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """The inbox database at `path` (created when missing; ":memory:" for a scratch one),
    migrated to SCHEMA_VERSION with every table in place, in autocommit mode (db.connect), in
    one transaction. StorageError naming the file when it cannot be opened or written, or was
    made by a newer version of Letterpress."""
    path = Path(path)
    connection = connect(path, busy_timeout_ms)
    try:
        with transaction(connection):
            version = _stored_version(connection)
            if version > SCHEMA_VERSION:
                raise StorageError(
                    f"The inbox database {path} has schema version {version}, newer than this "
                    f"Letterpress knows ({SCHEMA_VERSION}): run the version that made it."
                )
            pending = MIGRATIONS[version - 1 :] if version else ()
            for schema in (*pending, *SCHEMAS):
                for statement in statements(schema):
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.Error as error:
        connection.close()
        raise StorageError(
            f"The inbox database {path} cannot be written ({error}): check that its file "
            "system is writable and has free space, and that the inbox's user owns the file."
        ) from None
    except StorageError:
        connection.close()
        raise
    return connection


def _stored_version(connection: sqlite3.Connection) -> int:
    """The database's schema version: 0 for a new (empty) file, 1 for one made before versions
    were stamped (it has tables but user_version 0)."""
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if version:
        return version
    tables = connection.execute("SELECT count(*) FROM sqlite_schema WHERE type = 'table'")
    return 1 if tables.fetchone()[0] else 0
