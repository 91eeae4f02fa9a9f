"""The deploy kit (deploy/) run on loopback: Caddy with deploy/Caddyfile, and the inbox started
the way deploy/letterpress-inbox.service starts it.

Nothing here copies the kit's files. Caddy reads deploy/Caddyfile itself, with the values a server
keeps in /etc/letterpress/caddy.env given as environment variables. The unit is read, not copied:
its server paths are mapped to the test's folders (`ServerPaths`), which is what a machine with
/srv/letterpress, /etc/letterpress and /var/lib/letterpress would hold.
"""

import os
import shutil
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support import ROOT, free_port

DEPLOY = ROOT / "deploy"
CADDYFILE = DEPLOY / "Caddyfile"
UNIT = DEPLOY / "letterpress-inbox.service"
UNITS = sorted(DEPLOY.glob("*.service"))
SETTINGS_EXAMPLE = DEPLOY / "letterpress.toml"
CADDY = shutil.which("caddy") or "/usr/bin/caddy"

# The paths and addresses the kit's files name on a server, and the inbox's port there.
SERVER_CODE = "/srv/letterpress"
SERVER_CONFIG = "/etc/letterpress"
SERVER_STATE = "/var/lib/letterpress"
SERVER_SITE = "/var/www/letterpress"
SERVER_PORT = 8001
SERVER_SITE_URL = "https://letterpress.example"
SERVER_INBOX_URL = "https://inbox.letterpress.example"


# -- the systemd unit ------------------------------------------------------------------------


def unit_entries(text: str) -> dict[str, list[tuple[str, str]]]:
    """A unit file's sections, each a list of (key, value) in order (keys repeat: Environment=)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        key, _, value = line.partition("=")
        assert current is not None, f"{line!r} comes before any section"
        current.append((key.strip(), value.strip()))
    return sections


def values(entries: list[tuple[str, str]], key: str) -> list[str]:
    return [value for name, value in entries if name == key]


@dataclass(frozen=True)
class ServerPaths:
    """Where this machine keeps what a server keeps in /srv, /etc, /var/lib and /var/www, the
    inbox's port, and the site's and inbox's public addresses; `render` rewrites a kit file
    (the unit, letterpress.toml) for them, and nothing else in it."""

    code: Path
    python: Path
    config: Path
    state: Path
    site: Path
    port: int
    site_url: str = SERVER_SITE_URL
    inbox_url: str = SERVER_INBOX_URL

    def render(self, text: str) -> str:
        """The file as it reads on this machine. systemd-analyze verify checks that ExecStart's
        program exists, so the server's interpreter path must become a real one here."""
        for server, here in (
            (f"{SERVER_CODE}/.venv/bin/python", self.python),
            (f"{SERVER_CODE}/.venv/bin/", f"{self.python.parent}/"),
            (SERVER_CODE, self.code),
            (SERVER_CONFIG, self.config),
            (SERVER_STATE, self.state),
            (SERVER_SITE, self.site),
            (f"--port {SERVER_PORT}", f"--port {self.port}"),
            (SERVER_INBOX_URL, self.inbox_url),
            (SERVER_SITE_URL, self.site_url),
        ):
            text = text.replace(server, str(here))
        return text


def local_paths(base: Path, port: int | None = None, **addresses: str) -> ServerPaths:
    """The repository (and its .venv's Python, else the one running the tests) as the code;
    folders under `base` for the rest."""
    venv_python = ROOT / ".venv" / "bin" / "python"
    return ServerPaths(
        code=ROOT,
        python=venv_python if venv_python.exists() else Path(sys.executable),
        config=base / "etc",
        state=base / "var" / "lib" / "letterpress",
        site=base / "var" / "www" / "letterpress",
        port=port or free_port(),
        **addresses,
    )


def install_settings(paths: ServerPaths, secrets: dict[str, str]) -> None:
    """What docs/deploy.md has a person put in /etc/letterpress: the kit's letterpress.toml (its
    addresses and paths this machine's) and one file per secret, readable by root only."""
    paths.config.mkdir(parents=True, exist_ok=True)
    settings = paths.config / "letterpress.toml"
    settings.write_text(paths.render(SETTINGS_EXAMPLE.read_text("utf-8")), "utf-8")
    for name, value in secrets.items():
        secret = paths.config / name
        secret.write_text(value + "\n", "utf-8")
        secret.chmod(0o600)


