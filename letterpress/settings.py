"""One set of settings for the inbox, every task and the site's build.

They are read from `letterpress.toml` at the repository's root (or the file LETTERPRESS_SETTINGS
names, e.g. /etc/letterpress/letterpress.toml on a server); an environment variable overrides the
file's value; and a secret may also come from a file named by `<VARIABLE>_FILE` (Docker secrets,
systemd credentials), so it never has to sit in a settings file or a process listing.

Our own keys are LETTERPRESS_<KEY> in the environment; a vendor's keep the names its own tools use
(AKISMET_KEY, MAILCHIMP_API_KEY, ...). `explain()` says where each value came from, for
`invoke doctor`. Secrets are `SecretStr`: they print as stars in a repr, a log or a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from letterpress.errors import LetterpressError
from letterpress.paths import DEFAULT_BUILD_DIR
from letterpress.privacy import RETENTION_DAYS

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE = "letterpress.toml"
SETTINGS_FILE_VARIABLE = "LETTERPRESS_SETTINGS"
PREFIX = "LETTERPRESS_"
FILE_SUFFIX = "_FILE"
SMTP_SCHEMES = ("smtp", "smtps")
DEV_INBOX_URL = "http://127.0.0.1:8001"
AKISMET_API_BASE = "https://rest.akismet.com/1.1"
# Settings known in the environment by the vendor's own names (STRIPE_SECRET_KEY, ...).
VENDOR_PREFIXES = ("mailchimp_", "akismet_", "stripe_")


class SettingsError(LetterpressError, ValueError):
    """A setting holds a value Letterpress cannot use; the message names it and where it was set."""


def _vendor(name: str) -> Any:
    """A vendor's key, known in the environment by its own name (AKISMET_KEY), not LETTERPRESS_."""
    return AliasChoices(name)


