"""One command run to the end and measured: wall and CPU time, peak memory, by program.

Linux only (it reads /proc). A thread walks the command's process tree every 50 ms and keeps,
for each program in it (pelican, pagefind, invoke), the highest peak resident memory (VmHWM) of
its processes and the CPU time each process had used when last seen, so a build's time can be
split between the Pelican step and the search index.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROGRAMS = ("pelican", "pagefind", "invoke", "warm_rebuild")
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    """One measured process tree: wall and CPU seconds, peak resident memory (MiB), and for each
    program in it (pelican, pagefind) its peak (the largest VmHWM of its processes) and its CPU
    seconds (its processes' own user and system time, as last read: up to 50 ms short)."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    peaks_mb: dict[str, float] = field(default_factory=dict)
    cpus_s: dict[str, float] = field(default_factory=dict)


# Linux lists a process's children in /proc/PID/task/TID/children: a few reads where scanning
# /proc takes hundreds every 50 ms, CPU taken from the build measured.
CHILDREN_FILES = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists()


def _children_of(pid: int) -> list[int]:
    if not CHILDREN_FILES:
        return _children_by_scan(pid)
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
        return [int(child) for task in tasks for child in (task / "children").read_text().split()]
    except OSError:  # it ended meanwhile
        return []


def _children_by_scan(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _program(pid: int) -> str:
    """'pelican', 'pagefind', 'invoke' or the executable's name, from the command line."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return ""
    text = " ".join(w.decode(errors="replace") for w in words)
    for name in PROGRAMS:
        if name in text:
            return name
    return Path(words[0].decode(errors="replace")).name if words and words[0] else ""


def _high_water_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _own_cpu_s(pid: int) -> float | None:
    """User and system time of the process itself (not its children: each is counted apart)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


class PeakWatcher(threading.Thread):
    """Reads the peak memory and CPU time of every process under `root` every 50 ms."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root = root
        self.peaks: dict[str, float] = {}
        self.cpu_by_pid: dict[int, tuple[str, float]] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            pending = [self.root]
            while pending:
                pid = pending.pop()
                name = _program(pid)
                if name:
                    self.peaks[name] = max(self.peaks.get(name, 0.0), _high_water_mb(pid))
                    cpu = _own_cpu_s(pid)
                    if cpu is not None:
                        self.cpu_by_pid[pid] = (name, cpu)
                pending += _children_of(pid)

    def cpus(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for name, cpu in self.cpu_by_pid.values():
            totals[name] = totals.get(name, 0.0) + cpu
        return totals


def measure(args: list[str], env: dict[str, str], cwd: Path) -> Run:
    """Run a command to the end; its wall, CPU (the whole tree) and peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    watcher = PeakWatcher(process.pid)
    watcher.start()
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    watcher.done.set()
    watcher.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{output.decode(errors='replace')}")
    return Run(
        elapsed,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        watcher.peaks,
        watcher.cpus(),
    )
