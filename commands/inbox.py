"""Tasks for the inbox, the intake service for comments, registrations and sign-ups."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from invoke import Collection, Exit, task

ROOT = Path(__file__).resolve().parents[1]
# The same defaults as letterpress.inbox.serve, which is imported only when a task runs.
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8001


@task
def serve(c, host=DEFAULT_HOST, port=DEFAULT_PORT):
    """Run the inbox on http://HOST:PORT (settings from LETTERPRESS_* variables; README)."""
    from letterpress.inbox.config import ConfigError
    from letterpress.inbox.serve import serve as serve_inbox

    try:
        serve_inbox(host, int(port))
    except ConfigError as error:
        raise Exit(str(error), code=2) from None


def settings_inbox_url() -> str:
    """INBOX_URL from pelicanconf.py, where the site's forms post."""
    from pelicanconf import INBOX_URL

    return INBOX_URL


@contextmanager
def running_beside(site_url: str, inbox_url: str) -> Iterator[str]:
    """Run the inbox in the background at `inbox_url` for a site served at `site_url`.

    For `invoke serve`: answers go back to the local site, which may also call it from scripts.
    """
    env = {
        "LETTERPRESS_SITE_URL": site_url,
        "LETTERPRESS_ALLOWED_ORIGIN": site_url,
        **os.environ,
    }
    address = urlsplit(inbox_url)
    args = [sys.executable, "-m", "letterpress.inbox", "--host", address.hostname or DEFAULT_HOST]
    args += ["--port", str(address.port or DEFAULT_PORT)]
    process = subprocess.Popen(args, cwd=ROOT, env=env)
    try:
        yield inbox_url
    finally:
        process.terminate()
        process.wait(timeout=10)


ns = Collection("inbox", serve)
