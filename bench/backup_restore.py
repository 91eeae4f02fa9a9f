"""How long backups and restores of the inbox's database take at a given size.

    .venv/bin/python bench/backup_restore.py                   # 100,000 comments (about a minute)
    .venv/bin/python bench/backup_restore.py --comments 10000

Fills a fresh inbox database with --comments pending comments (600-character bodies, ids and
fields as the inbox writes them), then times, with the same library calls the tasks make:
1. a snapshot (`invoke inbox.backup`) and its restore (`invoke inbox.restore --snapshot`);
2. Litestream's first replication of it (deploy/litestream.yml, to moto's S3 server on loopback),
   then, the database deleted, `inbox.restore --replica`.
Every restore is checked (integrity, schema) before it is put in place, as always; the count of
comments restored must equal the count written. Prints a table and writes --results (default
bench/results/backup_restore.json).
"""

import argparse
import datetime as dt
import json
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from letterpress.inbox import backup  # noqa: E402
from letterpress.inbox.comment_store import Submission, store_comment  # noqa: E402
from letterpress.inbox.db import transaction  # noqa: E402
from letterpress.inbox.schema import open_inbox  # noqa: E402

BUCKET = "bench-backups"
LABELS = {
    "snapshot_s": "snapshot",
    "restore_snapshot_s": "restore snapshot",
    "first_replication_s": "first replication",
    "restore_replica_s": "restore replica",
}


def fill(db_path: Path, count: int) -> None:
    db = open_inbox(db_path)
    now = dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
    with transaction(db):
        for n in range(count):
            body = f"Comment {n}. " + secrets.token_hex(300)
            submission = Submission("open-essay", None, "A Reader", "reader@example.org", "", body)
            store_comment(db, submission, "127.0.0.0/24", now + dt.timedelta(seconds=n))
    db.close()


def count_comments(db_path: Path) -> int:
    return backup.check_database(db_path).counts["comments"]


def start_s3(folder: Path) -> tuple[subprocess.Popen, str]:
    import boto3
    import httpx

    port = _free_port()
    server = Path(sys.executable).parent / "moto_server"
    with open(folder / "moto.log", "wb") as log:
        process = subprocess.Popen(
            [server, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log
        )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(url, timeout=1, trust_env=False)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    client = boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id="k",
        aws_secret_access_key="s",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    return process, url


def replicate_once(config: backup.BackupConfig, folder: Path) -> float:
    """Start Litestream, wait for its first snapshot of the database to be up; seconds taken."""
    log_path = folder / "litestream.log"
    command = [backup.litestream_binary(), "replicate", "-config", str(backup.LITESTREAM_CONFIG)]
    started = time.monotonic()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, env=config.litestream_environ(), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        while "snapshot complete" not in log_path.read_text("utf-8", errors="replace"):
            if process.poll() is not None or time.monotonic() - started > 600:
                raise SystemExit(f"Litestream did not replicate:\n{log_path.read_text('utf-8')}")
            time.sleep(0.05)
        return time.monotonic() - started
    finally:
        process.terminate()
        process.wait(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.monotonic()
    result = function(*args, **kwargs)
    return time.monotonic() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results/backup_restore.json")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="backup-bench-"))
    db_path = folder / "var" / "inbox.sqlite3"
    fill(db_path, args.comments)
    size_mb = db_path.stat().st_size / 2**20
    results = {"comments": args.comments, "database_mb": round(size_mb, 1)}

    snapshot_path = folder / "snapshot.sqlite3"
    results["snapshot_s"], _ = timed(backup.snapshot, db_path, snapshot_path)
    shutil.rmtree(db_path.parent)
    results["restore_snapshot_s"], _ = timed(backup.restore_snapshot, snapshot_path, db_path)
    assert count_comments(db_path) == args.comments

    s3, endpoint = start_s3(folder)
    try:
        config = backup.BackupConfig(
            db_path=db_path,
            backup_dir=folder / "backups",
            replica_url=f"s3://{BUCKET}/inbox",
            s3_endpoint=endpoint,
            access_key_id=backup.Secret("k"),
            secret_access_key=backup.Secret("s"),
        )
        results["first_replication_s"] = replicate_once(config, folder)
        shutil.rmtree(db_path.parent)
        results["restore_replica_s"], _ = timed(backup.restore_replica, config)
        assert count_comments(db_path) == args.comments
    finally:
        s3.terminate()
        s3.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)

    results = {k: round(v, 2) if isinstance(v, float) else v for k, v in results.items()}
    print(f"{'comments':>20} {results['comments']:,} ({results['database_mb']} MB)")
    for key, label in LABELS.items():
        print(f"{label:>20} {results[key]:.2f} s")
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
