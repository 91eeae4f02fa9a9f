"""An inbox shared by a module's tests: rate limit off, so tests do not count each other."""

import pytest

from tests.conftest import prepare_inbox


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    running = prepare_inbox(
        tmp_path_factory.mktemp("inbox"), env={"LETTERPRESS_COMMENT_RATE": "0"}
    ).start()
    yield running
    running.stop()
