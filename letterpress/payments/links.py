"""Signed cancel links: one person, one registration. The link names the registration and an
HMAC over its id, its arrival and the address proves the inbox made it for that person; someone
who cancels and registers again gets a new link, and the old one no longer verifies."""

import base64
import hashlib
import hmac
from urllib.parse import urlencode

PURPOSE = b"workshop-cancel\x00"


def sign(secret: str, registration_id: int, queue: int, email: str) -> str:
    message = PURPOSE + f"{registration_id}:{queue}:".encode() + email.strip().lower().encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


def verify(secret: str, registration_id: int, queue: int, email: str, token: str) -> bool:
    expected = sign(secret, registration_id, queue, email).encode()
    return hmac.compare_digest(expected, token.encode())


def cancel_url(inbox_url: str, secret: str, registration_id: int, queue: int, email: str) -> str:
    query = urlencode({"r": registration_id, "t": sign(secret, registration_id, queue, email)})
    return f"{inbox_url.rstrip('/')}/workshops/cancel?{query}"
