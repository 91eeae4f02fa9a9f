"""The production rehearsal's fixture: the deploy kit's own files on loopback.

One server's worth, shared by the module's tests: the sample site built as production builds it
(publishconf.py, the settings' site and inbox addresses) into the folder Caddy serves, the inbox
started as its systemd unit starts it with the kit's letterpress.toml and secrets as credentials,
and Caddy with deploy/Caddyfile in front of both with certificates from its internal CA.
"""

import contextlib
import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from letterpress.chromium import CHROMIUM_ARGS
from tests.deploy.kit import (
    CADDY,
    CaddyProcess,
    ServerPaths,
    ServiceProcess,
    install_settings,
    local_paths,
)
from tests.support import CHROMIUM, copy_content, free_port, require_tool, run_build

# Chromium reaches loopback only: any other name fails to resolve without a DNS query (the video
# player's host, once play is pressed), so a page can try but never leave the machine.
LOOPBACK_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost"


@dataclass
class Stopwatch:
    """The rehearsal's steps and how long each took, printed as a table at the end."""

    steps: list[tuple[str, float]] = field(default_factory=list)

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.steps.append((name, time.perf_counter() - started))

    def table(self) -> str:
        width = max(len(name) for name, _ in self.steps)
        lines = [f"  {name:<{width}}  {seconds:6.2f} s" for name, seconds in self.steps]
        total = sum(seconds for _, seconds in self.steps)
        return "\n".join(
            ["Production rehearsal, step by step:", *lines, f"  {'total':<{width}}  {total:6.2f} s"]
        )


@dataclass
class Live:
    """A server's worth on loopback: where things are, and the running parts."""

    paths: ServerPaths
    content: Path
    build: Path
    caddy: CaddyProcess
    inbox: ServiceProcess
    admin_token: str
    stopwatch: Stopwatch

    def rebuild(self) -> None:
        """The production build, as the publish job runs it, into the folder Caddy serves."""
        result = run_build(
            self.content,
            self.paths.site,
            self.build,
            settings="publishconf.py",
            env={
                "LETTERPRESS_SITE_URL": self.paths.site_url,
                "LETTERPRESS_INBOX_URL": self.paths.inbox_url,
            },
        )
        assert result.returncode == 0, result.stdout + result.stderr


def trusting_home(folder: Path, root_certificate: Path) -> Path:
    """A home folder whose NSS database trusts Caddy's root certificate, for Chromium (which reads
    $HOME/.pki/nssdb on Linux): the reader's browser trusts the site as it would a public CA's."""
    database = folder / ".pki" / "nssdb"
    database.mkdir(parents=True, exist_ok=True)
    certutil = ["certutil", "-d", f"sql:{database}"]
    subprocess.run([*certutil, "-N", "--empty-password"], check=True, capture_output=True)
    subprocess.run(
        [*certutil, "-A", "-t", "C,,", "-n", "caddy-local-root", "-i", str(root_certificate)],
        check=True,
        capture_output=True,
    )
    return folder


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[Live]:
    require_tool(Path(CADDY).exists(), "Caddy", "apt-get install -y caddy (or run bash .ci/run)")
    base = tmp_path_factory.mktemp("server")
    stopwatch = Stopwatch()
    site_port, inbox_port = free_port(), free_port()
    paths = local_paths(
        base,
        site_url=f"https://localhost:{site_port}",
        inbox_url=f"https://localhost:{inbox_port}",
    )
    admin_token = secrets.token_urlsafe(32)
    install_settings(
        paths, {"admin-token": admin_token, "secret": secrets.token_urlsafe(32), "smtp-url": ""}
    )
    live = Live(
        paths=paths,
        content=copy_content(base / "checkout" / "content"),
        build=base / "checkout" / "build",
        caddy=CaddyProcess(
            site_root=paths.site,
            upstream=f"127.0.0.1:{paths.port}",
            data_home=base / "caddy",
            site_port=site_port,
            inbox_port=inbox_port,
        ),
        # The one value a test adds to the unit's environment: the sample's "today".
        inbox=ServiceProcess(
            paths, {"LETTERPRESS_TODAY": os.environ.get("LETTERPRESS_TODAY", "2026-11-26")}
        ),
        admin_token=admin_token,
        stopwatch=stopwatch,
    )
    try:
        with stopwatch.step("build the site (publishconf.py) into /var/www/letterpress"):
            live.rebuild()
        with stopwatch.step("start the inbox as letterpress-inbox.service starts it"):
            live.inbox.start()
        with stopwatch.step("start Caddy with deploy/Caddyfile (certificates included)"):
            live.caddy.start()
        yield live
    finally:
        live.caddy.stop()
        live.inbox.stop()


@pytest.fixture(scope="module")
def live_browser(browser, live, tmp_path_factory):
    """Chromium trusting Caddy's internal CA (and nothing else special): a second browser from the
    session's Playwright, with a home folder holding the CA."""
    require_tool(
        shutil.which("certutil") is not None,
        "certutil (to give Chromium Caddy's root certificate)",
        "apt-get install -y libnss3-tools (or run bash .ci/run)",
    )
    home = trusting_home(tmp_path_factory.mktemp("reader-home"), live.caddy.root_certificate)
    trusting = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, LOOPBACK_ONLY],
        env={**os.environ, "HOME": str(home)},
    )
    yield trusting
    trusting.close()
