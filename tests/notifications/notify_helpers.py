"""Helpers for the tests of the inbox's own e-mail: a real SMTP server (aiosmtpd) on loopback
that keeps every message it receives, and posting and deciding comments over HTTP."""

import email
import email.policy
import threading
import time
from dataclasses import dataclass, field

import httpx

from tests.support import ADMIN_TOKEN

JSON = {"Accept": "application/json"}
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Accept": "application/json"}
SECRET = "test-secret-for-links-0b1c"
SENDER = "Miriam Okafor <notes@letterpress.example>"


@dataclass
class Received:
    """What the SMTP server was given: envelope and parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage
    raw: bytes = b""  # the bytes as they came over the wire

    def header_lines(self) -> dict[str, str]:
        """Each header as written on the wire (folded lines joined), by lower-cased name."""
        head = self.raw.split(b"\r\n\r\n", 1)[0].decode("ascii", errors="replace")
        unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ")
        return {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in unfolded.split("\r\n"))
        }


@dataclass
class SmtpServer:
    """A real SMTP server on a free loopback port; `messages` fills as mail arrives."""

    port: int
    messages: list[Received] = field(default_factory=list)
    refuse: bool = False  # answer 451 to every message (a server that is failing)
    # Recipients answered 550 (a mailbox that does not exist), and how many times they were tried.
    no_such_user: set[str] = field(default_factory=set)
    tries: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # aiosmtpd
        with self.lock:
            self.tries[address] = self.tries.get(address, 0) + 1
        if address in self.no_such_user:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        if self.refuse:
            return "451 4.3.0 Try again later"
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed, raw))
        return "250 OK"

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} e-mail, the SMTP server got {len(self.messages)}")

    def wait_to(self, address: str, count: int = 1, timeout: float = 10.0) -> list[Received]:
        """The messages to `address`, once there are `count` of them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"expected {count} e-mail to {address}, got {len(self.to(address))}")

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [m for m in self.messages if address in m.rcpt_tos]


def smtp_env(smtp: SmtpServer, **extra: str) -> dict:
    """The inbox's settings for sending through `smtp`, at once (no batching delay)."""
    return {
        "LETTERPRESS_SMTP_URL": smtp.url,
        "LETTERPRESS_SECRET": SECRET,
        "LETTERPRESS_MAIL_FROM": SENDER,
        "LETTERPRESS_NOTIFY_DELAY": "0",
        "LETTERPRESS_COMMENT_RATE": "0",
        **extra,
    }


def post_comment(inbox, body, *, email, name="A Reader", parent=None, notify=False) -> str:
    data = {"essay": "open-essay", "name": name, "email": email, "body": body}
    if parent:
        data["parent"] = parent
    if notify:
        data["notify_replies"] = "on"
    answer = httpx.post(inbox.url + "/comments", data=data, headers=JSON)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def approve(inbox, comment_id) -> dict:
    answer = httpx.post(f"{inbox.url}/comments/{comment_id}/approve", headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return answer.json()