class Settings(BaseSettings):
    """Every setting the inbox and the tasks read. The TOML keys are these field names."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX,
        extra="forbid",
        validate_by_name=True,
        env_ignore_empty=True,
        frozen=True,
    )

    # == Where things are ==
    # The published site's address (https://...): production builds' SITEURL, where the inbox's
    # answers send a reader back to, and the origin its forms may be posted from.
    site_url: str = Field(
        "", validation_alias=AliasChoices("site_url", "letterpress_site_url", "SITEURL")
    )
    # The deployed inbox's public address: the production build's forms post there, e-mail links
    # point there, and with `remote` the tasks call its admin API there.
    inbox_url: str = ""
    # Where `make serve` runs the inbox on this machine; development builds' forms post there.
    dev_inbox_url: str = DEV_INBOX_URL
    # True: moderation, people and workshop tasks act on the inbox at inbox_url (admin API);
    # false: on the database file inbox_db on this machine.
    remote: bool = False
    inbox_db: Path = Path("var/inbox.sqlite3")
    # The built site's manifest the inbox reads: a file, or the published site's URL of it.
    site_manifest: str = "output/letterpress.json"
    # With a URL: the folder keeping the inbox's copy of the site's files ("": site/ beside
    # inbox_db), seconds between refreshes, and seconds without a good answer before it is stale.
    site_cache: str = ""
    manifest_refresh: int = Field(60, ge=1)
    manifest_stale_after: int = Field(600, ge=1)
    # Built artefacts that are not the site: newsletter e-mail parts, the local outbox, the cache.
    build_dir: Path = Path(DEFAULT_BUILD_DIR)
    # The site's origin that may call the inbox from scripts (CORS); default: site_url's origin.
    allowed_origin: str = ""

    # == Secrets ==
    # The bearer token of the admin API (and the moderation page).
    admin_token: SecretStr = SecretStr("")
    # Signs unsubscribe and confirmation links; without it, one kept in the inbox's database.
    secret: SecretStr = SecretStr("")
    # What the author may type to sign in to the moderation page (/admin) besides admin_token.
    admin_passphrase: SecretStr = SecretStr("")
    # How long a moderation page sign-in lasts, in hours.
    admin_session_hours: int = Field(12, ge=1)

    # == E-mail the inbox sends (reply notifications, notices, confirmations) ==
    # smtp[s]://user:password@host:port; unset: .eml files in build_dir/outbox/notifications/.
    smtp_url: SecretStr = SecretStr("")
    mail_from: str = ""
    # Who gets a short notice of each new comment and registration ("" or notices off: nobody).
    author_email: str = ""
    author_notices: bool = True
    # Seconds the sender waits after something is queued, so a burst goes out as one batch.
    notify_delay: float = Field(10.0, ge=0, le=3600)

    # == Limits (0 turns a rate off) ==
    comment_rate: int = Field(5, ge=0)
    comment_rate_window: int = Field(60, ge=0)
    signup_rate: int = Field(5, ge=0)
    registration_rate: int = Field(5, ge=0)
    # Minutes a registration holds its seats until the person confirms with the e-mailed link;
    # unconfirmed, the seats then go to the waiting list in order.
    seat_hold_minutes: int = Field(30, ge=1, le=7 * 24 * 60)
    # Sender networks counted together for IPv6 limits: one /48 is one site's allocation.
    ipv6_prefix: int = Field(48, ge=32, le=128)
    header_timeout: int = Field(10, ge=1)
    body_timeout: int = Field(20, ge=1)
    keep_alive_timeout: int = Field(5, ge=1)
    shutdown_timeout: int = Field(10, ge=1)
    retention_days: int = Field(RETENTION_DAYS, ge=1)

    # == Backups of the inbox's database (docs/backups.md) ==
    # Where Litestream replicates to (s3://bucket/path), the S3-compatible service's address
    # ("" for Amazon S3) and region, and a key for that bucket only.
    backup_replica_url: str = ""
    backup_endpoint: str = ""
    backup_region: str = ""
    backup_access_key_id: SecretStr = SecretStr("")
    backup_secret_access_key: SecretStr = SecretStr("")
    # Where `invoke inbox.backup` writes snapshot files ("": backups/ beside inbox_db).
    backup_dir: str = ""

    # == Vendors ==
    akismet_key: SecretStr = Field(SecretStr(""), validation_alias=_vendor("akismet_key"))
    akismet_api_base: str = Field(AKISMET_API_BASE, validation_alias=_vendor("akismet_api_base"))
    mailchimp_api_key: SecretStr = Field(
        SecretStr(""), validation_alias=_vendor("mailchimp_api_key")
    )
    mailchimp_list_id: str = Field("", validation_alias=_vendor("mailchimp_list_id"))
    mailchimp_server: str = Field("", validation_alias=_vendor("mailchimp_server"))
    mailchimp_api_base: str = Field("", validation_alias=_vendor("mailchimp_api_base"))
    mailchimp_timeout: str = Field("", validation_alias=_vendor("mailchimp_timeout"))
    # Mailchimp's hosted sign-up form: the e-mail form posts there when no inbox is deployed.
    mailchimp_signup_url: str = Field("", validation_alias=_vendor("mailchimp_signup_url"))
    # Stripe's secret API key (sk_live_..., sk_test_...): with it, registering for a workshop
    # with a price holds the seats and sends the person to Stripe Checkout (docs/workshops.md).
    stripe_secret_key: SecretStr = Field(
        SecretStr(""), validation_alias=_vendor("stripe_secret_key")
    )
    # The signing secret (whsec_...) of the webhook endpoint <inbox_url>/payments/stripe/webhook.
    stripe_webhook_secret: SecretStr = Field(
        SecretStr(""), validation_alias=_vendor("stripe_webhook_secret")
    )
    # Stripe's API address (tests point it at a local server).
    stripe_api_base: str = Field("", validation_alias=_vendor("stripe_api_base"))

    # == Workshops: holds, payment, reminders ==
    # Minutes a registration holds its seats while the person pays by card (Stripe's shortest
    # Checkout Session is 30 minutes); unpaid, the seats go to the waiting list.
    hold_minutes: int = Field(30, ge=30, le=1440)
    # Days a registration paying by invoice or bank transfer holds its seats, until the author
    # records the payment (invoke workshops.paid); a reminder goes out a day before the end.
    invoice_hold_days: int = Field(7, ge=2, le=90)
    # Days before a workshop its attendees get a reminder (0: no reminder).
    reminder_days: int = Field(7, ge=0, le=60)

    # == Publishing ==
    # `invoke publish` copies the site here with rsync (a path or host:path).
    publish_target: str = ""
    pages_branch: str = "gh-pages"

    @field_validator("site_url", "inbox_url", "dev_inbox_url", "allowed_origin")
    @classmethod
    def _address(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("must be an http:// or https:// address")
        return value

    @field_validator("site_manifest")
    @classmethod
    def _manifest(cls, value: str) -> str:
        value = value.strip()
        if "://" in value and (
            urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).hostname
        ):
            raise ValueError(
                "give a file (output/letterpress.json) or the published manifest's address "
                "(https://example.org/letterpress.json)"
            )
        return value

    @field_validator("backup_replica_url")
    @classmethod
    def _replica(cls, value: str) -> str:
        value = value.strip()
        if value and not (value.startswith("s3://") and urlsplit(value).hostname):
            raise ValueError("must look like s3://BUCKET/PATH")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp(cls, value: SecretStr) -> SecretStr:
        url = value.get_secret_value().strip()
        if url and (url.partition("://")[0].lower() not in SMTP_SCHEMES or "://" not in url):
            raise ValueError(
                "must look like smtp://user:password@host:587 (or smtps:// for TLS from the start)"
            )
        return SecretStr(url)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Order is priority: values given in code, the environment, secret files, the TOML file.
        # The sources are made by `load_settings`, which knows the environment and the file.
        return (init_settings,)

    # -- what the rest of the code asks --

    @property
    def mail_from_or_default(self) -> str:
        return self.mail_from or "Letterpress <letterpress@localhost>"

    @property
    def manifest_is_fetched(self) -> bool:
        """Whether the manifest comes from the published site (an address), not a file."""
        return "://" in self.site_manifest

    @property
    def public_inbox_url(self) -> str:
        """Where links in e-mail reach the inbox: the deployed one, else the local one."""
        return self.inbox_url or self.dev_inbox_url

    def vendor_environ(self) -> dict[str, str]:
        """The vendors' settings under their environment names, for the mailing backends (which
        take a mapping so they can be used without Letterpress's settings)."""
        values = {}
        for name, field in type(self).model_fields.items():
            if field.validation_alias is not None and name.startswith(("mailchimp_", "akismet_")):
                value = getattr(self, name)
                values[name.upper()] = (
                    value.get_secret_value() if isinstance(value, SecretStr) else str(value)
                )
        values["LETTERPRESS_BUILD_DIR"] = str(self.build_dir)
        return values


