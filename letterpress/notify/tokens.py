"""Signed unsubscribe links: the link names a comment the person wrote, and an HMAC over that
comment's Id and their address proves the link was made by this inbox for that person.

The address itself never appears in the link (links end up in logs and forwarded mail). Once the
address is forgotten, no link made for it verifies any more.
"""

import base64
import hashlib
import hmac
from urllib.parse import urlencode

PURPOSE = b"reply-notifications-unsubscribe\x00"


def sign(secret: str, comment_id: str, email: str) -> str:
    """The token for (comment, address); the address is compared without regard to case."""
    message = PURPOSE + comment_id.encode() + b"\x00" + email.strip().lower().encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


def verify(secret: str, comment_id: str, email: str, token: str) -> bool:
    """True when `token` is the one `sign` makes; takes the same time whatever the guess."""
    return hmac.compare_digest(sign(secret, comment_id, email).encode(), token.encode())


SEATS = b"workshop-registration-confirm\x00"


def sign_registration(secret: str, workshop: str, registration_id: int, queue: int) -> str:
    """The token of the link that confirms one registration (this arrival of it: a person who
    registers again after cancelling gets a new link, and the old one stops working)."""
    message = SEATS + f"{workshop}\x00{registration_id}\x00{queue}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


def verify_registration(
    secret: str, workshop: str, registration_id: int, queue: int, token: str
) -> bool:
    expected = sign_registration(secret, workshop, registration_id, queue)
    return hmac.compare_digest(expected.encode(), token.encode())


def confirm_url(inbox_url: str, secret: str, workshop: str, registration_id: int, queue: int):
    query = urlencode(
        {
            "r": registration_id,
            "q": queue,
            "t": sign_registration(secret, workshop, registration_id, queue),
        }
    )
    return f"{inbox_url.rstrip('/')}/workshops/{workshop}/registrations/confirm?{query}"


def unsubscribe_url(inbox_url: str, secret: str, comment_id: str, email: str) -> str:
    query = urlencode({"c": comment_id, "t": sign(secret, comment_id, email)})
    return f"{inbox_url.rstrip('/')}/notifications/unsubscribe?{query}"
