"""Fixtures of the build engine's tests."""

import os

import pytest

from tests.support import TODAY


@pytest.fixture
def pinned_today(monkeypatch):
    """LETTERPRESS_TODAY pinned for builds made in this process (an edit may move it)."""
    monkeypatch.setenv("LETTERPRESS_TODAY", TODAY)
    yield
    os.environ["LETTERPRESS_TODAY"] = TODAY
