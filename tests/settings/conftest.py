"""The settings tests send e-mail through a real SMTP server (aiosmtpd) on loopback."""

import pytest
from aiosmtpd.controller import Controller

from tests.notifications.notify_helpers import SmtpServer
from tests.support import free_port


@pytest.fixture
def smtp():
    server = SmtpServer(free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    yield server
    controller.stop()
