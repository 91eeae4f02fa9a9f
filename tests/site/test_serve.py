"""`make serve` refuses, before building, to serve forms that would post to no inbox."""

import os
import socket

from tests.support import run_invoke


def test_serve_stops_with_a_sentence_when_the_inbox_port_is_taken():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        with socket.socket() as free:
            free.bind(("127.0.0.1", 0))
            site_port = free.getsockname()[1]
        # The inbox's address comes from the settings (here, their environment variable).
        inbox_url = f"http://127.0.0.1:{taken}"
        answer = run_invoke(
            "serve",
            "--port",
            str(site_port),
            env={**os.environ, "LETTERPRESS_DEV_INBOX_URL": inbox_url},
            timeout=60,
        )
    assert answer.returncode == 1
    assert f"The inbox cannot start: 127.0.0.1:{taken} is already in use" in answer.stderr
    assert "dev_inbox_url" in answer.stderr
    assert "Built the site" not in answer.stdout
