"""`make serve` refuses, before building, to serve forms that would post to no inbox."""

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
        answer = run_invoke(
            "serve", "--port", str(site_port), "--inbox-port", str(taken), timeout=60
        )
    assert answer.returncode == 1
    assert f"The inbox cannot start: 127.0.0.1:{taken} is already in use" in answer.stderr
    assert "INBOX_PORT=" in answer.stderr
    assert "Built the site" not in answer.stdout