@dataclass
class ServiceProcess:
    """The inbox started as systemd starts letterpress-inbox.service: the unit's ExecStart in its
    WorkingDirectory, with only the unit's Environment= (plus PATH), and its credentials copied
    into a private folder named by $CREDENTIALS_DIRECTORY (systemd's "%d")."""

    paths: ServerPaths
    extra_environment: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.paths.port}"

    @property
    def log_path(self) -> Path:
        return self.paths.config.parent / "inbox-service.log"

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace") if self.log_path.exists() else ""

    def command(self) -> tuple[list[str], dict[str, str], Path]:
        service = unit_entries(self.paths.render(UNIT.read_text("utf-8")))["Service"]
        credentials = self.paths.config.parent / "run" / "credentials" / UNIT.name
        credentials.mkdir(parents=True, exist_ok=True)
        for spec in values(service, "LoadCredential"):
            name, _, source = spec.partition(":")
            shutil.copyfile(source, credentials / name)
            (credentials / name).chmod(0o400)
        for directory in values(service, "StateDirectory"):
            (self.paths.state.parent / directory).mkdir(mode=0o750, parents=True, exist_ok=True)
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        for assignment in values(service, "Environment"):
            key, _, value = assignment.partition("=")
            environment[key] = value.replace("%d", str(credentials))
        environment["CREDENTIALS_DIRECTORY"] = str(credentials)
        environment.update(self.extra_environment)
        (working_directory,) = values(service, "WorkingDirectory")
        (exec_start,) = values(service, "ExecStart")
        return exec_start.split(), environment, Path(working_directory)

    def start(self, timeout: float = 20.0) -> "ServiceProcess":
        argv, environment, cwd = self.command()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                argv, cwd=cwd, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        wait_until(
            lambda: self.process.poll() is None and _answers(self.url + "/healthz"),
            timeout,
            lambda: f"the inbox service did not answer /healthz:\n{self.log()}",
            lambda: self.process.poll() is not None,
        )
        return self

    def stop(self) -> None:
        stop_process(self.process)


# -- Caddy -------------------------------------------------------------------------------------


@dataclass
class CaddyProcess:
    """`caddy run --config deploy/Caddyfile` with the kit's variables set for loopback: the site at
    https://localhost:SITE_PORT, the inbox at https://localhost:INBOX_PORT, certificates from
    Caddy's internal CA (Caddy's rule for localhost names), its data under `data_home`."""

    site_root: Path
    upstream: str
    data_home: Path
    site_port: int = field(default_factory=free_port)
    inbox_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    admin_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def site_url(self) -> str:
        return f"https://localhost:{self.site_port}"

    @property
    def inbox_url(self) -> str:
        return f"https://localhost:{self.inbox_port}"

    @property
    def root_certificate(self) -> Path:
        """The internal CA's root: what a browser or client must trust to reach the sites."""
        return self.data_home / "caddy" / "pki" / "authorities" / "local" / "root.crt"

    @property
    def log_path(self) -> Path:
        return self.data_home / "caddy.log"

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace") if self.log_path.exists() else ""

    def environment(self) -> dict[str, str]:
        """What /etc/letterpress/caddy.env holds on a server, for this loopback run."""
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.data_home),
            "XDG_DATA_HOME": str(self.data_home),
            "XDG_CONFIG_HOME": str(self.data_home),
            "LETTERPRESS_SITE_ADDRESS": f"localhost:{self.site_port}",
            "LETTERPRESS_INBOX_ADDRESS": f"localhost:{self.inbox_port}",
            "LETTERPRESS_SITE_URL": self.site_url,
            "LETTERPRESS_SITE_ROOT": str(self.site_root),
            "LETTERPRESS_INBOX_UPSTREAM": self.upstream,
            "LETTERPRESS_HTTP_PORT": str(self.http_port),
            "LETTERPRESS_HTTPS_PORT": str(self.site_port),
            "LETTERPRESS_CADDY_ADMIN": f"127.0.0.1:{self.admin_port}",
        }

    def start(self, timeout: float = 30.0) -> "CaddyProcess":
        self.data_home.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [CADDY, "run", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
                cwd=self.data_home,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(
            lambda: self.root_certificate.exists() and self._serves(),
            timeout,
            lambda: f"Caddy did not serve the site over HTTPS:\n{self.log()}",
            lambda: self.process.poll() is not None,
        )
        return self

    def client(self, **options) -> httpx.Client:
        """An HTTPS client trusting Caddy's root certificate, and nothing from the environment."""
        trusted = ssl.create_default_context(cafile=str(self.root_certificate))
        return httpx.Client(verify=trusted, trust_env=False, **options)

    def _serves(self) -> bool:
        try:
            with self.client(timeout=2) as client:
                return client.get(self.site_url + "/").status_code == 200
        except (httpx.TransportError, OSError):
            return False

    def stop(self) -> None:
        stop_process(self.process)


def caddy_validate(environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CADDY, "validate", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


# -- shared ------------------------------------------------------------------------------------


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1, trust_env=False).status_code == 200
    except httpx.TransportError:
        return False


def wait_until(ready, timeout: float, why, failed=lambda: False) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if failed():
            raise RuntimeError(why())
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(why())


def stop_process(process: subprocess.Popen | None) -> None:
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def csp_directives(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [sources]}."""
    found = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            found[words[0]] = words[1:]
    return found
