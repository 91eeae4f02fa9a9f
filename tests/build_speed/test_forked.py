"""letterpress.forked: a share of the work done in a forked child, its result or its failure
brought back to the parent."""

import os

import pytest

from letterpress.forked import Forked, ForkedError, cores, in_shares


def child_pid_and_square(number: int) -> tuple[int, int]:
    return os.getpid(), number * number


def fails() -> None:
    raise ValueError("a comment file that cannot be read")


@pytest.mark.skipif(cores() < 2, reason="one core: the work runs in this process")
def test_the_work_runs_in_another_process_and_its_result_comes_back():
    pid, square = Forked(child_pid_and_square, 12).result()
    assert square == 144
    assert pid != os.getpid()


def test_a_large_result_comes_back_whole():
    text = "x" * 5_000_000  # far more than a pipe holds at once
    assert Forked(str.upper, text).result() == text.upper()


def test_a_failure_in_the_child_is_raised_in_the_parent_with_its_traceback():
    with pytest.raises(ForkedError, match="a comment file that cannot be read"):
        Forked(fails).result()


def pids_and_doubles(share: list[int]) -> list[tuple[int, int]]:
    return [(os.getpid(), number * 2) for number in share]


@pytest.mark.skipif(cores() < 2, reason="one core: the shares run in this process")
def test_in_shares_runs_every_item_once_across_processes():
    results = in_shares(pids_and_doubles, list(range(101)), workers=2)
    assert sorted(double for _pid, double in results) == [n * 2 for n in range(101)]
    assert len({pid for pid, _ in results}) == 2


def test_in_shares_with_fewer_items_than_workers_and_with_none():
    assert in_shares(pids_and_doubles, [5], workers=4) == [(os.getpid(), 10)]
    assert in_shares(pids_and_doubles, [], workers=2) == []
