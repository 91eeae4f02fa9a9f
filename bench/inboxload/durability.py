"""No acknowledged comment is lost: a burst of POSTs, SIGKILL mid-burst, restart, look for each one.

A small asyncio client (raw HTTP/1.1 on keep-alive connections, one per simulated reader) sends
POST_COUNT comments with bounded concurrency and records the marker of every comment the inbox
acknowledged (303, or 201 for JSON). Once KILL_AFTER of them are acknowledged it kills the server
with SIGKILL, so dozens of requests are in flight. The requests left then fail (the server is gone)
and are not acknowledged, which is correct. After a restart on the same database file, every
acknowledged marker must be there; a comment stored but never acknowledged (its answer was lost
in the kill) is allowed and counted.
"""

import asyncio
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from .servers import HOST

ACKNOWLEDGED = {303, 201}
BODY_PREFIX = "Durability check "


@dataclass
class BurstOutcome:
    sent: int = 0
    acknowledged: list[str] = field(default_factory=list)
    refused: int = 0  # non-2xx/3xx answers (4xx/5xx) received before the kill
    failed: int = 0  # no answer: connection reset or refused after the kill


@dataclass(frozen=True)
class DurabilityReport:
    posts: int
    concurrency: int
    killed_after_acknowledged: int
    acknowledged: int
    refused: int
    failed: int
    stored_after_restart: int
    acknowledged_missing: int
    stored_unacknowledged: int
    missing_markers: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.acknowledged_missing == 0 and self.acknowledged > 0

    def as_json(self) -> dict:
        return {**asdict(self), "missing_markers": list(self.missing_markers[:20]), "ok": self.ok}


def comment_form(marker: str, essay: str, honeypot: str) -> bytes:
    fields = {
        "essay": essay,
        "parent": "",
        "name": f"Reader {marker}",
        "email": f"reader.{marker}@example.org",
        "url": "",
        "body": f"{BODY_PREFIX}{marker}: this comment must survive a crash once acknowledged.",
        honeypot: "",
    }
    return urlencode(fields).encode()


def _request(port: int, body: bytes) -> bytes:
    head = (
        f"POST /comments HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nAccept: text/html\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _read_status(reader: asyncio.StreamReader) -> int:
    """Read one whole response (status line, headers, Content-Length body); return its status."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed before an answer")
    status = int(status_line.split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def post_burst(
    port: int,
    markers: list[str],
    *,
    essay: str,
    honeypot: str,
    concurrency: int,
    kill_after: int,
    kill: Callable[[], None],
) -> BurstOutcome:
    outcome = BurstOutcome()
    queue: asyncio.Queue[str] = asyncio.Queue()
    for marker in markers:
        queue.put_nowait(marker)
    killed = asyncio.Event()

    async def reader_client() -> None:
        connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while not queue.empty():
            marker = queue.get_nowait()
            outcome.sent += 1
            try:
                if connection is None:
                    connection = await asyncio.open_connection(HOST, port)
                reader, writer = connection
                writer.write(_request(port, comment_form(marker, essay, honeypot)))
                await writer.drain()
                status = await _read_status(reader)
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError):
                outcome.failed += 1
                if connection is not None:
                    connection[1].close()
                connection = None
                continue
            if status in ACKNOWLEDGED:
                outcome.acknowledged.append(marker)
                if len(outcome.acknowledged) >= kill_after and not killed.is_set():
                    killed.set()
                    kill()
            else:
                outcome.refused += 1
        if connection is not None:
            connection[1].close()

    await asyncio.gather(*(reader_client() for _ in range(concurrency)))
    return outcome


def stored_markers(database: Path, markers: set[str]) -> set[str]:
    """Which markers are in the comments table, read straight from the file (read-only).

    The check reads SQLite itself rather than asking the restarted inbox, so it does not rely on
    the code under test to report what it stored.
    """
    found: set[str] = set()
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        for (body,) in connection.execute("SELECT body FROM comments"):
            if body.startswith(BODY_PREFIX):
                marker = body.removeprefix(BODY_PREFIX).split(":", 1)[0]
                if marker in markers:
                    found.add(marker)
    return found


def summarise(
    outcome: BurstOutcome, stored: set[str], posts: int, concurrency: int, kill_after: int
) -> DurabilityReport:
    acknowledged = set(outcome.acknowledged)
    missing = sorted(acknowledged - stored)
    return DurabilityReport(
        posts=posts,
        concurrency=concurrency,
        killed_after_acknowledged=kill_after,
        acknowledged=len(acknowledged),
        refused=outcome.refused,
        failed=outcome.failed,
        stored_after_restart=len(stored),
        acknowledged_missing=len(missing),
        stored_unacknowledged=len(stored - acknowledged),
        missing_markers=tuple(missing),
    )
