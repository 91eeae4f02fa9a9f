"""letterpress.forked: a share of the work done in a forked child, its result or its failure
brought back to the parent."""

import os

import pytest

from letterpress.forked import Forked, ForkedError


def child_pid_and_square(number: int) -> tuple[int, int]:
    return os.getpid(), number * number


def fails() -> None:
    raise ValueError("a comment file that cannot be read")


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
