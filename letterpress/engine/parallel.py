"""The build's one way of sharing work among cores: shares of a list, one per worker.

Pelican builds on one core. Where a build has work that needs nothing from the rest of the build
(Markdown to convert, comment files to read, pages or feeds to render), `in_shares` splits the
items into interleaved shares: this process works through the first while forked children work
through the others, each sending back a picklable result through a pipe.

Children are made by `multiprocessing` with the fork start method, so they start with everything
the build has loaded (settings, templates, the context) and nothing is pickled on the way in.
Where fork is missing (Windows, and macOS's default is spawn for good reason), or with one worker,
every share runs here: the same result, no child process at all.

Every child is accounted for: its result is read within `timeout` seconds, its exit status must be
0, and when anything fails (a share here, a child, a timeout) every child still running is killed
and reaped before the error is raised, so a failed build leaves no process behind.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# A child that sends nothing for this long is taken as hung (BUILD_WORKER_TIMEOUT overrides it).
DEFAULT_TIMEOUT = 600.0
# More workers than this cost memory (each child is a copy of the build) for little gain.
MAX_WORKERS = 8


class ParallelError(RuntimeError):
    """A share of the work failed in a child process, or a child hung or died; the message says
    which child and why (with the child's traceback when it raised)."""


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def workers_for(settings: Mapping[str, Any]) -> int:
    """How many processes a build shares its work among: BUILD_WORKERS (1: this process only),
    or, when unset, every core, at most MAX_WORKERS. A bad value is an error naming the setting."""
    wanted = settings.get("BUILD_WORKERS")
    if wanted is None:
        return max(1, min(cores(), MAX_WORKERS))
    if isinstance(wanted, bool) or not isinstance(wanted, int) or wanted < 1:
        raise ValueError(
            f"BUILD_WORKERS = {wanted!r}: write a whole number of processes, 1 or more "
            "(1: no child process), or None for every core."
        )
    return wanted


def timeout_for(settings: Mapping[str, Any]) -> float:
    """BUILD_WORKER_TIMEOUT: the seconds a child may take over its share before it is killed."""
    value = settings.get("BUILD_WORKER_TIMEOUT", DEFAULT_TIMEOUT)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"BUILD_WORKER_TIMEOUT = {value!r}: write a number of seconds above 0.")
    return float(value)


def shares_of(items: Sequence[Item], workers: int) -> list[list[Item]]:
    """`items` dealt into at most `workers` interleaved shares (none empty)."""
    workers = max(1, min(workers, len(items)))
    return [list(items[number::workers]) for number in range(workers)] if items else []


def in_shares(
    work: Callable[[list[Item]], Sequence[Result]],
    items: Sequence[Item],
    workers: int,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Result]:
    """`work(share)` for each share of `items`: the first here, the others in forked children;
    their results concatenated in share order (not in the order of `items`).

    With `workers` 1, or without fork, no child process is made."""
    shares = shares_of(items, workers if can_fork() else 1)
    if len(shares) <= 1:
        return [result for share in shares for result in work(share)]
    context = multiprocessing.get_context("fork")
    children: list[tuple[Any, Connection]] = []
    try:
        for share in shares[1:]:
            receiving, sending = context.Pipe(duplex=False)
            child = context.Process(target=_run_share, args=(work, share, sending), daemon=True)
            child.start()
            sending.close()  # the child holds its own copy: EOF here when the child is gone
            children.append((child, receiving))
        results = list(work(shares[0]))
        deadline = time.monotonic() + timeout
        for child, receiving in children:
            results += _collect(child, receiving, deadline, timeout)
        return results
    finally:
        _reap(children)


def _run_share(work: Callable[[list[Any]], Sequence[Any]], share: list[Any], pipe: Connection):
    """In the child: the share's results, or the traceback of what stopped it, sent as a pair."""
    try:
        payload: tuple[bool, Any] = (True, list(work(share)))
    except BaseException:  # everything, even SystemExit, goes back to the parent
        payload = (False, traceback.format_exc())
    try:
        pipe.send_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # an unpicklable result: say so rather than die silently
        pipe.send_bytes(pickle.dumps((False, traceback.format_exc())))
    finally:
        pipe.close()


def _collect(child: BaseProcess, pipe: Connection, deadline: float, timeout: float) -> list[Any]:
    if not pipe.poll(max(0.0, deadline - time.monotonic())):
        raise ParallelError(
            f"a build process (pid {child.pid}) sent no result within {timeout:g} s and was "
            "stopped; raise BUILD_WORKER_TIMEOUT if the build is just slow."
        )
    try:
        ok, value = pickle.loads(pipe.recv_bytes())
    except EOFError:
        child.join(max(0.0, deadline - time.monotonic()))
        raise ParallelError(
            f"a build process (pid {child.pid}) ended without a result (exit {child.exitcode})"
        ) from None
    child.join(max(0.0, deadline - time.monotonic()))
    if not ok:
        raise ParallelError(f"a build process (pid {child.pid}) failed:\n{value}")
    if child.exitcode != 0:
        raise ParallelError(
            f"a build process (pid {child.pid}) sent its result but exited with {child.exitcode}"
        )
    return list(value)


def _reap(children: list[tuple[BaseProcess, Connection]]) -> None:
    """Kill every child still running, and wait for each, so none is left behind."""
    for child, pipe in children:
        pipe.close()
        if child.is_alive():
            child.kill()
    for child, _pipe in children:
        child.join()
        child.close()
