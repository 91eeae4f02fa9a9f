"""Run the inbox with uvicorn: `python -m letterpress.inbox` or `invoke inbox.serve`."""

import argparse
import logging
import os
import sys
from collections.abc import Mapping, Sequence

import uvicorn

from .app import create_app
from .config import ConfigError, InboxConfig
from .db import StorageError
from .deadlines import HeaderDeadlineProtocol
from .schema import open_inbox

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001


def app_from_environ():
    """The app configured from the environment, for `uvicorn --factory` in production."""
    return create_app(InboxConfig.from_environ())


# asyncio's own loop, not uvloop: at saturation uvloop answered some connections very late
# (p99 many times the median; README, "Inbox throughput"), asyncio's kept them in turn.
EVENT_LOOP = "asyncio"


def serve(
    host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, environ: Mapping[str, str] = os.environ
) -> None:
    """Serve until interrupted. The access log is off: it would write readers' IPs to disk.

    Every client deadline is set here (docs/inbox.md, "Timeouts"): headers and body (ours, see
    deadlines.py), an idle kept-alive connection, and how long a stop waits for requests.
    """
    config = InboxConfig.from_environ(environ)
    # Opened once before the server starts, so a path that cannot be used is reported as a
    # sentence naming it, not as a traceback from inside the server's start-up.
    open_inbox(config.db_path).close()
    _log_to_stderr()
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        loop=EVENT_LOOP,
        http=HeaderDeadlineProtocol.with_header_timeout(config.header_timeout),
        timeout_keep_alive=config.keep_alive_timeout,
        timeout_graceful_shutdown=config.shutdown_timeout,
        access_log=False,
        log_level="info",
    )


def _log_to_stderr() -> None:
    """Our own messages at INFO and above (the site fetched, the retention pass), beside
    uvicorn's; without a handler Python would print only warnings."""
    logger = logging.getLogger("letterpress")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m letterpress.inbox", description=__doc__)
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    try:
        serve(args.host, args.port)
    except (ConfigError, StorageError) as error:
        print(f"inbox: {error}", file=sys.stderr)
        return 2
    return 0
