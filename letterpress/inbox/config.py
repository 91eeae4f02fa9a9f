"""The inbox's configuration, read once from the environment and typed.

Secrets are starlette `Secret`s so they never show up in a repr, a log line or a traceback.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from starlette.datastructures import Secret

from letterpress.clock import BadBuildDate, Clock, now_for_tests_or_real, utc_now
from letterpress.errors import LetterpressError
from letterpress.privacy import RETENTION_DAYS

# The limits people read are in characters (a comment: 10,000). Encoded, a character can take
# 12 bytes (an emoji is %F0%9F%98%80 in a form, \ud83d\ude00 in JSON), so the byte cap, which
# refuses a body with 413 before it is read, sits above every field at its limit at once.
MAX_BODY_BYTES = 160 * 1024
AKISMET_API_BASE = "https://rest.akismet.com/1.1"
DEFAULT_INBOX_URL = "http://127.0.0.1:8001"
SMTP_SCHEMES = ("smtp", "smtps")


class ConfigError(LetterpressError, ValueError):
    """An environment variable holds a value the inbox cannot use; the message names it."""


@dataclass(frozen=True)
class InboxConfig:
    db_path: Path = Path("var/inbox.sqlite3")
    manifest_path: Path = Path("output/letterpress.json")
    admin_token: Secret = field(default_factory=lambda: Secret(""))
    # The site's origin (scheme://host[:port]) that may call the inbox from scripts (CORS).
    allowed_origin: str = ""
    # Where 303 answers send the reader; falls back to the manifest's site URL, then the origin.
    site_url: str = ""
    akismet_key: Secret = field(default_factory=lambda: Secret(""))
    akismet_url: str = AKISMET_API_BASE
    # Comments accepted per client address within the window; 0 turns the limit off.
    comment_rate: int = 5
    comment_rate_window: int = 60
    # Newsletter sign-ups accepted per client network in ten minutes; 0 turns the limit off.
    # A workshop registration with the newsletter box ticked counts as one.
    signup_rate: int = 5
    # Workshop registrations accepted per client network in ten minutes; 0 turns the limit off.
    registration_rate: int = 5
    max_body_bytes: int = MAX_BODY_BYTES
    # Seconds a client may take to send a request's headers (from connecting, or from the first
    # byte of the next request), to send its whole body, and to keep an idle connection open;
    # and how long a stopping server waits for requests in progress.
    header_timeout: int = 10
    body_timeout: int = 20
    keep_alive_timeout: int = 5
    shutdown_timeout: int = 10
    build_path: Path = Path("build")
    # E-mail the inbox sends itself (reply notifications, notices): through SMTP when set
    # (smtp[s]://user:pass@host:port), else as .eml files in build/outbox/notifications/.
    smtp_url: Secret = field(default_factory=lambda: Secret(""))
    mail_from: str = "Letterpress <letterpress@localhost>"
    # Signs unsubscribe links; without it, a secret generated once and kept in the database.
    secret: Secret = field(default_factory=lambda: Secret(""))
    # The inbox's own public address, for links in e-mail (unsubscribe).
    inbox_url: str = DEFAULT_INBOX_URL
    # Who gets a short notice of each new comment and registration ("" or notices off: nobody).
    author_email: str = ""
    author_notices: bool = True
    # Seconds the sender waits after something is queued, so a burst goes out as one batch.
    notify_delay: float = 10.0
    # Days before the data of rejected and spam comments and rate-limit rows are deleted.
    retention_days: int = RETENTION_DAYS
    # Where every "now" of the inbox comes from (letterpress.clock; pinned in tests).
    clock: Clock = field(default=utc_now, repr=False, compare=False)
    # The whole environment, for feature modules with settings of their own (the mailing backend).
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> "InboxConfig":
        """Read LETTERPRESS_* and AKISMET_* variables; raise ConfigError naming a bad one."""
        get = environ.get
        try:
            clock = now_for_tests_or_real(environ)
        except BadBuildDate as error:
            raise ConfigError(str(error)) from None
        return cls(
            db_path=Path(get("LETTERPRESS_INBOX_DB") or cls.db_path),
            manifest_path=Path(get("LETTERPRESS_SITE_MANIFEST") or cls.manifest_path),
            admin_token=Secret(get("LETTERPRESS_ADMIN_TOKEN", "")),
            allowed_origin=get("LETTERPRESS_ALLOWED_ORIGIN", "").strip().rstrip("/"),
            site_url=get("LETTERPRESS_SITE_URL", "").strip().rstrip("/"),
            akismet_key=Secret(get("AKISMET_KEY", "")),
            akismet_url=(get("AKISMET_API_BASE") or AKISMET_API_BASE).rstrip("/"),
            comment_rate=_count(environ, "LETTERPRESS_COMMENT_RATE", cls.comment_rate),
            comment_rate_window=_count(
                environ, "LETTERPRESS_COMMENT_RATE_WINDOW", cls.comment_rate_window
            ),
            signup_rate=_count(environ, "LETTERPRESS_SIGNUP_RATE", cls.signup_rate),
            registration_rate=_count(
                environ, "LETTERPRESS_REGISTRATION_RATE", cls.registration_rate
            ),
            header_timeout=_count(environ, "LETTERPRESS_HEADER_TIMEOUT", cls.header_timeout, 1),
            body_timeout=_count(environ, "LETTERPRESS_BODY_TIMEOUT", cls.body_timeout, 1),
            keep_alive_timeout=_count(
                environ, "LETTERPRESS_KEEP_ALIVE_TIMEOUT", cls.keep_alive_timeout, 1
            ),
            shutdown_timeout=_count(
                environ, "LETTERPRESS_SHUTDOWN_TIMEOUT", cls.shutdown_timeout, 1
            ),
            build_path=Path(get("LETTERPRESS_BUILD_DIR") or cls.build_path),
            **_mail_settings(environ),
            retention_days=_count(environ, "LETTERPRESS_RETENTION_DAYS", cls.retention_days, 1),
            clock=clock,
            environ=dict(environ),
        )


def _mail_settings(environ: Mapping[str, str]) -> dict:
    """The settings of the e-mail the inbox sends; ConfigError naming a variable that is wrong."""
    get = environ.get
    smtp_url = get("LETTERPRESS_SMTP_URL", "").strip()
    secret = get("LETTERPRESS_SECRET", "").strip()
    mail_from = get("LETTERPRESS_MAIL_FROM", "").strip()
    if smtp_url:
        scheme = smtp_url.partition("://")[0].lower()
        if scheme not in SMTP_SCHEMES or "://" not in smtp_url:
            raise ConfigError(
                "LETTERPRESS_SMTP_URL must look like smtp://user:password@host:587 "
                "(or smtps:// for TLS from the start)."
            )
        if not secret:
            raise ConfigError(
                "LETTERPRESS_SMTP_URL is set, so set LETTERPRESS_SECRET too (a long random "
                "string): it signs the unsubscribe links in the e-mail the inbox sends."
            )
        if not mail_from:
            raise ConfigError(
                "LETTERPRESS_SMTP_URL is set, so set LETTERPRESS_MAIL_FROM to the address the "
                "inbox's e-mail comes from (for example: Miriam Okafor <notes@example.org>)."
            )
    delay = get("LETTERPRESS_NOTIFY_DELAY", "").strip() or str(InboxConfig.notify_delay)
    try:
        notify_delay = float(delay)
    except ValueError:
        notify_delay = -1.0
    if not 0 <= notify_delay <= 3600:
        raise ConfigError(f"LETTERPRESS_NOTIFY_DELAY={delay!r} is not a number of seconds.")
    notices = get("LETTERPRESS_AUTHOR_NOTICES", "on").strip().lower()
    if notices not in ("on", "off", "1", "0", "yes", "no", "true", "false", ""):
        raise ConfigError(f"LETTERPRESS_AUTHOR_NOTICES={notices!r}: write on or off.")
    inbox_url = get("LETTERPRESS_INBOX_URL", "").strip() or get("INBOX_URL", "").strip()
    return {
        "smtp_url": Secret(smtp_url),
        "mail_from": mail_from or InboxConfig.mail_from,
        "secret": Secret(secret),
        "inbox_url": (inbox_url or DEFAULT_INBOX_URL).rstrip("/"),
        "author_email": get("LETTERPRESS_AUTHOR_EMAIL", "").strip(),
        "author_notices": notices not in ("off", "0", "no", "false"),
        "notify_delay": notify_delay,
    }


def _count(environ: Mapping[str, str], name: str, default: int, least: int = 0) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = least - 1
    if value < least:
        raise ConfigError(f"{name}={raw!r} is not a whole number of {least} or more.")
    return value
