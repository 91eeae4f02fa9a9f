"""`invoke inbox.backup` writes a consistent snapshot while the inbox takes comments, and
`invoke inbox.restore --snapshot` puts one back: never under a running inbox, never over a
database without --force, never a file that is not a sound inbox database; what it replaces is
kept."""

import sqlite3

import pytest

from letterpress.inbox.backup import BackupError, restore_snapshot
from tests.backup.conftest import Traffic
from tests.support import run_invoke


def comment_ids(path) -> list[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("SELECT id FROM comments")]
    finally:
        connection.close()


def with_a_broken_page(path, table: str) -> bytes:
    """The database's bytes with the first page of `table` overwritten, as a bad disk would."""
    connection = sqlite3.connect(path)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    sql = "SELECT rootpage FROM sqlite_schema WHERE name = ?"
    root = connection.execute(sql, (table,)).fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + 64] = b"\x00" * 64
    return bytes(data)


@pytest.fixture
def busy_inbox(start_inbox):
    inbox = start_inbox(env={"LETTERPRESS_COMMENT_RATE": "0"})
    traffic = Traffic(inbox.url).start()
    yield inbox, traffic
    traffic.stop()


def test_a_snapshot_taken_under_traffic_is_one_moment_and_restores_whole(busy_inbox, tmp_path):
    inbox, traffic = busy_inbox
    traffic.wait_for(40)
    before = len(traffic.acknowledged)
    snapshot = tmp_path / "snapshots" / "inbox.sqlite3"
    made = run_invoke("inbox.backup", "--to", str(snapshot), env=inbox.env)
    after = len(traffic.acknowledged)
    assert made.returncode == 0, made.stdout + made.stderr
    assert f"Snapshot written: {snapshot}" in made.stdout
    traffic.wait_for(after + 20)
    traffic.stop()
    inbox.stop()

    acknowledged = [cid for cid, _ in traffic.acknowledged]
    in_snapshot = set(comment_ids(snapshot))
    # One moment: every comment acknowledged before the backup began, in order, and nothing
    # later than the comments acknowledged while it ran (and the one in flight).
    assert set(acknowledged[:before]) <= in_snapshot
    assert len(in_snapshot) <= after + 1
    assert in_snapshot - set(acknowledged) <= set(), "only comments the inbox acknowledged"
    assert set(acknowledged[: len(in_snapshot)]) == in_snapshot

    refused = run_invoke("inbox.restore", "--snapshot", str(snapshot), env=inbox.env)
    assert refused.returncode == 1
    assert "exists: restoring would replace it" in refused.stderr
    assert set(comment_ids(inbox.db_path)) == set(acknowledged), "nothing changed"

    restored = run_invoke("inbox.restore", "--snapshot", str(snapshot), "--force", env=inbox.env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert set(comment_ids(inbox.db_path)) == in_snapshot
    kept = next(inbox.db_path.parent.glob("inbox.sqlite3.replaced-*"))
    assert set(comment_ids(kept / "inbox.sqlite3")) == set(acknowledged), "the old one is kept"
    assert str(kept) in restored.stdout

    inbox.start()
    assert inbox.rows("SELECT count(*) FROM comments")[0][0] == len(in_snapshot)


def test_a_restore_refuses_a_running_inbox_and_files_that_are_not_inbox_databases(
    busy_inbox, tmp_path
):
    inbox, traffic = busy_inbox
    traffic.wait_for(5)
    snapshot = tmp_path / "good.sqlite3"
    assert run_invoke("inbox.backup", "--to", str(snapshot), env=inbox.env).returncode == 0
    live = run_invoke("inbox.restore", "--snapshot", str(snapshot), "--force", env=inbox.env)
    assert live.returncode == 1 and "open in another process" in live.stderr
    traffic.stop()
    inbox.stop()
    count = len(comment_ids(inbox.db_path))

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4096)
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    connection.close()
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(with_a_broken_page(snapshot, "comments"))
    # The task, once: a sentence and exit 1, no traceback; then the library for each kind.
    answer = run_invoke("inbox.restore", "--snapshot", str(garbage), "--force", env=inbox.env)
    assert answer.returncode == 1 and "Traceback" not in answer.stderr
    assert answer.stderr.startswith("Nothing was changed:")
    assert "not an SQLite database" in answer.stderr
    for bad, said in [
        (foreign, "not an inbox database"),
        (damaged, "damaged"),
        (tmp_path / "nowhere.sqlite3", "no such file"),
    ]:
        with pytest.raises(BackupError, match=said):
            restore_snapshot(bad, inbox.db_path, force=True)
    assert len(comment_ids(inbox.db_path)) == count
    assert not list(inbox.db_path.parent.glob("*.replaced-*"))
    assert not list(inbox.db_path.parent.glob(".*restoring*"))

    neither = run_invoke("inbox.restore", env=inbox.env)
    assert neither.returncode == 2 and "--snapshot FILE, or --replica" in neither.stderr
