"""Test support: the sample site's builds, `invoke` runs, loopback servers and the inbox process.

Fixtures live in tests/conftest.py and build on these; tests import what they need from here.
"""

import asyncio
import concurrent.futures
import contextlib
import functools
import http.server
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from letterpress.manifest import EssayEntry, make_manifest, write_manifest

ROOT = Path(__file__).resolve().parents[1]
# Every test build pins "today", so scheduled essays and upcoming workshops are stable.
TODAY = "2026-11-26"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NODE_MODULES = ROOT / "node_modules"


def require_tool(available: bool, what: str, how: str) -> None:
    """Skip when a system tool is missing, except under CI, where every test must run."""
    if available:
        return
    message = f"{what} is missing: {how}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@dataclass(frozen=True)
class Site:
    """A built site: the web output and the build folder (newsletter e-mail parts)."""

    content: Path
    output: Path
    build: Path

    def page(self, url_path: str) -> Path:
        """The file served for a URL path such as 'essays/2026/09/slug/'."""
        path = self.output / url_path.lstrip("/")
        return path / "index.html" if url_path.endswith("/") or not url_path else path


def build_env(build_dir: Path, today: str = TODAY, **extra: str) -> dict:
    env = {**os.environ, "LETTERPRESS_TODAY": today, "LETTERPRESS_BUILD_DIR": str(build_dir)}
    env.update(extra)
    return env


def run_build(
    content: Path,
    output: Path,
    build: Path,
    *,
    today: str = TODAY,
    settings: str = "pelicanconf.py",
    env: dict | None = None,
) -> subprocess.CompletedProcess:
    """Build with `invoke build` exactly as `make build` does; returns the finished process."""
    args = ["build", "--settings", settings, "--output", str(output), "--content", str(content)]
    return run_invoke(*args, env={**build_env(build, today), **(env or {})}, timeout=600)


def run_invoke(
    *args: str,
    env: dict | None = None,
    cwd: Path = ROOT,
    input: str | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess:
    """Run `invoke ARGS` as the author would, in a process of its own; returns it finished, with
    stdout and stderr as text. `env` is the whole environment (None: this process's), so each
    caller states its own rule for what the task sees."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=cwd,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def files_holding(needle: str, *folders: Path) -> list[Path]:
    """Every file under `folders` whose bytes contain `needle`: privacy tests expect none."""
    return [
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file() and needle.encode() in path.read_bytes()
    ]


def copy_content(destination: Path) -> Path:
    """A private copy of the sample content that a test may break."""
    shutil.copytree(ROOT / "content", destination)
    return destination


def build_sample(tmp_path_factory, name: str, today: str = TODAY) -> Site:
    """The repository's own content/ built as on `today` into a fresh temporary folder named
    after `name`; fails the test (or fixture) if the build fails."""
    base = tmp_path_factory.mktemp(name)
    built = Site(content=ROOT / "content", output=base / "output", build=base / "build")
    result = run_build(built.content, built.output, built.build, today=today)
    assert result.returncode == 0, (
        f"sample build on {today} failed:\n{result.stdout}\n{result.stderr}"
    )
    return built


def run_async(coroutine):
    """asyncio.run() in a thread of its own: a Playwright fixture alive in this pytest worker
    keeps an event loop running on the main thread, where asyncio.run() refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        # Tests rebuild and reload the same URL: a browser must never answer from its cache.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextlib.contextmanager
def serve_directory(path: Path) -> Iterator[str]:
    """Serve the folder `path` over HTTP on a free loopback port, yielding the base URL (no
    trailing slash); stopped on exit. Each request reads the folder afresh, so it may be built
    after the server starts, once the URL is known."""
    handler = functools.partial(_QuietHandler, directory=str(path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# The inbox: the real app served by uvicorn in a subprocess on a free loopback port.

ADMIN_TOKEN = "test-admin-token-7f3c"
SITE_URL = "http://127.0.0.1:9"  # never contacted: only the target of 303 answers

SAMPLE_ESSAYS = (
    EssayEntry("open-essay", "An Open Essay", "essays/2026/09/open-essay/", True, ("c-1", "c-2")),
    EssayEntry("closed-essay", "A Closed Essay", "essays/2026/10/closed-essay/", False, ()),
)


def write_test_manifest(folder: Path, essays=SAMPLE_ESSAYS, workshops=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    manifest = make_manifest(SITE_URL, "2026-11-26", essays, workshops or {})
    return write_manifest(manifest, folder)


# One plain-HTTP client for polling: each httpx.get() would load the CA bundle again (0.1-0.4 s).
_LOOPBACK = httpx.Client(timeout=1, verify=False, trust_env=False)


@dataclass
class InboxProcess:
    """A running inbox: its URL, database file and environment; restartable after a kill."""

    env: dict
    db_path: Path
    manifest_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.db_path.parent / "inbox.log"

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace") if self.log_path.exists() else ""

    def start(self, timeout: float = 15.0) -> "InboxProcess":
        args = [sys.executable, "-m", "letterpress.inbox", "--port", str(self.port)]
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.log()
                raise RuntimeError(f"the inbox exited with {self.process.returncode}:\n{output}")
            try:
                # Up: 200, or 503 naming what fails (a test may start it with a fault).
                if _LOOPBACK.get(self.url + "/healthz").status_code in (200, 503):
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the inbox did not answer /healthz in time")

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to flush or close anything."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def rows(self, sql: str, params=()) -> list[sqlite3.Row]:
        """Read the database from outside the server, as the moderation task does."""
        connection = sqlite3.connect(self.db_path)
        connection.row_factory = sqlite3.Row
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()


def prepare_inbox(
    folder: Path, essays=SAMPLE_ESSAYS, workshops=None, env=None, manifest_path=None
) -> InboxProcess:
    """An inbox (not started yet) keeping its database, manifest and log under `folder`."""
    manifest = manifest_path or write_test_manifest(folder / "output", essays, workshops)
    db_path = folder / "var" / "inbox.sqlite3"
    full_env = {
        **os.environ,
        # A spam-check key or a Stripe key in the developer's environment must not reach a test.
        "AKISMET_KEY": "",
        "STRIPE_SECRET_KEY": "",
        "STRIPE_WEBHOOK_SECRET": "",
        "LETTERPRESS_INBOX_DB": str(db_path),
        "LETTERPRESS_SITE_MANIFEST": str(manifest),
        "LETTERPRESS_ADMIN_TOKEN": ADMIN_TOKEN,
        "LETTERPRESS_SITE_URL": SITE_URL,
        "LETTERPRESS_BUILD_DIR": str(folder / "build"),
        **(env or {}),
    }
    return InboxProcess(env=full_env, db_path=db_path, manifest_path=Path(manifest))
