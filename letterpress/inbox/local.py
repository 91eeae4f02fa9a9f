"""The inbox on this machine, as the tasks and the terminal's moderation act on it: the database
file opened with its whole schema (`open_inbox`), with the configuration it was opened with and
what that configuration gives (the letterhead and transport for e-mail, the mailing backend, the
manifest).

The server does not use it: it keeps its one writer connection in its lifespan (app.py).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from letterpress.errors import LetterpressError
from letterpress.mailing import MailingBackend, backend_from_env
from letterpress.manifest import Manifest, ManifestError, read_manifest
from letterpress.notify.messages import Letterhead
from letterpress.notify.transport import Transport

from .config import InboxConfig
from .outgoing_mail import letterhead, transport_for
from .schema import open_inbox


class NoInboxDatabase(LetterpressError):
    """The settings name a database file that does not exist (a task never creates one)."""


@dataclass
class Inbox:
    config: InboxConfig
    db: sqlite3.Connection

    @classmethod
    def open(cls, config: InboxConfig, *, remote_hint: bool = True) -> Inbox:
        """The database `config.db_path`, which must exist; NoInboxDatabase naming it (and,
        with `remote_hint`, the setting that acts on the deployed inbox instead) otherwise."""
        path = Path(config.db_path)
        if not path.exists():
            remote = (
                ", or remote = true (with inbox_url) to act on the deployed inbox"
                if remote_hint
                else ""
            )
            raise NoInboxDatabase(
                f"No inbox database at {path}: set inbox_db in the settings{remote}."
            )
        return cls(config, open_inbox(path))

    def __enter__(self) -> Inbox:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def manifest(self) -> Manifest | None:
        """The built site's manifest, or None when it cannot be read."""
        try:
            return read_manifest(self.config.manifest_path)
        except ManifestError:
            return None

    def letterhead(self, manifest: Manifest | None = None) -> Letterhead:
        return letterhead(self.config, self.db, manifest)

    def transport(self) -> Transport:
        return transport_for(self.config)

    def mailing(self) -> MailingBackend:
        """The mailing backend the settings choose (outbox unless Mailchimp keys are set)."""
        return backend_from_env(self.config.environ, self.config.build_path)
