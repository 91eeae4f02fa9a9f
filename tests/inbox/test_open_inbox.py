"""open_inbox: the one way to open the inbox's database, with every table, at one version."""

import ast
import sqlite3
from pathlib import Path

import pytest

from letterpress.inbox.comment_store import SCHEMA as COMMENTS
from letterpress.inbox.db import StorageError, connect
from letterpress.inbox.schema import SCHEMA_VERSION, SCHEMAS, open_inbox
from letterpress.notify.store import SCHEMA as NOTIFICATIONS

ROOT = Path(__file__).resolve().parents[2]


def tables(db: sqlite3.Connection) -> set[str]:
    rows = db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")
    return {row[0] for row in rows}


def every_table() -> set[str]:
    db = open_inbox(":memory:")
    try:
        return tables(db)
    finally:
        db.close()


def test_a_new_database_has_every_table_of_every_feature_and_the_version(tmp_path):
    db = open_inbox(tmp_path / "inbox.sqlite3")
    found = tables(db)
    assert {"comments", "registrations", "notifications", "payments", "admin_sessions"} <= found
    assert {"sender_events", "comment_files", "inbox_health", "stripe_events"} <= found
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_a_database_an_older_task_made_with_some_tables_gets_the_rest(tmp_path):
    path = tmp_path / "inbox.sqlite3"
    old = connect(path)  # as `invoke notifications.send` made it: two tables, no version
    for schema in (COMMENTS, NOTIFICATIONS):
        old.executescript(schema)
    old.close()
    db = open_inbox(path)
    assert tables(db) == every_table()
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_opening_twice_changes_nothing(tmp_path):
    path = tmp_path / "inbox.sqlite3"
    open_inbox(path).close()
    db = open_inbox(path)
    assert tables(db) == every_table()
    db.close()


def test_a_database_from_a_newer_letterpress_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "newer.sqlite3"
    newer = connect(path)
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.close()
    with pytest.raises(StorageError) as refused:
        open_inbox(path)
    assert "newer.sqlite3" in str(refused.value)
    assert f"schema version {SCHEMA_VERSION + 1}" in str(refused.value)


def python_files(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def test_only_schema_py_gathers_the_stores_schemas():
    """docs/architecture.md: open_inbox is the only place the list of tables is assembled; a
    task or module that imported a store's SCHEMA would be assembling its own subset again."""
    gatherer = ROOT / "letterpress" / "inbox" / "schema.py"
    offenders = []
    for path in python_files("letterpress", "commands", "plugins", "bench"):
        if path == gatherer:
            continue
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and any(
                alias.name.endswith("SCHEMA") for alias in node.names
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
    assert len(SCHEMAS) == 8
