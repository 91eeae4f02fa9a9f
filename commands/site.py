"""What every task needs to know about this repository: where it is, which settings files exist,
how settings are read, and how the site is built. Stated once; tasks.py and commands/ import it.

Settings are read through Pelican (`read_settings`), never `from pelicanconf import`, so a task run
with `--settings publishconf.py` sees the production overrides.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from invoke import Exit

if TYPE_CHECKING:
    from letterpress.clock import Clock
    from letterpress.inbox.config import InboxConfig
    from letterpress.inbox.local import Inbox

ROOT = Path(__file__).resolve().parents[1]
DEV_SETTINGS = "pelicanconf.py"
PUBLISH_SETTINGS = "publishconf.py"
OUTPUT = "output"


def read_site_settings(name: str = DEV_SETTINGS) -> dict:
    """The Pelican settings of the file `name` (relative to the repository), defaults applied."""
    from pelican.settings import read_settings

    path = under_root(name)
    if not path.is_file():
        raise Exit(f"No settings file {path}: use {DEV_SETTINGS} or {PUBLISH_SETTINGS}.", code=2)
    return read_settings(str(path))


def under_root(path: str | Path) -> Path:
    """A path from the settings or a flag, relative to the repository unless absolute."""
    path = Path(path)
    return path if path.is_absolute() else ROOT / path


def build_path(settings: dict) -> Path:
    """BUILD_PATH: built artefacts that are not the site (newsletter e-mail parts, the outbox)."""
    from letterpress import paths

    return under_root(paths.build_path(settings))


def ledger_path(settings: dict) -> Path:
    """The committed newsletter ledger: MAILING_LEDGER from the site settings, or the file
    $LETTERPRESS_LEDGER names (tests keep theirs out of the repository)."""
    override = os.environ.get("LETTERPRESS_LEDGER", "").strip()
    return under_root(override or settings.get("MAILING_LEDGER") or "newsletter-ledger.json")


def task_clock() -> Clock:
    """The clock a task reads "now" from: the real time, or the day tests pin
    (LETTERPRESS_TODAY, read by letterpress.clock)."""
    from letterpress.clock import now_for_tests_or_real

    return now_for_tests_or_real(os.environ)


def site_url(settings: dict) -> str:
    """The site's canonical address: e-mail links and the pre-flight's internal links use it."""
    from letterpress.seo import canonical_base_from

    return canonical_base_from(settings)


def inbox_address(settings: dict) -> tuple[str, int]:
    """Host and port of INBOX_URL, where the built forms post and `make serve` runs the inbox."""
    address = urlsplit(settings["INBOX_URL"])
    if not address.hostname or not address.port:
        raise Exit(
            f"INBOX_URL {settings['INBOX_URL']!r} names no host and port "
            "(e.g. http://127.0.0.1:8001): set it in pelicanconf.py or the environment.",
            code=2,
        )
    return address.hostname, address.port


def run_pelican(c, settings: str, output: str, content: str = "content", *extra: str) -> None:
    """Pelican as `make build` runs it: every warning fails the build."""
    args = [sys.executable, "-m", "pelican", content, "-s", settings, "-o", output]
    args += ["--fatal", "warnings", "--log-handler", "plain", *extra]
    with c.cd(str(ROOT)):
        result = c.run(shlex.join(args), warn=True, pty=False)
    if result.failed:
        raise Exit("The build failed: the message above says what to fix and where.", code=1)


def build_site(c, settings: str, output: str, content: str, search: bool = True) -> None:
    """The whole build: Pelican, then the search index."""
    # The search plugin runs Pagefind while Pelican writes the pages other than essays.
    run_pelican(c, settings, output, content, "-e", f"SEARCH_INDEX={'true' if search else 'false'}")
    print(f"Built the site into {under_root(output).resolve()}")


HELP_FLAGS = ("--help", "-h")


def answer_help_before_positionals() -> None:
    """Make `invoke TASK --help` show the task's help when TASK takes positional arguments.

    Invoke's parser hands `--help` to a positional argument still waiting for a value, so
    `invoke comments.approve --help` looked for a comment named "--help", and a task with two
    positional arguments failed for want of the second. The parser is patched (tasks.py loads
    before invoke parses the task's arguments) to take a help flag there as invoke's own
    `--help TASK`: it prints the task's help and runs nothing.
    """
    from invoke.parser.parser import ParseMachine

    if getattr(ParseMachine.handle, "answers_help", False):
        return
    original = ParseMachine.handle

    def handle(self, token: str) -> None:
        waiting = self.context.missing_positional_args if self.context else ()
        if token in HELP_FLAGS and waiting and self.initial and token in self.initial.flags:
            self.initial.flags[token].value = self.context.name
            for argument in waiting:
                argument.value = token  # never used: invoke prints the help and stops
            return
        original(self, token)

    vars(handle)["answers_help"] = True  # the mark read above: patched once only
    # Replacing a method of invoke's parser is the point of this function (see its docstring).
    ParseMachine.handle = handle  # type: ignore[method-assign]


def letterpress_settings():
    """The one set of settings (letterpress.toml, the environment over it); Exit names a bad one."""
    from letterpress.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as error:
        raise Exit(f"Settings: {error}", code=2) from None


def inbox_config() -> InboxConfig:
    """The inbox's part of the settings, as the inbox itself reads it: Exit naming a bad value."""
    from letterpress.inbox.config import ConfigError, InboxConfig

    try:
        return InboxConfig.from_environ()
    except ConfigError as error:
        raise Exit(f"Settings: {error}", code=2) from None


def local_inbox(config: InboxConfig | None = None, *, remote_hint: bool = True) -> Inbox:
    """The inbox database on this machine (`config`'s or the settings' inbox_db), opened with
    its whole schema (letterpress.inbox.local.Inbox); Exit
    naming the file when there is none (and, with `remote_hint`, the setting that acts on the
    deployed inbox instead). Close it, or use it in a `with` block."""
    from letterpress.inbox.db import StorageError
    from letterpress.inbox.local import Inbox, NoInboxDatabase

    try:
        return Inbox.open(config or inbox_config(), remote_hint=remote_hint)
    except (NoInboxDatabase, StorageError) as error:
        raise Exit(str(error), code=2) from None


def deployed_inbox(remote: str | None = None) -> tuple[str, str] | None:
    """(URL, admin token) of the inbox a task acts on through its API, or None for the database
    file on this machine. `remote = true` in the settings chooses inbox_url; a task's --remote
    URL still names another inbox for one run."""
    settings = letterpress_settings()
    url = remote or (settings.inbox_url if settings.remote else "")
    if settings.remote and not url:
        raise Exit(
            "Settings: remote is true but inbox_url is empty: set inbox_url to the deployed "
            "inbox's address (https://...), or set remote = false to use this machine's database.",
            code=2,
        )
    if not url:
        return None
    token = settings.admin_token.get_secret_value()
    if not token:
        raise Exit(
            f"Settings: acting on the inbox at {url} needs its admin token: set admin_token "
            "(LETTERPRESS_ADMIN_TOKEN, or LETTERPRESS_ADMIN_TOKEN_FILE naming a file).",
            code=2,
        )
    return url, token
