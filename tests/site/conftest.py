"""Fixtures for the site tests: the sample site built later in time. Helpers for reading built
pages are in tests/site/pages.py."""

import pytest

from tests.support import Site, build_sample

# A build date after the sample's scheduled essay (the-quiet-quarter, dated 2026-12-08).
LATER = "2026-12-09"


@pytest.fixture(scope="session")
def later_site(tmp_path_factory) -> Site:
    """The sample site as a build on 2026-12-09 makes it: the scheduled essay is out."""
    return build_sample(tmp_path_factory, "later-site", today=LATER)
