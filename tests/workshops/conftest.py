"""Fixtures for the workshop tests: a workshop model, and the real inbox with workshops in its
manifest."""

import httpx
import pytest
from workshop_helpers import WORKSHOPS, make_workshop

from tests.support import TODAY


@pytest.fixture
def arc():
    return make_workshop()


@pytest.fixture(scope="session")
def http():
    """One HTTP client for loopback: a new client per request would reload the CA bundle."""
    with httpx.Client(timeout=30, trust_env=False) as client:
        yield client


@pytest.fixture
def workshop_inbox(start_inbox):
    """The real inbox over HTTP, its manifest listing WORKSHOPS, its clock on TODAY; the
    per-network registration limit off, since every test registers from 127.0.0.1."""
    env = {"LETTERPRESS_TODAY": TODAY, "LETTERPRESS_REGISTRATION_RATE": "0"}
    return start_inbox(workshops=WORKSHOPS, env=env)
