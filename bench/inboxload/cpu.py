"""CPU time of a running process, read from /proc, and of finished child processes.

The server's CPU comes from /proc/<pid>/stat (utime + stime, in clock ticks) read before and after a
run; the load generator's from getrusage(RUSAGE_CHILDREN), which grows by exactly the CPU of each
child reaped in between (the servers keep running, so only wrk is reaped during a run).
"""

import os
import resource
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def parse_stat_cpu(stat_line: str) -> float:
    """User + system CPU seconds from the text of /proc/<pid>/stat.

    The command name (field 2) is in parentheses and may itself hold spaces or parentheses, so
    split after its closing parenthesis: utime and stime are fields 14 and 15 of the line.
    """
    after_name = stat_line[stat_line.rindex(")") + 2 :].split()
    # after_name[0] is field 3 (state), so field N is after_name[N - 3].
    utime, stime = int(after_name[14 - 3]), int(after_name[15 - 3])
    return (utime + stime) / CLOCK_TICKS


def process_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by a live process (all its threads)."""
    return parse_stat_cpu(Path(f"/proc/{pid}/stat").read_text())


def descendants(pid: int) -> list[int]:
    """Every live process below `pid` (uvicorn's worker processes, say), depth first."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by a live process and every live process below it."""
    return sum(process_cpu_seconds(p) for p in (pid, *descendants(pid)))


def children_cpu_seconds() -> float:
    """CPU seconds of every child process reaped so far by this process."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
