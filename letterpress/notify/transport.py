"""Where the inbox's e-mail goes: a real SMTP server (smtplib) when LETTERPRESS_SMTP_URL is set,
else the outbox, .eml files under build/outbox/notifications/ that any mail program opens.

A transport either hands the message over or raises SendError with a sentence saying what failed
and that the message stays queued.
"""

import datetime as dt
import re
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from letterpress.errors import LetterpressError
from letterpress.paths import notifications_outbox_path

SMTP_TIMEOUT_SECONDS = 30
DEFAULT_PORTS = {"smtp": 587, "smtps": 465}


class SendError(LetterpressError):
    """The message was not handed over; it stays queued for the next try."""


class Refused(SendError):
    """The server refused the message for good (a 5xx answer to its recipient or its content):
    trying again would get the same answer, so the message's life ends here."""


_ADDRESS = re.compile(r"[^\s<>(),;:\"']+@[^\s<>(),;:\"']+")


def without_addresses(text: str) -> str:
    """`text` (a server's answer) with every e-mail address in it replaced: what is logged and
    kept about a failure must not hold the recipient's address (it outlives a forget)."""
    return _ADDRESS.sub("(address)", text)


class Transport(Protocol):
    @property
    def name(self) -> str:
        """What the log calls this transport (smtp, outbox); read-only, as the transports are."""
        ...

    def send(self, message: EmailMessage) -> None:
        """Hand the message over, or raise SendError."""


@dataclass(frozen=True)
class SmtpTransport:
    """smtp://user:password@host:port (STARTTLS when the server offers it; required unless the
    host is loopback) or smtps://… (TLS from the first byte)."""

    url: str = field(repr=False)
    timeout: float = SMTP_TIMEOUT_SECONDS
    name: str = "smtp"

    @property
    def where(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.hostname}:{parts.port or DEFAULT_PORTS[parts.scheme]}"

    def send(self, message: EmailMessage) -> None:
        parts = urlsplit(self.url)
        host, port = parts.hostname or "localhost", parts.port or DEFAULT_PORTS[parts.scheme]
        client: smtplib.SMTP
        try:
            if parts.scheme == "smtps":
                context = ssl.create_default_context()
                client = smtplib.SMTP_SSL(host, port, timeout=self.timeout, context=context)
            else:
                client = smtplib.SMTP(host, port, timeout=self.timeout)
            with client:
                if parts.scheme == "smtp":
                    client.ehlo()
                    if client.has_extn("starttls"):
                        client.starttls(context=ssl.create_default_context())
                        client.ehlo()
                    elif parts.username and not _loopback(host):
                        raise SendError(
                            f"The SMTP server at {self.where} does not offer STARTTLS, and the "
                            "password must not travel unencrypted; use smtps:// or another "
                            "server. The e-mail stays queued."
                        )
                if parts.username:
                    client.login(unquote(parts.username), unquote(parts.password or ""))
                client.send_message(message)
        except SendError:
            raise
        except smtplib.SMTPAuthenticationError as error:
            raise SendError(
                f"The SMTP server at {self.where} refused the user name or password "
                f"({error.smtp_code}); check LETTERPRESS_SMTP_URL. The e-mail stays queued."
            ) from None
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            refused = without_addresses(
                ", ".join(
                    f"{code} {reason.decode(errors='replace')}"
                    for code, reason in error.recipients.values()
                )
            )
            if all(code >= 500 for code in codes):
                raise Refused(
                    f"The SMTP server at {self.where} refused the recipient for good "
                    f"({refused}); the e-mail will not be sent."
                ) from None
            raise SendError(
                f"The SMTP server at {self.where} refused the recipient ({refused}). "
                "The e-mail stays queued."
            ) from None
        except smtplib.SMTPDataError as error:
            reason = without_addresses(f"{error.smtp_code} {_text(error.smtp_error)}")
            if error.smtp_code >= 500:
                raise Refused(
                    f"The SMTP server at {self.where} refused the message for good ({reason}); "
                    "the e-mail will not be sent."
                ) from None
            raise SendError(
                f"The SMTP server at {self.where} did not take the message ({reason}). The "
                "e-mail stays queued: `invoke notifications.send` tries again."
            ) from None
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            reason = without_addresses(str(error) or type(error).__name__)
            raise SendError(
                f"Could not send through the SMTP server at {self.where} ({reason}). The e-mail "
                "stays queued: `invoke notifications.send` tries again."
            ) from None


def _text(answer: bytes | str) -> str:
    return answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)


def _loopback(host: str) -> bool:
    return host in ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class OutboxTransport:
    """Writes each message as <folder>/<time>-<n>.eml (the default: no mail server needed)."""

    folder: Path
    name: str = "outbox"

    def send(self, message: EmailMessage) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            kind = message.get("X-Letterpress-Notice", "notice")
            for number in range(1, 10_000):
                path = self.folder / f"{stamp}-{kind}-{number}.eml"
                try:
                    with path.open("xb") as stream:
                        stream.write(message.as_bytes())
                    return
                except FileExistsError:
                    continue
        except OSError as error:
            raise SendError(
                f"Could not write the e-mail into {self.folder} ({error}); it stays queued."
            ) from None
        raise SendError(f"{self.folder}: too many messages this second; it stays queued.")

    def forget(self, email: str, notification_ids: Iterable[int] = ()) -> list[Path]:
        """Delete every message to `email`, naming it, or carrying one of `notification_ids`
        (the author's notices about the person); returns the files removed."""
        removed = []
        wanted = email.strip().lower()
        ids = {str(number) for number in notification_ids}
        for path in sorted(self.folder.glob("*.eml")) if self.folder.is_dir() else []:
            raw = path.read_bytes()
            if (
                wanted in _recipients(raw)
                or wanted.encode() in raw.lower()
                or ids & _notification_ids(raw)
            ):
                path.unlink()
                removed.append(path)
        return removed


NOTIFICATIONS_HEADER = "X-Letterpress-Notifications"


def _notification_ids(raw: bytes) -> set[str]:
    header = re.search(rb"^X-Letterpress-Notifications:([^\r\n]*)", raw, re.MULTILINE)
    if header is None:
        return set()
    return {part.strip() for part in header.group(1).decode("ascii", "replace").split(",")}


def _recipients(raw: bytes) -> set[str]:
    header = re.search(rb"^To:(.*(?:\r?\n[ \t].*)*)", raw, re.MULTILINE | re.IGNORECASE)
    if header is None:
        return set()
    text = header.group(1).decode("utf-8", errors="replace")
    return {address.lower() for _, address in getaddresses([text])}


def outbox_folder(build_path: Path) -> Path:
    return notifications_outbox_path(build_path)


def transport_from(smtp_url: str, build_path: Path) -> Transport:
    """SMTP when `smtp_url` is set, else the outbox under `build_path`."""
    if smtp_url:
        return SmtpTransport(smtp_url)
    return OutboxTransport(outbox_folder(build_path))
