"""Litestream replicates the inbox's database to S3-compatible storage (moto's server on
loopback) while readers post comments; the server is lost; `invoke inbox.restore --replica`
gives back every acknowledged comment but those of the last moments Litestream had not yet
shipped (about two seconds: see WINDOW_S). The figures are printed (-s)."""

import shutil
import time

import pytest

from tests.backup.conftest import (
    SECRET_KEY,
    Traffic,
    kill,
    start_replication,
    wait_for_replica,
)
from tests.support import prepare_inbox, run_invoke

# Litestream looks at the WAL every second (its monitor interval) and ships what it found every
# sync-interval (1 s, deploy/litestream.yml): what a loss can take is about two seconds' worth.
WINDOW_S = 2.0


@pytest.fixture
def replicated(tmp_path, replica):
    """The real inbox and Litestream beside it, as on a server; both stopped after the test."""
    inbox = prepare_inbox(
        tmp_path / "server", env={"LETTERPRESS_COMMENT_RATE": "0", **replica}
    ).start()
    litestream = start_replication(inbox.env, tmp_path / "litestream.log")
    wait_for_replica(inbox.env, set(), tmp_path)  # its first copy is up: replication runs
    yield inbox, litestream
    kill(litestream)
    inbox.stop()


def lose_the_disk(db_path) -> None:
    for path in db_path.parent.iterdir():
        if path.name.startswith(("inbox.sqlite3", ".inbox.sqlite3")):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def restored_ids(inbox) -> set[str]:
    return {row["id"] for row in inbox.rows("SELECT id FROM comments")}


def test_after_losing_the_server_the_replica_holds_all_but_the_last_second(replicated, tmp_path):
    inbox, litestream = replicated
    traffic = Traffic(inbox.url).start()
    traffic.wait_for(300, timeout=120)
    assert traffic.failures == [], "Litestream beside the inbox made a write fail"
    # The machine is lost: Litestream and the inbox stop at the same instant, mid-traffic.
    kill(litestream)
    inbox.kill()
    lost_at = time.monotonic()
    traffic.stop()
    lose_the_disk(inbox.db_path)

    started = time.monotonic()
    restored = run_invoke("inbox.restore", "--replica", env=inbox.env)
    restore_s = time.monotonic() - started
    assert restored.returncode == 0, restored.stdout + restored.stderr

    acknowledged = dict(traffic.acknowledged)
    have = restored_ids(inbox)
    missing = [cid for cid in acknowledged if cid not in have]
    # The comment in flight at the loss may have been written without its answer getting out.
    assert len(have - set(acknowledged)) <= 1, "only comments the inbox acknowledged"
    # What is missing is the tail: the comments of the last moments before the loss.
    assert set(missing) == set(list(acknowledged)[len(acknowledged) - len(missing) :])
    oldest_missing_s = max((lost_at - acknowledged[cid] for cid in missing), default=0.0)
    times = [at for _, at in traffic.acknowledged]
    rate = (len(times) - 1) / (times[-1] - times[0])
    print(
        f"\nreplica after a loss, at {rate:.0f} comments/s: "
        f"{len(missing)} of {len(acknowledged)} acknowledged comments "
        f"missing, the oldest acknowledged {oldest_missing_s:.2f} s before the loss; "
        f"restore took {restore_s:.2f} s (the task: {restored.stdout.splitlines()[0]})"
    )
    # The margin is for a loaded machine (CI runs two workers on two cores; a sync waits its turn).
    assert oldest_missing_s <= WINDOW_S + 3.0, "more than Litestream's window was lost"
    assert SECRET_KEY not in (tmp_path / "litestream.log").read_text("utf-8")

    inbox.start()
    assert inbox.rows("SELECT count(*) FROM comments")[0][0] == len(have)


def test_after_a_clean_stop_the_replica_holds_every_comment_and_replication_goes_on(
    replicated, tmp_path
):
    inbox, litestream = replicated
    acknowledged = set()
    for round in range(2):
        traffic = Traffic(inbox.url).start()
        traffic.wait_for(60)
        traffic.stop()
        assert traffic.failures == [], "Litestream beside the inbox made a write fail"
        acknowledged |= {cid for cid, _ in traffic.acknowledged}
        inbox.stop()
        # Litestream ships the last writes (a fraction of a second when the machine is idle;
        # more when CI runs two workers), then the disk is lost.
        caught_up = wait_for_replica(inbox.env, acknowledged, tmp_path)
        print(f"\nround {round + 1}: the replica had every comment {caught_up:.2f} s after")
        kill(litestream)
        lose_the_disk(inbox.db_path)

        restored = run_invoke("inbox.restore", "--replica", env=inbox.env)
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert restored_ids(inbox) == acknowledged, f"round {round + 1}"
        # Back in service on the restored database: replication carries on from it.
        inbox.start()
        litestream = start_replication(inbox.env, tmp_path / "litestream.log")

    again = run_invoke("inbox.restore", "--replica", env=inbox.env)
    assert again.returncode == 1 and "open in another process" in again.stderr
    kill(litestream)


def test_a_replica_restore_that_fails_changes_nothing(tmp_path, replica, start_inbox):
    inbox = start_inbox(env={"LETTERPRESS_COMMENT_RATE": "0", **replica})
    Traffic(inbox.url).start().stop()
    inbox.stop()
    before = inbox.db_path.read_bytes()

    # Nothing was ever replicated to this bucket.
    empty = run_invoke("inbox.restore", "--replica", "--force", env=inbox.env)
    assert empty.returncode == 1, empty.stdout
    assert empty.stderr.startswith("Nothing was changed: litestream could not restore from s3://")
    assert inbox.db_path.read_bytes() == before
    left = [p.name for p in inbox.db_path.parent.iterdir() if "restoring" in p.name]
    assert left + list(inbox.db_path.parent.glob("*.replaced-*")) == []

    unset = {k: v for k, v in inbox.env.items() if k != "LETTERPRESS_BACKUP_REPLICA_URL"}
    answer = run_invoke("inbox.restore", "--replica", "--force", env=unset)
    assert answer.returncode == 1 and "backup_replica_url" in answer.stderr