SECRET_FIELDS = tuple(
    name for name, field in Settings.model_fields.items() if field.annotation is SecretStr
)


def variable(name: str) -> str:
    """The environment variable that sets the field `name`."""
    field = Settings.model_fields[name]
    if isinstance(field.validation_alias, AliasChoices) and name.startswith(VENDOR_PREFIXES):
        return name.upper()
    return PREFIX + name.upper()


class _EnvironmentSource(EnvSettingsSource):
    """The environment given to `load_settings` (tests and tasks hand one in), not always
    os.environ; pydantic-settings reads os.environ in `_load_env_vars`, so that is the one
    method changed."""

    def __init__(self, settings_cls, environ: Mapping[str, str]):
        self._given = environ
        super().__init__(settings_cls)

    def _load_env_vars(self):
        return {key.lower(): value for key, value in self._given.items()}


class _SecretFilesSource(PydanticBaseSettingsSource):
    """A secret from the file `<VARIABLE>_FILE` names (its last newline dropped)."""

    def __init__(self, settings_cls, environ: Mapping[str, str]):
        super().__init__(settings_cls)
        self.environ = environ

    def get_field_value(self, field, field_name):  # required by the base class; unused
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        found = {}
        for name in SECRET_FIELDS:
            pointer = variable(name) + FILE_SUFFIX
            path = self.environ.get(pointer, "").strip()
            if not path:
                continue
            try:
                found[name] = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
            except OSError as error:
                raise SettingsError(
                    f"{pointer}={path}: the file cannot be read ({error.strerror}); "
                    "give the path of a file holding only the secret."
                ) from None
        return found


class _TomlSource(TomlConfigSettingsSource):
    """The settings file; its syntax errors (tomllib names line and column) become sentences."""

    def __init__(self, settings_cls, path: Path | None):
        self.path = path
        try:
            super().__init__(settings_cls, toml_file=path)
        except ValueError as error:  # tomllib.TOMLDecodeError
            raise SettingsError(f"{path}: {error}. Fix the file, or remove it.") from None
        except OSError as error:
            raise SettingsError(f"{path} cannot be read ({error.strerror}).") from None


