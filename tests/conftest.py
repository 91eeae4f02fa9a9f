"""Shared fixtures: one real build of the sample site per session, tools, browsers, servers.

Feature tests live in their own folders (tests/site, tests/comments, ...) with their own conftest
for fixtures only they use.
"""

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

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
    args = [sys.executable, "-m", "invoke", "build", "--settings", settings]
    args += ["--output", str(output), "--content", str(content)]
    return subprocess.run(
        args,
        cwd=ROOT,
        env={**build_env(build, today), **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )


def copy_content(destination: Path) -> Path:
    """A private copy of the sample content that a test may break."""
    shutil.copytree(ROOT / "content", destination)
    return destination


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    """The sample site, built once per session from the repository's own content/."""
    base = tmp_path_factory.mktemp("sample-site")
    built = Site(content=ROOT / "content", output=base / "output", build=base / "build")
    result = run_build(built.content, built.output, built.build)
    assert result.returncode == 0, f"sample build failed:\n{result.stdout}\n{result.stderr}"
    return built


@pytest.fixture
def content_copy(tmp_path) -> Path:
    return copy_content(tmp_path / "content")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(site) -> str:
    """The built sample site served over HTTP on loopback."""
    handler = functools.partial(_QuietHandler, directory=str(site.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    require_tool(
        Path(CHROMIUM).exists(), "Chromium", "apt-get install -y chromium (or run bash .ci/run)"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
