"""A share of the build done on another core, by a forked copy of the build process.

Pelican runs on one core, and these machines have two or more. Where a build has work that needs
nothing from the rest of the build (comment files to read and render, pages to render), a child
made with fork starts with everything the build has loaded and worked out so far, does its share
and sends back a picklable result through a pipe, while the parent does the rest. Plain fork and
a pipe, no threads and no pool, so the child inherits no lock held by a thread.

Where fork is missing (Windows) or there is one core, the work runs in the parent when its result
is asked for: same result, no speed-up.
"""

from __future__ import annotations

import os
import pickle
import traceback
from collections.abc import Callable


class ForkedError(RuntimeError):
    """The child failed; the message carries its traceback."""


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Forked:
    """`work(*args)` started now in a child process; `result()` waits for it and returns it."""

    def __init__(self, work: Callable, *args):
        self.work, self.args = work, args
        self.pid = None
        if not hasattr(os, "fork") or cores() < 2:
            return
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: work, send, leave without running the parent's exit handlers
            os.close(read_end)
            try:
                payload = (True, work(*args))
            except BaseException:  # everything, even SystemExit, goes back to the parent
                payload = (False, traceback.format_exc())
            try:
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump(payload, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            finally:
                os._exit(0)
        os.close(write_end)
        self.pid, self.read_end = pid, read_end

    def result(self):
        if self.pid is None:
            return self.work(*self.args)
        # Unpickled as it arrives: the result's bytes are never held whole beside its objects.
        with os.fdopen(self.read_end, "rb") as pipe:
            try:
                ok, value = pickle.load(pipe)
            except EOFError:
                ok, value = None, None
        _, status = os.waitpid(self.pid, 0)
        if ok is None:
            raise ForkedError(f"the child process {self.pid} ended without a result ({status})")
        if not ok:
            raise ForkedError(f"the child process failed:\n{value}")
        return value


def workers_for(settings) -> int:
    """How many cores a build shares its work among: BUILD_WORKERS, or every core (at most 8)."""
    return max(1, min(settings.get("BUILD_WORKERS") or cores(), cores(), 8))


def in_shares(work: Callable[[list], list], items: list, workers: int) -> list:
    """`work(share)` for `workers` interleaved shares of `items`, one per core: the first in this
    process, the others in forked children; their results, concatenated."""
    workers = max(1, min(workers, len(items)))
    shares = [items[number::workers] for number in range(workers)]
    children = [Forked(work, share) for share in shares[1:]]
    results = list(work(shares[0])) if shares else []
    for child in children:
        results += child.result()
    return results