@dataclass(frozen=True)
class Origin:
    """Where a setting's value came from, for `invoke doctor`."""

    name: str
    shown: str
    source: str


def settings_file(environ: Mapping[str, str] = os.environ, root: Path = ROOT) -> Path | None:
    """The settings file in force: LETTERPRESS_SETTINGS, else letterpress.toml at the root."""
    named = environ.get(SETTINGS_FILE_VARIABLE, "").strip()
    if named:
        path = Path(named)
        if not path.is_file():
            raise SettingsError(
                f"{SETTINGS_FILE_VARIABLE}={named}: there is no such file; "
                f"unset it to use {root / SETTINGS_FILE}, or give the right path."
            )
        return path
    path = root / SETTINGS_FILE
    return path if path.is_file() else None


def _sources(environ: Mapping[str, str], root: Path):
    path = settings_file(environ, root)
    return [
        ("the environment", _EnvironmentSource(Settings, environ)),
        ("a secret file", _SecretFilesSource(Settings, environ)),
        (str(path), _TomlSource(Settings, path)),
    ]


def _read(environ: Mapping[str, str], root: Path) -> tuple[dict, dict[str, str], list]:
    """The merged raw values, the source of each, and the sources in priority order."""
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    sources = _sources(environ, root)
    for label, source in reversed(sources):
        for key, value in source().items():
            name = _field_name(key)
            values[name] = value
            origin[name] = label
            if label == "the environment":
                origin[name] = f"{_variable_set(name, environ)} in the environment"
    return values, origin, sources


def _variable_set(name: str, environ: Mapping[str, str]) -> str:
    """The variable that set `name` (SITEURL or LETTERPRESS_SITE_URL, say), as the user wrote it."""
    field = Settings.model_fields[name]
    names = [variable(name)]
    if isinstance(field.validation_alias, AliasChoices):
        names += [str(choice) for choice in field.validation_alias.choices]
    given = {key.lower(): key for key in environ if environ[key]}
    for candidate in names:
        if candidate.lower() in given:
            return given[candidate.lower()]
    return variable(name)


def _field_name(key: str) -> str:
    key = key.lower()
    if key in Settings.model_fields:
        return key
    for name, field in Settings.model_fields.items():
        if isinstance(field.validation_alias, AliasChoices) and key in [
            str(choice).lower() for choice in field.validation_alias.choices
        ]:
            return name
    return key


def load_settings(environ: Mapping[str, str] = os.environ, root: Path = ROOT) -> Settings:
    """The settings in force; SettingsError naming the key, its source and what is wrong."""
    return _load(environ, root)[0]


def _load(environ: Mapping[str, str], root: Path) -> tuple[Settings, dict[str, str]]:
    """The settings and where each value came from, the sources read once."""
    values, origin, _ = _read(environ, root)
    try:
        return Settings(**values), origin
    except ValidationError as error:
        raise SettingsError(_sentence(error, origin)) from None


def _sentence(error: ValidationError, origin: Mapping[str, str]) -> str:
    problems = []
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else "?"
        if problem["type"] == "extra_forbidden":
            problems.append(
                f"{name} (in {origin.get(name, 'the settings')}) is not a setting Letterpress "
                "knows: check its spelling against docs/settings.md."
            )
            continue
        where = origin.get(name, "the settings")
        if where.endswith(" in the environment"):
            pass
        elif where == "a secret file":
            where = f"the file {variable(name)}{FILE_SUFFIX} names"
        else:
            where = f"'{name}' in {where}"
        message = problem["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {message}.")
    return " ".join(problems)


def explain(environ: Mapping[str, str] = os.environ, root: Path = ROOT) -> list[Origin]:
    """Every setting, its value as shown (secrets masked) and where it came from."""
    settings, origin = _load(environ, root)
    shown = []
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            text = "(set, hidden)" if value.get_secret_value() else "(not set)"
        else:
            text = str(value) if value not in ("", None) else "(empty)"
        source = origin.get(name, "default")
        if source.endswith(" in the environment"):
            source = f"environment ({source.removesuffix(' in the environment')})"
        elif source == "a secret file":
            source = f"file named by {variable(name)}{FILE_SUFFIX}"
        shown.append(Origin(name, text, source))
    return shown
