"""The inbox's configuration: its part of the one set of settings (letterpress/settings.py), typed.

Secrets are starlette `Secret`s so they never show up in a repr, a log line or a traceback.
"""

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from starlette.datastructures import Secret

from letterpress.clock import BadBuildDate, Clock, now_for_tests_or_real, utc_now
from letterpress.errors import LetterpressError
from letterpress.manifest import FILENAME
from letterpress.paths import DEFAULT_BUILD_DIR
from letterpress.privacy import RETENTION_DAYS
from letterpress.settings import (
    AKISMET_API_BASE,
    DEV_INBOX_URL,
    Settings,
    SettingsError,
    load_settings,
    variable,
)

# The limits people read are in characters (a comment: 10,000). Encoded, a character can take
# 12 bytes (an emoji is %F0%9F%98%80 in a form, \ud83d\ude00 in JSON), so the byte cap, which
# refuses a body with 413 before it is read, sits above every field at its limit at once.
MAX_BODY_BYTES = 160 * 1024
DEFAULT_INBOX_URL = DEV_INBOX_URL


class ConfigError(LetterpressError, ValueError):
    """A setting holds a value the inbox cannot use; the message names it."""


@dataclass(frozen=True)
class InboxConfig:
    db_path: Path = Path("var/inbox.sqlite3")
    # The manifest the inbox reads. When the site is published on another host, `manifest_url`
    # is its address and `manifest_path` the copy kept on disk (the site cache: site_fetch.py),
    # refreshed every `manifest_refresh` seconds and stale after `manifest_stale_after`.
    manifest_path: Path = Path("output/letterpress.json")
    manifest_url: str = ""
    manifest_refresh: float = 60.0
    manifest_stale_after: float = 600.0
    admin_token: Secret = field(default_factory=lambda: Secret(""))
    # What the author types to sign in to the moderation page (/admin) besides the admin token.
    admin_passphrase: Secret = field(default_factory=lambda: Secret(""))
    # How long a moderation page sign-in lasts, in hours.
    admin_session_hours: int = 12
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
    # Minutes a registration holds its seats until the person confirms by the e-mailed link.
    seat_hold_minutes: int = 30
    # The IPv6 prefix length counted as one sender network by the rate limits.
    ipv6_prefix: int = 48
    max_body_bytes: int = MAX_BODY_BYTES
    # Seconds a client may take to send a request's headers (from connecting, or from the first
    # byte of the next request), to send its whole body, and to keep an idle connection open;
    # and how long a stopping server waits for requests in progress.
    header_timeout: int = 10
    body_timeout: int = 20
    keep_alive_timeout: int = 5
    shutdown_timeout: int = 10
    build_path: Path = Path(DEFAULT_BUILD_DIR)
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
    # Stripe (letterpress/payments): the secret key, the webhook's signing secret, the API's
    # address ("" for Stripe's own). No key: workshops with a price are paid by invoice.
    stripe_secret_key: Secret = field(default_factory=lambda: Secret(""))
    stripe_webhook_secret: Secret = field(default_factory=lambda: Secret(""))
    stripe_api_base: str = ""
    # Minutes a card payment's hold lasts; days an invoice's hold lasts; days before a workshop
    # its attendees are reminded.
    hold_minutes: int = 30
    invoice_hold_days: int = 7
    reminder_days: int = 7
    # Where every "now" of the inbox comes from (letterpress.clock; pinned in tests).
    clock: Clock = field(default=utc_now, repr=False, compare=False)
    # The vendors' settings by their environment names, for the mailing backend (Mailchimp).
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def seat_hold(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.seat_hold_minutes)

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock = utc_now) -> "InboxConfig":
        """The inbox's part of the one set of settings (letterpress/settings.py)."""
        if settings.smtp_url.get_secret_value():
            if not settings.secret.get_secret_value():
                raise ConfigError(
                    f"smtp_url is set, so set secret too ({variable('secret')}, or "
                    f"{variable('secret')}_FILE naming a file): a long random string that signs "
                    "the links in the e-mail the inbox sends."
                )
            if not settings.mail_from:
                raise ConfigError(
                    f"smtp_url is set, so set mail_from too ({variable('mail_from')}): the "
                    "address the inbox's e-mail comes from (for example: Miriam Okafor "
                    "<notes@example.org>)."
                )
        if settings.stripe_secret_key.get_secret_value() and not (
            settings.stripe_webhook_secret.get_secret_value()
        ):
            raise ConfigError(
                "stripe_secret_key is set, so set stripe_webhook_secret too "
                "(STRIPE_WEBHOOK_SECRET, or STRIPE_WEBHOOK_SECRET_FILE naming a file): the "
                "signing secret (whsec_...) Stripe shows for the endpoint "
                "<inbox_url>/payments/stripe/webhook. Without it no payment could be confirmed."
            )
        return cls(
            db_path=settings.inbox_db,
            **_manifest_source(settings),
            admin_token=Secret(settings.admin_token.get_secret_value()),
            admin_passphrase=Secret(settings.admin_passphrase.get_secret_value()),
            admin_session_hours=settings.admin_session_hours,
            allowed_origin=settings.allowed_origin,
            site_url=settings.site_url,
            akismet_key=Secret(settings.akismet_key.get_secret_value()),
            akismet_url=settings.akismet_api_base.rstrip("/"),
            comment_rate=settings.comment_rate,
            comment_rate_window=settings.comment_rate_window,
            signup_rate=settings.signup_rate,
            registration_rate=settings.registration_rate,
            seat_hold_minutes=settings.seat_hold_minutes,
            ipv6_prefix=settings.ipv6_prefix,
            header_timeout=settings.header_timeout,
            body_timeout=settings.body_timeout,
            keep_alive_timeout=settings.keep_alive_timeout,
            shutdown_timeout=settings.shutdown_timeout,
            build_path=settings.build_dir,
            smtp_url=Secret(settings.smtp_url.get_secret_value()),
            mail_from=settings.mail_from_or_default,
            secret=Secret(settings.secret.get_secret_value()),
            inbox_url=settings.public_inbox_url,
            author_email=settings.author_email.strip(),
            author_notices=settings.author_notices,
            notify_delay=settings.notify_delay,
            retention_days=settings.retention_days,
            stripe_secret_key=Secret(settings.stripe_secret_key.get_secret_value()),
            stripe_webhook_secret=Secret(settings.stripe_webhook_secret.get_secret_value()),
            stripe_api_base=settings.stripe_api_base.rstrip("/"),
            hold_minutes=settings.hold_minutes,
            invoice_hold_days=settings.invoice_hold_days,
            reminder_days=settings.reminder_days,
            clock=clock,
            environ=settings.vendor_environ(),
        )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> "InboxConfig":
        """The settings in force under `environ` (the settings file, then these variables);
        ConfigError naming a bad one."""
        try:
            clock = now_for_tests_or_real(environ)
            return cls.from_settings(load_settings(environ), clock)
        except BadBuildDate as error:
            raise ConfigError(str(error)) from None
        except SettingsError as error:
            raise ConfigError(str(error)) from None


def _manifest_source(settings: Settings) -> dict:
    """Where the manifest comes from: a file, or the published site's address (then a copy is
    kept in site_cache, by default the folder `site` beside the database)."""
    if not settings.manifest_is_fetched:
        return {"manifest_path": Path(settings.site_manifest)}
    cache = Path(settings.site_cache) if settings.site_cache else settings.inbox_db.parent / "site"
    return {
        "manifest_path": cache / FILENAME,
        "manifest_url": settings.site_manifest,
        "manifest_refresh": float(settings.manifest_refresh),
        "manifest_stale_after": float(settings.manifest_stale_after),
    }
