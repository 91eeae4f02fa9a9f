"""The writing loop from outside: save a file, wait for the page, as an author at `make serve` does.

A `pelican --autoreload` process (plain Pelican's own loop, or ours as `make serve` runs it) is
started on a copy of the content and left to finish its first build. Then, one at a time, a
source file gets a new sentence with a marker in it, and two times are taken from the moment the
file is written:

- to HTML: the page that shows the file (the essay's page, for a comment the page of its essay, a
  workshop's page) holds the marker on disk: what a reader reloading the page would see;
- to done: the process says "Done:" (Pelican's last line of a build): the whole rebuild.

Both sides are timed the same way, so the file watcher's own delay (watchfiles: about 50 ms after
the last change) counts on both. Each rebuild's CPU (the process and its reaped children, from
/proc) and the process's resident memory after it are read as well.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

DONE = "Done:"
BUILD_TIMEOUT_S = 600.0
# Pelican's watcher groups changes that come within 50 ms; a pause keeps edits apart.
SETTLE_S = 0.5
_METADATA = re.compile(r"^(\w[\w-]*):\s*(.*)$")
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Edit:
    """One save: the file the author changes and the built page that shows the change."""

    kind: str  # "essay", "comment" or "workshop"
    source: Path
    page: Path


@dataclass(frozen=True)
class Timing:
    kind: str
    to_html_s: float
    to_done_s: float
    cpu_s: float
    rss_mb: float


def metadata(path: Path) -> dict[str, str]:
    """The header fields of a content file (`Name: value` lines up to the first blank line)."""
    fields: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            break
        match = _METADATA.match(line)
        if match:
            fields[match.group(1).lower()] = match.group(2).strip()
    return fields


def essay_in_the_middle(content: Path) -> Path:
    """An essay in the middle of the archive: its listings, tags and month are all ordinary."""
    essays = sorted((content / "essays").rglob("*.md"))
    if not essays:
        raise SystemExit(f"{content}/essays has no essays to edit")
    return essays[len(essays) // 2]


def letterpress_page(essay: Path) -> str:
    """Where our settings put an essay's page (pelicanconf.py's ARTICLE_SAVE_AS)."""
    fields = metadata(essay)
    year, month = fields["date"][:4], fields["date"][5:7]
    return f"essays/{year}/{month}/{fields['slug']}/index.html"


def letterpress_edits(content: Path, output: Path) -> list[Edit]:
    """An essay's body, one of its comments, and an upcoming workshop."""
    essay = essay_in_the_middle(content)
    page = output / letterpress_page(essay)
    comment = sorted((content / "comments" / metadata(essay)["slug"]).glob("*.md"))[0]
    workshop = sorted((content / "workshops").glob("*.md"))[-1]
    return [
        Edit("essay", essay, page),
        Edit("comment", comment, page),
        Edit("workshop", workshop, output / "workshops" / workshop.stem / "index.html"),
    ]


def plain_edits(essays: Path, output: Path) -> list[Edit]:
    """The same essay, for plain Pelican with its defaults (ARTICLE_SAVE_AS "{slug}.html"),
    which reads the essays alone: it has no comments or workshops."""
    essay = sorted(essays.rglob("*.md"))[len(list(essays.rglob("*.md"))) // 2]
    return [Edit("essay", essay, output / f"{metadata(essay)['slug']}.html")]


def _cpu_s(pid: int) -> float:
    """User and system time of a process and its reaped children (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(tick) for tick in fields[11:15]) / _CLOCK_TICKS


def _resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Loop:
    """A running `pelican --autoreload`, its output read line by line on a thread."""

    def __init__(self, process: subprocess.Popen[str]):
        self.process = process
        self.lines: queue.Queue[str] = queue.Queue()
        self.transcript: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put("")  # the process has ended

    def wait_done(self, timeout: float = BUILD_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise SystemExit(self._failure(f"no build finished in {timeout:.0f} s")) from None
            if not line:
                raise SystemExit(self._failure("pelican --autoreload ended"))
            self.transcript.append(line)
            if line.startswith(DONE):
                return
            if "Caught exception" in line:
                raise SystemExit(self._failure("the rebuild failed"))

    def _failure(self, what: str) -> str:
        return f"{what}; its output:\n{''.join(self.transcript[-40:])}"


@contextmanager
def autoreload(command: Sequence[str], env: dict[str, str], cwd: Path) -> Iterator[Loop]:
    """Start the loop and wait for its first build; stop it (and only it) afterwards."""
    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        env={**env, "PYTHONUNBUFFERED": "1", "COLUMNS": "400"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        loop = Loop(process)
        loop.wait_done()
        yield loop
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_marker(page: Path, marker: bytes, timeout: float = BUILD_TIMEOUT_S) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if marker in page.read_bytes():
                return time.perf_counter()
        except OSError:  # being replaced
            pass
        time.sleep(0.005)
    raise SystemExit(f"{page} never showed the edit within {timeout:.0f} s")


def save_and_time(loop: Loop, edit: Edit, number: int) -> Timing:
    """Append a sentence to the edit's file; time it to the page and to the end of the build."""
    time.sleep(SETTLE_S)
    marker = f"edit-marker-{number}-{time.monotonic_ns()}"
    cpu_before = _cpu_s(loop.process.pid)
    with edit.source.open("a", encoding="utf-8") as text:
        text.write(f"\n\nA sentence saved while writing, {marker}.\n")
    saved = time.perf_counter()
    shown = _wait_for_marker(edit.page, marker.encode())
    loop.wait_done()
    done = time.perf_counter()
    return Timing(
        edit.kind,
        shown - saved,
        done - saved,
        _cpu_s(loop.process.pid) - cpu_before,
        _resident_mb(loop.process.pid),
    )


def run(
    command: Sequence[str], env: dict[str, str], cwd: Path, edits: Sequence[Edit], repeat: int
) -> list[dict[str, float | str]]:
    """Each edit `repeat` times, in turn (essay, comment, workshop, essay, …), in one loop."""
    with autoreload(command, env, cwd) as loop:
        timings = [
            save_and_time(loop, edit, number) for number in range(1, repeat + 1) for edit in edits
        ]
    return [asdict(timing) for timing in timings]
