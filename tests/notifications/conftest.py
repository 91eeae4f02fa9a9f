"""Fixtures for the inbox's own e-mail: a real SMTP server (aiosmtpd) on a free loopback port."""

import pytest
from aiosmtpd.controller import Controller
from notify_helpers import SmtpServer

from tests.support import free_port


@pytest.fixture
def smtp():
    server = SmtpServer(free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    yield server
    controller.stop()
