"""When the inbox's own storage fails: the refusal a person sees, and what /healthz reports.

A full disk, a read-only file system or another process holding the database's write lock make
SQLite raise; uncaught, each was a bare "Internal Server Error" (or a reset connection) while
/healthz said "ok". Here each becomes a 503 with Retry-After, on the site's own page for a form
(responses.refused), and /healthz checks the same things a write needs.
"""

import datetime as dt
import errno
import logging
import shutil
import sqlite3
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse

from letterpress.notify.store import failing_mail
from letterpress.notify.transport import without_addresses

from .db import is_locked
from .errors import Unavailable
from .responses import refused

log = logging.getLogger(__name__)

# Below this much free space where the database lives, /healthz reports the disk as full: SQLite
# needs room for its log and a checkpoint before an INSERT fails.
MIN_FREE_BYTES = 8 * 1024 * 1024
RETRY_WHEN_LOCKED_S = 2
RETRY_WHEN_FULL_S = 300
_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)

HEALTH_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox_health (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    checked     TEXT NOT NULL           -- the last time /healthz wrote here
);
"""


def storage_unavailable(error: BaseException) -> Unavailable:
    """The refusal for a failed read or write of the inbox's storage."""
    if is_locked(error):
        return Unavailable(
            "The inbox is busy for a moment (its database is in use by another program); "
            "please send the form again in a few seconds: nothing was saved.",
            retry_after=RETRY_WHEN_LOCKED_S,
        )
    return Unavailable(
        "The inbox cannot save anything just now (its storage is failing); nothing was saved. "
        "Please keep your text and send the form again later.",
        retry_after=RETRY_WHEN_FULL_S,
    )


async def storage_error(request: Request, error: Exception):
    """Exception handler for sqlite3.Error and a full or read-only disk (OSError)."""
    if isinstance(error, OSError) and error.errno not in _FULL:
        raise error
    where = without_addresses(request.url.path)  # /people/<address> names a person
    log.error("storage failed for %s %s: %s", request.method, where, error)
    return refused(request, storage_unavailable(error))


def _database_problem(db: sqlite3.Connection, db_path: Path, now: dt.datetime) -> str | None:
    try:
        free = shutil.disk_usage(Path(db_path).parent).free
    except OSError as error:
        return f"the database's folder cannot be read: {error}"
    if free < MIN_FREE_BYTES:
        return f"the disk holding {db_path} is full ({free // 1024} KB free)"
    try:
        db.execute(
            "INSERT INTO inbox_health (id, checked) VALUES (1, ?)"
            " ON CONFLICT (id) DO UPDATE SET checked = excluded.checked",
            (now.astimezone(dt.UTC).isoformat(timespec="seconds"),),
        )
    except sqlite3.Error as error:
        if is_locked(error):
            return f"{db_path} is locked by another program: writes are waiting"
        return f"{db_path} cannot be written: {error}"
    return None


def _manifest_problem(site) -> str | None:
    """ "unreadable: …" or "stale: …" (fetched from the site, which has not confirmed it for
    `manifest_stale_after` seconds: SiteManifest.health), None when the manifest is fine."""
    health = site.health()
    if health.ok:
        return None
    return f"{health.state}: {health.detail}"


async def healthz(request: Request) -> JSONResponse:
    """200 and "ok" for each part when the inbox can take and keep what it is sent; 503 naming
    every part that cannot: the database (cannot be written, disk full), the site's manifest
    (unreadable) and the e-mail queue (failing)."""
    state = request.state
    now = state.config.clock()
    problems = {
        "database": _database_problem(state.db, state.config.db_path, now),
        "manifest": _manifest_problem(state.site),
        "mail": failing_mail(state.db),
    }
    body = {name: problem or "ok" for name, problem in problems.items()}
    failing = any(problems.values())
    body["status"] = "failing" if failing else "ok"
    return JSONResponse(body, status_code=503 if failing else 200)
