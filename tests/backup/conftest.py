"""Fixtures of the backup tests: a local S3-compatible server (moto's server mode), a bucket of
its own for each test, Litestream run by `invoke inbox.replicate`, and steady comment traffic."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field

import httpx
import pytest

from tests.support import ROOT, free_port, require_tool

ACCESS_KEY = "letterpress-test-key"
SECRET_KEY = "letterpress-test-secret"


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """moto_server on a loopback port: any key is accepted, buckets must be created first."""
    server = os.path.join(os.path.dirname(sys.executable), "moto_server")
    require_tool(os.path.exists(server), "moto_server", "pip install -r requirements-dev.txt")
    port = free_port()
    with open(tmp_path_factory.mktemp("moto") / "moto.log", "wb") as log:
        args = [server, "-H", "127.0.0.1", "-p", str(port)]
        process = subprocess.Popen(args, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1, trust_env=False)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("moto_server did not start")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def replica(s3_endpoint, tmp_path) -> dict:
    """A fresh bucket; the settings that make the inbox's tasks replicate into it (the secret
    key from a file, as a service manager hands credentials over)."""
    import boto3

    bucket = f"inbox-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=bucket)
    secret_file = tmp_path / "s3-secret"
    secret_file.write_text(SECRET_KEY + "\n", "utf-8")
    return {
        "LETTERPRESS_BACKUP_REPLICA_URL": f"s3://{bucket}/letterpress/inbox",
        "LETTERPRESS_BACKUP_ENDPOINT": s3_endpoint,
        "LETTERPRESS_BACKUP_ACCESS_KEY_ID": ACCESS_KEY,
        "LETTERPRESS_BACKUP_SECRET_ACCESS_KEY_FILE": str(secret_file),
    }


def start_replication(env: dict, log_path) -> subprocess.Popen:
    """`invoke inbox.replicate`, which becomes Litestream (exec), so its pid is Litestream's."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "invoke", "inbox.replicate"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


@dataclass
class Traffic:
    """Comments posted one after another over HTTP, as readers would, until stopped. Each one the
    inbox acknowledged (201 with its id) is recorded with the moment the answer came."""

    url: str
    essay: str = "open-essay"
    pause_s: float = 0.01
    acknowledged: list[tuple[str, float]] = field(default_factory=list)
    # What went wrong, as the reader saw it: an answer other than 201, or no answer.
    failures: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "Traffic":
        self._thread.start()
        return self

    def stop(self) -> "Traffic":
        self._stop.set()
        self._thread.join(timeout=30)
        return self

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count:
            assert time.monotonic() < deadline, f"only {len(self.acknowledged)} comments taken"
            time.sleep(0.05)

    def _run(self) -> None:
        # A generous timeout: on a loaded machine a slow answer is still an answer.
        with httpx.Client(timeout=30, trust_env=False) as client:
            n = 0
            while not self._stop.is_set():
                n += 1
                data = {
                    "essay": self.essay,
                    "name": "Steady Reader",
                    "email": "steady@example.org",
                    "body": f"Comment {n} {uuid.uuid4().hex[:8]}.",
                }
                try:
                    answer = client.post(
                        self.url + "/comments", data=data, headers={"Accept": "application/json"}
                    )
                except httpx.TransportError as error:
                    self.failures.append(repr(error))  # no answer: nothing acknowledged
                else:
                    if answer.status_code == 201:
                        self.acknowledged.append((answer.json()["id"], time.monotonic()))
                    else:
                        self.failures.append(f"{answer.status_code}: {answer.text[:200]}")
                time.sleep(self.pause_s)


def wait_for_replica(env: dict, holding: set[str], folder, timeout: float = 60) -> float:
    """Wait until the replica restores to a database holding every comment id in `holding`
    (restored into a scratch file, as the docs' restore drill does); seconds it took."""
    from letterpress.inbox.backup import BackupConfig, BackupError, restore_replica

    scratch = folder / "drill" / "inbox.sqlite3"
    config = BackupConfig.from_environ({**env, "LETTERPRESS_INBOX_DB": str(scratch)})
    started = time.monotonic()
    while True:
        shutil.rmtree(scratch.parent, ignore_errors=True)
        try:
            restore_replica(config)
            with sqlite3.connect(scratch) as connection:
                have = {row[0] for row in connection.execute("SELECT id FROM comments")}
            connection.close()
            if holding <= have:
                return time.monotonic() - started
        except BackupError:
            pass  # nothing replicated yet
        assert time.monotonic() - started < timeout, "the replica did not catch up"
        time.sleep(0.25)


def kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
