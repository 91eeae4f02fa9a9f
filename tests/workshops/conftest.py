"""Fixtures for the workshop tests: a workshop model, and the real inbox with workshops in its
manifest."""

import httpx
import pytest
from workshop_helpers import make_workshop

TODAY = "2026-11-26"
ADMIN = {"Authorization": "Bearer test-admin-token-7f3c"}  # tests/conftest.py's ADMIN_TOKEN
JSON = {"Accept": "application/json"}


def manifest_entry(title: str, state: str, seats: int = 12, limit: int = 2) -> dict:
    return {
        "title": title,
        "url": f"workshops/{title.lower().replace(' ', '-')}/",
        "seats": seats,
        "max_seats_per_registration": limit,
        "state": state,
        "start": "2027-05-14T09:00:00-07:00",
        "end": "2027-05-15T17:00:00-07:00",
    }


WORKSHOPS = {
    "the-arc": manifest_entry("The Arc", "open"),
    "full-house": manifest_entry("Full House", "waitlist"),
    "shut": manifest_entry("Shut", "closed"),
    "gone": manifest_entry("Gone", "past"),
}


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
    """The real inbox over HTTP, its manifest listing WORKSHOPS, its clock on TODAY."""
    return start_inbox(workshops=WORKSHOPS, env={"LETTERPRESS_TODAY": TODAY})
