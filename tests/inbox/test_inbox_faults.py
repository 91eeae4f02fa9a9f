"""Faults shown: a full disk, a read-only file system, a write lock held by another program and a
failing mail queue, each answered truthfully by the real inbox (503 with Retry-After on the site's
own page; /healthz non-200 naming the fault), and never by freezing the event loop."""

import contextlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from letterpress.manifest import read_manifest
from tests.notifications.notify_helpers import smtp_env
from tests.support import ROOT, prepare_inbox, require_tool, run_invoke

JSON = {"Accept": "application/json"}


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "16m"):
    """A tmpfs of `size` mounted at `folder`: a disk that can really fill up."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    require_tool(mounted.returncode == 0, "mounting a tmpfs", f"run as root ({mounted.stderr})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Write a file until the disk holding `folder` has no space left."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(descriptor, b"\0" * 65536)
        with contextlib.suppress(OSError):
            while True:  # the last few bytes
                os.write(descriptor, b"\0" * 512)
    finally:
        os.close(descriptor)
    return filler


def open_essay(manifest_path: Path) -> str:
    manifest = read_manifest(manifest_path)
    return next(slug for slug, essay in manifest.essays.items() if essay.comments_open)


def test_a_full_disk_is_a_503_on_the_sites_own_page_and_healthz_says_so(site, tmp_path):
    with small_disk(tmp_path / "disk") as disk:
        inbox = prepare_inbox(
            disk,
            env={"LETTERPRESS_COMMENT_RATE": "0"},
            manifest_path=site.output / "letterpress.json",
        )
        inbox.db_path = disk / "var" / "inbox.sqlite3"
        inbox.env["LETTERPRESS_INBOX_DB"] = str(inbox.db_path)
        inbox.start()
        try:
            essay = open_essay(site.output / "letterpress.json")
            form = {"essay": essay, "name": "Ada", "email": "ada@example.org", "body": "Full?"}
            assert httpx.get(inbox.url + "/healthz").status_code == 200
            filler = fill(disk)
            health = httpx.get(inbox.url + "/healthz")
            assert health.status_code == 503
            assert "full" in health.json()["database"] and health.json()["status"] == "failing"
            answers = [
                httpx.post(
                    inbox.url + "/comments", data={**form, "body": f"Full {n} " + "x" * 4000}
                )
                for n in range(20)
            ]
            assert {a.status_code for a in answers} == {503}, [a.status_code for a in answers]
            page = answers[0]
            assert page.headers["retry-after"].isdigit()
            assert "cannot save anything just now" in page.text
            assert 'name="body"' in page.text  # the site's page, with the form to send again
            assert "Internal Server Error" not in page.text
            as_json = httpx.post(inbox.url + "/comments", data=form, headers=JSON)
            assert as_json.status_code == 503 and "Retry-After" in as_json.headers
            filler.unlink()
            assert httpx.get(inbox.url + "/healthz").status_code == 200
            assert httpx.post(inbox.url + "/comments", data=form, headers=JSON).status_code == 201
            assert "Traceback" not in inbox.log()
        finally:
            inbox.stop()


def test_a_read_only_file_system_at_start_names_the_path(tmp_path):
    with small_disk(tmp_path / "disk", "1m") as disk:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        database = disk / "var" / "inbox.sqlite3"
        env = {**os.environ, "LETTERPRESS_INBOX_DB": str(database)}
        started = subprocess.run(
            [sys.executable, "-m", "letterpress.inbox", "--port", "9"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert started.returncode == 2
    assert str(database) in started.stderr and "Traceback" not in started.stderr


def hold_write_lock(db_path: Path, seconds: float, held: threading.Event) -> threading.Thread:
    def hold():
        connection = sqlite3.connect(db_path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        connection.execute("ROLLBACK")
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    return thread


def test_a_write_lock_held_elsewhere_never_freezes_the_inbox(start_inbox):
    inbox = start_inbox(env={"LETTERPRESS_COMMENT_RATE": "0"})
    form = {"essay": "open-essay", "name": "Ada", "email": "ada@example.org"}
    held = threading.Event()
    # Held for 3 s while a comment waits for it: /healthz must answer while the lock is still
    # held (checked by the holder being alive, not by a time limit a loaded machine could miss).
    holder = hold_write_lock(inbox.db_path, 3.0, held)
    held.wait()
    posted: list[httpx.Response] = []
    poster = threading.Thread(
        target=lambda: posted.append(
            httpx.post(inbox.url + "/comments", data={**form, "body": "Waits."}, headers=JSON)
        )
    )
    poster.start()
    began = time.perf_counter()
    health = httpx.get(inbox.url + "/healthz")
    answered_in = time.perf_counter() - began
    assert holder.is_alive(), f"/healthz took {answered_in:.2f} s: it waited for the lock"
    assert health.status_code == 503 and "locked" in health.json()["database"]
    holder.join()
    poster.join()
    assert posted[0].status_code == 201, "the comment waited for the lock and was stored"
    # A lock held longer than the inbox waits: a 503 with Retry-After, nothing half-stored.
    held.clear()
    holder = hold_write_lock(inbox.db_path, 6.5, held)
    held.wait()
    refused = httpx.post(
        inbox.url + "/comments", data={**form, "body": "Gives up."}, headers=JSON, timeout=15
    )
    holder.join()
    assert refused.status_code == 503 and refused.headers["retry-after"] == "2"
    assert inbox.rows("SELECT COUNT(*) FROM comments WHERE body = 'Gives up.'")[0][0] == 0
    assert httpx.get(inbox.url + "/healthz").status_code == 200


def test_a_failing_mail_queue_makes_healthz_fail(start_inbox, smtp):
    smtp.refuse = True
    inbox = start_inbox(env=smtp_env(smtp))
    parent = httpx.post(
        inbox.url + "/comments",
        data={
            "essay": "open-essay",
            "name": "A",
            "email": "a@example.org",
            "body": "x",
            "notify_replies": "on",
        },
        headers=JSON,
    ).json()["id"]
    admin = {"Authorization": f"Bearer {inbox.env['LETTERPRESS_ADMIN_TOKEN']}", **JSON}
    httpx.post(f"{inbox.url}/comments/{parent}/approve", headers=admin)
    reply = httpx.post(
        inbox.url + "/comments",
        data={
            "essay": "open-essay",
            "name": "B",
            "email": "b@example.org",
            "body": "y",
            "parent": parent,
        },
        headers=JSON,
    ).json()["id"]
    httpx.post(f"{inbox.url}/comments/{reply}/approve", headers=admin)
    env = {**os.environ, "LETTERPRESS_INBOX_DB": str(inbox.db_path), **smtp_env(smtp)}
    run_invoke("notifications.send", "--now", env=env)
    run_invoke("notifications.send", "--now", env=env)
    health = httpx.get(inbox.url + "/healthz")
    assert health.status_code == 503
    assert "451" in health.json()["mail"] and health.json()["database"] == "ok"
