"""Shared fixtures: one real build of the sample site per session, a browser, the inbox.

The helpers they use live in tests/support.py. Feature tests live in their own folders
(tests/site, tests/comments, ...) with their own conftest for fixtures only they use.
"""

import os
from pathlib import Path

import pytest

# Every test, and every process a test starts, reads this settings file and never a developer's
# own letterpress.toml (which may name a real SMTP server or a deployed inbox). Set before the
# imports below, some of which read the settings.
os.environ["LETTERPRESS_SETTINGS"] = str(Path(__file__).with_name("letterpress-test.toml"))

from letterpress.chromium import CHROMIUM_ARGS
from tests.support import (
    CHROMIUM,
    SAMPLE_ESSAYS,
    InboxProcess,
    Site,
    build_sample,
    copy_content,
    prepare_inbox,
    require_tool,
    serve_directory,
)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    """The sample site, built once per session from the repository's own content/."""
    return build_sample(tmp_path_factory, "sample-site")


@pytest.fixture
def content_copy(tmp_path) -> Path:
    return copy_content(tmp_path / "content")


@pytest.fixture(scope="session")
def site_url(site) -> str:
    """The built sample site served over HTTP on loopback."""
    with serve_directory(site.output) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    require_tool(
        Path(CHROMIUM).exists(), "Chromium", "apt-get install -y chromium (or run bash .ci/run)"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """`new_page(**options)`: a page in a browser context of its own, made with Playwright's
    context options (viewport=..., color_scheme=...); every context it made is closed after the
    test, even one that failed half-way."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a fresh browser context with Playwright's defaults."""
    return new_page()


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    """An inbox shared by a module's tests: rate limit off, so tests do not count each other."""
    running = prepare_inbox(
        tmp_path_factory.mktemp("inbox"), env={"LETTERPRESS_COMMENT_RATE": "0"}
    ).start()
    yield running
    running.stop()


@pytest.fixture
def start_inbox(tmp_path):
    """Start the real inbox (uvicorn subprocess, SQLite in tmp) with a manifest written for the
    test: `start_inbox(essays=..., workshops=..., env=...)`; stopped after the test."""
    started: list[InboxProcess] = []

    def start(essays=SAMPLE_ESSAYS, workshops=None, env=None, manifest_path=None) -> InboxProcess:
        folder = tmp_path / f"inbox-{len(started)}"
        inbox = prepare_inbox(folder, essays, workshops, env, manifest_path)
        started.append(inbox)
        return inbox.start()

    yield start
    for inbox in started:
        inbox.stop()


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on a free loopback port; `smtp.messages` fills as mail
    arrives (tests/notifications/notify_helpers.py: SmtpServer)."""
    from aiosmtpd.controller import Controller

    from tests.notifications.notify_helpers import SmtpServer
    from tests.support import free_port

    server = SmtpServer(free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    yield server
    controller.stop()
