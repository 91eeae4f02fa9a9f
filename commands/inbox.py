"""Tasks for the inbox, the intake service for comments, registrations and sign-ups."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from invoke import Collection, Exit, task

from commands.site import (
    ROOT,
    inbox_address,
    letterpress_settings,
    local_inbox,
    read_site_settings,
)


@task(help={"host": "default: INBOX_URL's host", "port": "default: INBOX_URL's port"})
def serve(c, host="", port=0):
    """Run the inbox on http://HOST:PORT (settings from LETTERPRESS_* variables; docs/inbox.md)."""
    default_host, default_port = inbox_address(read_site_settings())
    host, port = host or default_host, int(port) or default_port
    from letterpress.inbox.config import ConfigError
    from letterpress.inbox.serve import serve as serve_inbox

    try:
        serve_inbox(host, int(port))
    except ConfigError as error:
        raise Exit(str(error), code=2) from None


@task
def prune(c):
    """Delete what the inbox keeps only retention_days (docs/notifications.md)."""
    from letterpress.inbox.retention import prune as prune_inbox

    with local_inbox(remote_hint=False) as inbox:
        config = inbox.config
        pruned = prune_inbox(inbox.db, config.clock(), config.retention_days)
    print(f"Deleted what is older than {config.retention_days} days:")
    for name, count in pruned.as_dict().items():
        print(f"  {name.replace('_', ' ')}: {count}")


def ensure_port_free(host: str, port: int, what: str) -> None:
    """Stop with a sentence when `what` (the site, the inbox) could not listen on host:port."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise Exit(
                f"{what} cannot start: {host}:{port} is already in use (another `make serve`?). "
                "Stop that program, or choose other ports: make serve PORT=8010 for the site, "
                'dev_inbox_url = "http://127.0.0.1:8011" in letterpress.toml for the inbox.',
                code=1,
            ) from None


def _wait_until_up(process: subprocess.Popen, url: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Exit(f"The inbox stopped at start-up (exit {process.returncode}): see above.")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                return
        except urllib.error.HTTPError as error:  # 503: up, and saying what fails (no site yet)
            error.close()
            return
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise Exit(f"The inbox did not answer at {url}/healthz within {timeout:.0f} s.")


@contextmanager
def running_beside(site_url: str, inbox_url: str) -> Iterator[str]:
    """Run the inbox in the background at `inbox_url` for a site served at `site_url`; stop with
    a clear message, before serving the site, when it cannot start (so no form posts nowhere).

    For `invoke serve`: answers go back to the local site, which may also call it from scripts.
    """
    env = {
        "LETTERPRESS_SITE_URL": site_url,
        "LETTERPRESS_ALLOWED_ORIGIN": site_url,
        **os.environ,
    }
    host, port = inbox_address({"INBOX_URL": inbox_url})
    ensure_port_free(host, port, "The inbox")
    args = [sys.executable, "-m", "letterpress.inbox", "--host", host, "--port", str(port)]
    process = subprocess.Popen(args, cwd=ROOT, env=env)
    try:
        _wait_until_up(process, inbox_url)
        yield inbox_url
    finally:
        process.terminate()
        process.wait(timeout=10)


@task(help={"to": "the snapshot file (default: backup_dir/inbox-<time>.sqlite3)"})
def backup(c, to=""):
    """Write a consistent snapshot of the inbox's database, safe while it runs (docs/backups.md)."""
    import datetime as dt

    from letterpress.inbox import backup as backups

    config = _backup_config()
    destination = to or backups.snapshot_name(config.backup_dir, dt.datetime.now(dt.UTC))
    try:
        facts = backups.snapshot(config.db_path, destination)
    except backups.BackupError as error:
        raise Exit(str(error), code=1) from None
    size = facts.path.stat().st_size / 1024
    print(f"Snapshot written: {facts.path} ({size:,.0f} KB; {facts.summary()}).")


@task(
    help={
        "snapshot": "restore this snapshot file (made by inbox.backup)",
        "replica": "restore the latest state Litestream shipped to the replica",
        "force": "replace an existing database (it is kept in a folder beside it)",
    }
)
def restore(c, snapshot="", replica=False, force=False):
    """Restore the inbox's database from a snapshot or the replica, checked before it replaces."""
    from letterpress.inbox import backup as backups

    if bool(snapshot) == bool(replica):
        raise Exit("Say where from: --snapshot FILE, or --replica (docs/backups.md).", code=2)
    config = _backup_config()
    try:
        if snapshot:
            done = backups.restore_snapshot(snapshot, config.db_path, force=force)
        else:
            done = backups.restore_replica(config, force=force)
    except backups.BackupError as error:
        raise Exit(f"Nothing was changed: {error}", code=1) from None
    print(f"Restored {config.db_path} in {done.seconds:.2f} s ({done.facts.summary()}).")
    if done.kept:
        print(f"The database it replaced is kept in {done.kept}.")
    print("Start the inbox (and Litestream) again.")


@task
def replicate(c):
    """Run Litestream: replicate the inbox's database continuously to the replica (foreground)."""
    from letterpress.inbox import backup as backups

    config = _backup_config()
    try:
        environ = config.litestream_environ()
        binary = backups.litestream_binary()
    except backups.BackupError as error:
        raise Exit(str(error), code=2) from None
    config_file = str(backups.LITESTREAM_CONFIG)
    # Litestream takes over this process, so a service manager's stop signal reaches it.
    os.execve(binary, [binary, "replicate", "-config", config_file], environ)


def _backup_config():
    from letterpress.inbox.backup import BackupConfig

    return BackupConfig.from_settings(letterpress_settings())


ns = Collection("inbox", serve, prune, backup, restore, replicate)
