"""Start, watch and stop the two servers under test, each a child process on a loopback port.

Our inbox runs exactly as in production (README, "Running the inbox in production"): uvicorn on
asyncio's own event loop with httptools, one worker process (so one core), access log off. Isso
runs as `isso -c FILE run` does: its gevent WSGIServer, also one process. Each writes its log to a
file in the run's temporary folder.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .cpu import descendants, tree_cpu_seconds

HOST = "127.0.0.1"
READY_TIMEOUT_S = 30.0
ADMIN_TOKEN = "bench-admin-token"  # a throwaway token for a throwaway database on loopback


class ServerError(RuntimeError):
    """A server did not start or died; the message names its log file."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    log: Path
    ready_path: str

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        # With --workers N the requests are served by uvicorn's worker processes.
        return tree_cpu_seconds(self.pid)

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> None:
        """Block until the server answers HTTP on its port; raise ServerError if it dies first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(
                    f"{self.name} exited with status {self.process.returncode} while starting; "
                    f"see {self.log}:\n{_tail(self.log)}"
                )
            if _answers_http(self.port, self.ready_path):
                return
            time.sleep(0.05)
        raise ServerError(
            f"{self.name} did not answer on port {self.port} in {timeout:.0f} s; {self.log}"
        )

    def sigkill(self) -> None:
        """Kill without warning, as a crash or the OOM killer would."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.sigkill()


def _answers_http(port: int, path: str) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", path)
        return connection.getresponse().status < 500
    except OSError:
        return False
    finally:
        connection.close()


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _spawn(name: str, args: list[str], env: dict, log: Path, port: int, ready: str) -> Server:
    log_file = log.open("ab")
    process = subprocess.Popen(
        args, env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT
    )
    log_file.close()  # the child holds its own descriptor
    return Server(name, process, port, log, ready)


# --- our inbox --------------------------------------------------------------------------------


def inbox_environment(database: Path, manifest: Path, workdir: Path) -> dict:
    """The inbox's configuration for a benchmark: a fresh database, and no per-address limit.

    All the load comes from 127.0.0.1, so the per-address rate limit (5 a minute by default) would
    answer 429 to nearly every request; LETTERPRESS_COMMENT_RATE=0 turns it off.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LETTERPRESS_", "AKISMET_"))}
    env.update(
        LETTERPRESS_INBOX_DB=str(database),
        LETTERPRESS_SITE_MANIFEST=str(manifest),
        LETTERPRESS_ADMIN_TOKEN=ADMIN_TOKEN,
        LETTERPRESS_COMMENT_RATE="0",
        LETTERPRESS_BUILD_DIR=str(workdir / "build"),
    )
    return env


# The production command from the README ("Running the inbox in production"), on loopback: uvicorn,
# one worker process, no access log, asyncio's loop (`--loop`). uvicorn picks httptools by itself
# when installed (it is pinned); `loaded_extensions` checks that it did.
INBOX_COMMAND = ["-m", "uvicorn", "--factory", "letterpress.inbox.serve:app_from_environ"]
INBOX_COMMAND += ["--no-access-log"]
PRODUCTION_LOOP = "asyncio"


def start_inbox(
    root: Path,
    database: Path,
    manifest: Path,
    workdir: Path,
    port: int,
    loop: str = PRODUCTION_LOOP,
    workers: int = 1,
) -> Server:
    """The inbox as in production; `loop="uvloop"` tries uvicorn's other loop, and `workers`
    above 1 runs that many processes on one socket, sharing the SQLite file."""
    args = [sys.executable, *INBOX_COMMAND, "--host", HOST, "--port", str(port), "--loop", loop]
    args += ["--workers", str(workers)]
    env = inbox_environment(database, manifest, workdir)
    env["PYTHONPATH"] = str(root)
    server = _spawn("inbox", args, env, workdir / "inbox.log", port, "/healthz")
    server.wait_ready()
    return server


def loaded_extensions(pid: int, names: tuple[str, ...] = ("uvloop", "httptools")) -> list[str]:
    """Which of uvicorn's fast paths the process has loaded, from its memory map.

    uvicorn picks httptools when it is installed, and uvloop only when asked; this proves which.
    """
    serving = (descendants(pid) or [pid])[0]  # with several workers, the first worker
    maps = Path(f"/proc/{serving}/maps").read_text()
    return [name for name in names if f"/{name}/" in maps]


# --- Isso ----------------------------------------------------------------------------------------

ISSO_CONFIG = """\
# Throwaway Isso configuration for bench/inbox_load.py (loopback only).
[general]
dbpath = {database}
# Isso probes this address once at start-up; nothing listens there, so the probe fails at once.
host = http://{host}:{dead_port}/

[moderation]
# Like the inbox: every new comment waits for the author's approval.
enabled = true

[guard]
# The rate guard allows 2 new comments a minute per address, and all load comes from 127.0.0.1.
enabled = false

[server]
listen = http://{host}:{port}/
"""

# `isso run` monkey-patches the standard library with gevent only when sys.argv[0] starts with
# "isso", which an absolute path to the script never does; set it before Isso is imported so the
# server runs as Isso intends when started from a shell.
ISSO_LAUNCHER = "import sys; sys.argv[0] = 'isso'; from isso import main; sys.exit(main())"


def start_isso(venv_python: Path, workdir: Path, port: int) -> Server:
    config = workdir / "isso.cfg"
    config.write_text(
        ISSO_CONFIG.format(
            database=workdir / "isso.db", host=HOST, port=port, dead_port=free_port()
        ),
        "utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "ISSO_SETTINGS"}
    args = [str(venv_python), "-c", ISSO_LAUNCHER, "-c", str(config), "run"]
    server = _spawn("Isso", args, env, workdir / "isso.log", port, "/info")
    server.wait_ready()
    return server
