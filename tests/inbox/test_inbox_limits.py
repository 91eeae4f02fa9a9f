"""What one client may take from the inbox: registrations and sign-ups per network, and time.

The time limits are tested with raw sockets against the real server, each set to a second or
two through the environment (LETTERPRESS_HEADER_TIMEOUT, …) so the tests stay short.
"""

import json
import signal
import socket
import time

import httpx
import pytest

from tests.support import TODAY
from tests.workshops.workshop_helpers import manifest_entry

JSON = {"Accept": "application/json"}
REGISTER = "/workshops/the-arc/registrations"
# The sample workshop of the workshop tests: 12 seats, 2 per registration, open.
WORKSHOP = manifest_entry("The Arc", "open")
TIMEOUTS = {
    "LETTERPRESS_HEADER_TIMEOUT": "1",
    "LETTERPRESS_BODY_TIMEOUT": "2",
    "LETTERPRESS_SHUTDOWN_TIMEOUT": "2",
}
# Time for the loopback and a busy machine on top of a deadline.
SLACK_S = 1.5


def contacts(inbox) -> dict:
    path = inbox.db_path.parents[1] / "build" / "outbox" / "contacts.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def test_one_network_cannot_fill_a_workshop_or_mail_strangers(start_inbox):
    inbox = start_inbox(workshops={"the-arc": WORKSHOP}, env={"LETTERPRESS_TODAY": TODAY})
    answers = [
        httpx.post(
            inbox.url + REGISTER,
            data={"name": f"Stranger {n}", "email": f"stranger{n}@example.org", "newsletter": "on"},
            headers=JSON,
        )
        for n in range(20)
    ]
    assert [a.status_code for a in answers] == [201] * 5 + [429] * 15
    assert answers[-1].headers["retry-after"] == "600"
    assert "Too many registrations from your network" in answers[-1].json()["error"]
    assert inbox.rows("SELECT COUNT(*) FROM registrations")[0][0] == 5
    assert contacts(inbox) == {}  # nobody reaches the mailing list before confirming
    elsewhere = httpx.post(
        inbox.url + REGISTER,
        data={"name": "Neighbour", "email": "neighbour@example.org"},
        headers={**JSON, "X-Forwarded-For": "198.51.100.7"},
    )
    assert elsewhere.status_code == 201


def test_the_newsletter_box_counts_against_the_sign_up_limit(start_inbox):
    inbox = start_inbox(
        workshops={"the-arc": WORKSHOP},
        env={"LETTERPRESS_TODAY": TODAY, "LETTERPRESS_SIGNUP_RATE": "2"},
    )
    ticked = [
        httpx.post(
            inbox.url + REGISTER,
            data={"name": "Ada", "email": f"ada{n}@example.org", "newsletter": "on"},
            headers=JSON,
        )
        for n in range(3)
    ]
    assert [a.status_code for a in ticked] == [201, 201, 429]
    assert ticked[-1].json()["field"] == "newsletter"
    assert "untick the newsletter box" in ticked[-1].json()["error"]
    unticked = httpx.post(
        inbox.url + REGISTER, data={"name": "Ada", "email": "ada2@example.org"}, headers=JSON
    )
    assert unticked.status_code == 201
    signup = httpx.post(
        inbox.url + "/subscribe",
        data={"email": "reader@example.org", "consent": "on"},
        headers=JSON,
    )
    assert signup.status_code == 429
    assert contacts(inbox) == {}  # a registration reaches the list only once confirmed


def seconds_until_closed(connection: socket.socket, limit: float = 30) -> tuple[float, bytes]:
    """How long until the server closes `connection`, and what it said before."""
    began = time.monotonic()
    connection.settimeout(limit)
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return time.monotonic() - began, received


@pytest.fixture
def strict_inbox(start_inbox):
    return start_inbox(env=TIMEOUTS)


HEAD = (
    b"POST /comments HTTP/1.1\r\nHost: inbox\r\nAccept: application/json\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\n"
)


@pytest.mark.parametrize(
    ("sent", "deadline", "answer"),
    [
        (b"", 1, b""),  # connected, then silent
        (b"POST /comments HTTP/1.1\r\nHost: in", 1, b""),  # half the headers
        (HEAD + b"Content-Length: 100\r\n\r\nname=Ada", 2, b"HTTP/1.1 408 "),  # a short body
    ],
    ids=["idle", "half-headers", "short-body"],
)
def test_a_stalled_client_is_cut_off_at_its_deadline(strict_inbox, sent, deadline, answer):
    with socket.create_connection(("127.0.0.1", strict_inbox.port)) as connection:
        connection.sendall(sent)
        waited, received = seconds_until_closed(connection)
    assert deadline - 0.2 <= waited <= deadline + SLACK_S
    assert received.startswith(answer)
    assert httpx.get(strict_inbox.url + "/healthz").status_code == 200


