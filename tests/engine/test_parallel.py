"""letterpress/engine/parallel.py: the build's one way of sharing work among processes."""

import os
import time

import pytest

from letterpress.engine import parallel
from letterpress.engine.parallel import ParallelError, in_shares, workers_for

needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="no fork: every share runs here")


def pids_and_doubles(share: list[int]) -> list[tuple[int, int]]:
    return [(os.getpid(), number * 2) for number in share]


def children_of_this_process() -> set[int]:
    """The pids of this process's live children (Linux's /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid() and fields[0] != "Z":
                found.add(int(entry))
    return found


@needs_fork
def test_every_item_is_worked_once_across_processes():
    results = in_shares(pids_and_doubles, list(range(101)), workers=3)
    assert sorted(double for _pid, double in results) == [n * 2 for n in range(101)]
    assert len({pid for pid, _ in results}) == 3


def test_one_worker_makes_no_child_process(monkeypatch):
    def no_fork(*args, **kwargs):
        raise AssertionError("a child process was made")

    monkeypatch.setattr(parallel.multiprocessing, "get_context", no_fork)
    results = in_shares(pids_and_doubles, list(range(50)), workers=1)
    assert {pid for pid, _ in results} == {os.getpid()}


def test_build_workers_1_is_one_worker_and_a_bad_value_names_the_setting():
    assert workers_for({"BUILD_WORKERS": 1}) == 1
    assert workers_for({"BUILD_WORKERS": None}) >= 1
    with pytest.raises(ValueError, match="BUILD_WORKERS = 0"):
        workers_for({"BUILD_WORKERS": 0})


def test_fewer_items_than_workers_and_none():
    assert in_shares(pids_and_doubles, [5], workers=4) == [(os.getpid(), 10)]
    assert in_shares(pids_and_doubles, [], workers=2) == []


def test_a_large_result_comes_back_whole():
    text = "x" * 5_000_000  # far more than a pipe holds at once

    def upper(share):
        return [item.upper() for item in share]

    assert in_shares(upper, [text, text], workers=2) == [text.upper()] * 2


def fails_in_the_child(share: list[int]) -> list[int]:
    if share[0] == 1:
        raise ValueError("a comment file that cannot be read")
    return share


@needs_fork
def test_a_failure_in_a_child_is_raised_with_its_traceback_and_no_child_is_left():
    with pytest.raises(ParallelError, match="a comment file that cannot be read"):
        in_shares(fails_in_the_child, [0, 1], workers=2)
    assert children_of_this_process() == set()


@needs_fork
def test_a_failing_share_here_kills_and_reaps_the_children():
    def slow_there_failing_here(share):
        if share[0] == 0:
            raise ValueError("this process's share failed")
        time.sleep(60)
        return share

    started = time.monotonic()
    with pytest.raises(ValueError, match="this process's share failed"):
        in_shares(slow_there_failing_here, [0, 1, 2], workers=3)
    assert time.monotonic() - started < 10
    assert children_of_this_process() == set()


@needs_fork
def test_a_child_that_hangs_times_out_with_a_clear_error():
    def hangs_there(share):
        if share[0] == 1:
            time.sleep(60)
        return share

    started = time.monotonic()
    with pytest.raises(ParallelError, match=r"no result within 0.5 s.*BUILD_WORKER_TIMEOUT"):
        in_shares(hangs_there, [0, 1], workers=2, timeout=0.5)
    assert time.monotonic() - started < 10
    assert children_of_this_process() == set()


@needs_fork
def test_a_child_that_dies_is_an_error_naming_its_exit():
    def dies_there(share):
        if share[0] == 1:
            os._exit(3)
        return share

    with pytest.raises(ParallelError, match=r"ended without a result \(exit 3\)"):
        in_shares(dies_there, [0, 1], workers=2)
    assert children_of_this_process() == set()
