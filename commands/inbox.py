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
from urllib.parse import urlsplit

from invoke import Collection, Exit, task

from commands.site import ROOT, inbox_address, inbox_config, read_site_settings


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
    from letterpress.inbox.comment_store import SCHEMA as COMMENTS
    from letterpress.inbox.db import open_database
    from letterpress.inbox.registration_store import SCHEMA as REGISTRATIONS
    from letterpress.inbox.retention import prune as prune_inbox
    from letterpress.inbox.sender_limits import SCHEMA as LIMITS
    from letterpress.notify.store import SCHEMA as NOTIFY

    config = inbox_config()
    if not config.db_path.exists():
        raise Exit(f"No inbox database at {config.db_path}: set inbox_db in the settings.", code=2)
    db = open_database(config.db_path, [COMMENTS, REGISTRATIONS, LIMITS, NOTIFY])
    try:
        pruned = prune_inbox(db, config.clock(), config.retention_days)
    finally:
        db.close()
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
    address = urlsplit(inbox_url)
    host, port = address.hostname, address.port
    ensure_port_free(host, port, "The inbox")
    args = [sys.executable, "-m", "letterpress.inbox", "--host", host, "--port", str(port)]
    process = subprocess.Popen(args, cwd=ROOT, env=env)
    try:
        _wait_until_up(process, inbox_url)
        yield inbox_url
    finally:
        process.terminate()
        process.wait(timeout=10)


ns = Collection("inbox", serve, prune)
