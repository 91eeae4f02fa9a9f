"""Fixtures for the mailing tests: a local Mailchimp that checks every request against the spec,
built issue folders written for the test, and the environment that points the real client at it."""

import subprocess
from pathlib import Path

import pytest
from local_mailchimp import SPEC_PATH, LocalMailchimp, Served, Spec
from mailing_helpers import API_KEY, LIST_ID, write_issue

from tests.support import free_port


@pytest.fixture(scope="session")
def spec() -> Spec:
    return Spec(SPEC_PATH)


@pytest.fixture(scope="session")
def shared_mailchimp(spec):
    """One local Mailchimp for the session, on a free loopback port; `mailchimp` resets it."""
    service = LocalMailchimp(API_KEY, LIST_ID, spec)
    with Served(service.app, free_port()) as served:
        service.url = served.url
        service.env = {
            "MAILCHIMP_API_KEY": API_KEY,
            "MAILCHIMP_LIST_ID": LIST_ID,
            "MAILCHIMP_API_BASE": f"{served.url}/3.0",
            "MAILCHIMP_TIMEOUT": "10",
        }
        yield service


@pytest.fixture
def mailchimp(shared_mailchimp):
    """The local Mailchimp, empty. A request the spec does not allow fails the test, even when
    the code under test swallowed the 400."""
    shared_mailchimp.reset()
    yield shared_mailchimp
    violations = shared_mailchimp.reset()
    assert not violations, "requests the Mailchimp spec does not allow:\n" + "\n".join(violations)


@pytest.fixture
def build(tmp_path) -> Path:
    path = tmp_path / "build"
    write_issue(path)
    return path


@pytest.fixture
def repository(tmp_path) -> Path:
    """A throwaway git repository for the committed ledger."""
    path = tmp_path / "repo"
    path.mkdir()
    subprocess.run(["git", "init", "--quiet", str(path)], check=True)
    for key, value in (("user.email", "author@letterpress.invalid"), ("user.name", "Author")):
        subprocess.run(["git", "-C", str(path), "config", key, value], check=True)
    return path
