"""Fixtures for the workshop tests."""

import pytest
from workshop_helpers import make_workshop


@pytest.fixture
def arc():
    return make_workshop()
