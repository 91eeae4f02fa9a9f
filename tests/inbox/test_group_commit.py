"""Group commit and the background checkpoint: the inbox's writes under load, on a real file."""

import asyncio
import sqlite3
import time

import pytest

from letterpress.inbox.db import Checkpointer, connect
from letterpress.inbox.group_commit import GroupCommit
from tests.support import run_async

SCHEMA = "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)"


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "inbox.sqlite3"
    db = connect(path)
    db.execute(SCHEMA)
    db.close()
    return path


def note(text: str):
    def write(db: sqlite3.Connection) -> int:
        return db.execute("INSERT INTO notes (text) VALUES (?)", (text,)).lastrowid

    return write


def stored_texts(path) -> list[str]:
    """What another connection (another process, the moderation task) sees."""
    reader = connect(path)
    try:
        return [row[0] for row in reader.execute("SELECT text FROM notes ORDER BY id")]
    finally:
        reader.close()


def test_writes_queued_in_one_turn_share_one_commit_and_each_gets_its_answer(db_path):
    writes = GroupCommit(connect(db_path))

    async def burst():
        return await asyncio.gather(*(writes.run(note(f"note {n}")) for n in range(40)))

    ids = run_async(burst())
    assert ids == list(range(1, 41))
    assert (writes.batches, writes.writes) == (1, 40)
    assert stored_texts(db_path) == [f"note {n}" for n in range(40)]


def test_an_answer_comes_only_once_its_write_is_committed(db_path):
    writes = GroupCommit(connect(db_path))
    seen_by_another_connection = []

    async def write_then_look(text):
        await writes.run(note(text))
        seen_by_another_connection.append(text in stored_texts(db_path))

    async def burst():
        await asyncio.gather(*(write_then_look(f"note {n}") for n in range(10)))

    run_async(burst())
    assert seen_by_another_connection == [True] * 10


def test_a_refused_write_is_undone_alone_and_its_caller_gets_the_error(db_path):
    writes = GroupCommit(connect(db_path))

    def refused(db):
        db.execute("INSERT INTO notes (text) VALUES ('half of a refused write')")
        raise ValueError("refused after writing half")

    async def burst():
        return await asyncio.gather(
            writes.run(note("before")),
            writes.run(refused),
            writes.run(note("before")),  # the UNIQUE constraint refuses a repeat
            writes.run(note("after")),
            return_exceptions=True,
        )

    first, error, repeat, last = run_async(burst())
    assert (first, last) == (1, 2)
    assert isinstance(error, ValueError) and "refused after writing half" in str(error)
    assert isinstance(repeat, sqlite3.IntegrityError)
    assert stored_texts(db_path) == ["before", "after"]
    assert (writes.batches, writes.writes) == (1, 2)


def test_when_the_write_lock_cannot_be_had_every_caller_gets_the_error_and_nothing_is_kept(
    db_path,
):
    db = connect(db_path)
    db.execute("PRAGMA busy_timeout = 50")
    writes = GroupCommit(db)
    other_writer = connect(db_path)
    other_writer.execute("BEGIN IMMEDIATE")

    async def burst():
        return await asyncio.gather(
            *(writes.run(note(f"note {n}")) for n in range(3)), return_exceptions=True
        )

    try:
        answers = run_async(burst())
    finally:
        other_writer.execute("ROLLBACK")
    assert all(isinstance(a, sqlite3.OperationalError) for a in answers), answers
    assert "locked" in str(answers[0])
    assert stored_texts(db_path) == []
    assert not db.in_transaction
    # The connection is usable again once the lock is free.
    assert run_async(writes.run(note("later"))) == 1


def test_the_checkpointer_moves_the_log_into_the_database_file_in_the_background(db_path):
    db = connect(db_path)
    db.execute("PRAGMA wal_autocheckpoint = 0")  # as the server's writer runs
    size_before = db_path.stat().st_size
    for n in range(2000):
        db.execute("INSERT INTO notes (text) VALUES (?)", (f"note {n} " + "x" * 200,))
    assert db_path.stat().st_size == size_before  # everything is still only in the WAL

    checkpointer = Checkpointer(db_path, every_s=0.02).start()
    try:
        # The file grows page by page while a checkpoint copies: wait for all of it, not the first.
        deadline = time.monotonic() + 5
        while db_path.stat().st_size <= size_before + 400_000 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        checkpointer.stop()
    assert db_path.stat().st_size > size_before + 400_000
    db.close()
    assert len(stored_texts(db_path)) == 2000
