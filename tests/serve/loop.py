"""Test support for the author's loop: `python -m commands.serve` in a process of its own on a
copy of the sample content, its lines of output, and a Server-Sent Events client."""

from __future__ import annotations

import http.client
import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.support import ROOT, build_env, free_port


class ServeProcess:
    """`make serve`'s loop process, started on `content`, writing into `output`."""

    def __init__(self, content: Path, output: Path, build: Path, search: bool = False):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.output = output
        args = [sys.executable, "-m", "commands.serve", "--port", str(self.port)]
        args += ["--content", str(content), "--output", str(output)]
        args += [] if search else ["--no-search"]
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=build_env(build),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for("Serving http://", timeout=120)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 60) -> str:
        """The next line holding `text` (earlier lines are kept in `seen`)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(left, 0.01))
            except queue.Empty:
                raise AssertionError(f"no {text!r} in time; so far: {self.seen[-20:]}") from None
            self.seen.append(line)
            if text in line:
                return line

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Events:
    """A page's event stream, read in a thread: each event as (name, data)."""

    def __init__(self, url: str, path: str = "/__letterpress/events"):
        host, port = url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)
        self.connection.request("GET", path)
        self.response = self.connection.getresponse()
        self.received: queue.Queue[tuple[str, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.next("hello")[0] == "hello"

    def _read(self) -> None:
        event, data = "", ""
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line.removeprefix("event: ")
                elif line.startswith("data: "):
                    data = line.removeprefix("data: ")
                elif not line and event:
                    self.received.put((event, data))
                    event, data = "", ""
        except OSError:
            return

    def next(self, name: str = "change", timeout: float = 30) -> tuple[str, str]:
        deadline = time.monotonic() + timeout
        while True:
            event = self.received.get(timeout=max(deadline - time.monotonic(), 0.01))
            if event[0] == name:
                return event

    def changed_paths(self, timeout: float = 30) -> list[str]:
        return list(json.loads(self.next("change", timeout)[1])["paths"])

    def close(self) -> None:
        self.connection.close()