def rest_of_answer(connection, timeout: float = 5.0) -> bytes:
    """What the server still sends until it closes: the 408's body may follow its headers in a
    segment of its own."""
    connection.settimeout(timeout)
    rest = b""
    try:
        while chunk := connection.recv(65536):
            rest += chunk
    except OSError:  # reset or timed out: the answer is whatever came
        pass
    return rest


def test_a_body_sent_a_byte_at_a_time_is_cut_at_the_body_deadline(strict_inbox):
    with socket.create_connection(("127.0.0.1", strict_inbox.port)) as connection:
        connection.sendall(HEAD + b"Content-Length: 1000\r\n\r\n")
        began = time.monotonic()
        connection.settimeout(0.25)
        received = b""
        while not received and time.monotonic() - began < 10:
            try:
                connection.sendall(b"x")
                received = connection.recv(65536)
            except TimeoutError:
                continue
            except OSError:  # closed as the 408 went out
                break
        waited = time.monotonic() - began
        received += rest_of_answer(connection)
    assert received.startswith(b"HTTP/1.1 408 ")
    assert b"connection: close" in received.lower()
    assert b"did not arrive within 2 seconds" in received
    assert waited <= 2 + SLACK_S


def test_a_stop_does_not_wait_on_stalled_clients(strict_inbox):
    stalled = [socket.create_connection(("127.0.0.1", strict_inbox.port)) for _ in range(3)]
    stalled[1].sendall(HEAD + b"Content-Length: 500\r\n\r\nbody=")
    stalled[2].sendall(b"POST /comments HTTP/1.1\r\n")
    time.sleep(0.3)
    began = time.monotonic()
    strict_inbox.stop()
    assert time.monotonic() - began <= 2 + SLACK_S
    # uvicorn stops cleanly, then raises the signal it caught again: "terminated by SIGTERM".
    assert strict_inbox.process.returncode in (0, -signal.SIGTERM)
    for connection in stalled:
        connection.close()


def raw_request(inbox, head: bytes, chunk: int = 65536, timeout: float = 10.0) -> tuple[bytes, int]:
    """Send `head` (request line and headers) on a raw socket, in chunks, until the server
    answers or closes; returns (its answer, the bytes it took before answering)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", inbox.port), timeout=timeout) as connection:
        try:
            while sent < len(head):
                sent += connection.send(head[sent : sent + chunk])
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        try:
            while part := connection.recv(65536):
                answer += part
        except (ConnectionResetError, TimeoutError):
            pass
    return answer, sent


def test_headers_over_16_kilobytes_are_refused_with_431_before_they_are_kept(start_inbox):
    inbox = start_inbox()
    small = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 15_000 + b"\r\n\r\n"
    answer, _ = raw_request(inbox, small)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:80]
    huge = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 8_000_000 + b"\r\n\r\n"
    answer, sent = raw_request(inbox, huge)
    assert answer.startswith(b"HTTP/1.1 431"), answer[:80]
    assert b"16 KB" in answer
    assert sent < len(huge), "the server read the whole 8 MB before refusing"
    many = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 3000 + b"\r\n"
    assert raw_request(inbox, many)[0].startswith(b"HTTP/1.1 431")
    assert httpx.get(inbox.url + "/healthz").status_code == 200


def test_ipv6_senders_are_counted_per_48_and_the_prefix_is_a_setting(start_inbox):
    data = {"essay": "open-essay", "name": "Six", "email": "six@example.org"}

    def post(inbox, address, n):
        headers = {**JSON, "X-Forwarded-For": address}
        body = {**data, "body": f"From {address} ({n})."}
        return httpx.post(inbox.url + "/comments", data=body, headers=headers).status_code

    # Two /56 networks of one /48: one allowance between them.
    inbox = start_inbox(env={"LETTERPRESS_COMMENT_RATE": "1"})
    assert post(inbox, "2001:db8:7:100::1", 1) == 201
    assert post(inbox, "2001:db8:7:200::1", 2) == 429
    assert post(inbox, "2001:db8:8::1", 3) == 201  # another /48
    wide = start_inbox(env={"LETTERPRESS_COMMENT_RATE": "1", "LETTERPRESS_IPV6_PREFIX": "56"})
    assert post(wide, "2001:db8:7:100::1", 4) == 201
    assert post(wide, "2001:db8:7:200::1", 5) == 201
    [row] = wide.rows("SELECT client FROM comments WHERE body LIKE '%(5).'")
    assert row["client"] == "2001:db8:7:200::/56"
