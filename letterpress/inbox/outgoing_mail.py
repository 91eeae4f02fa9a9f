"""What the inbox hands the e-mail code (letterpress/notify): the letterhead and the transport,
worked out from its configuration. The e-mail code itself never reads the inbox's configuration:
it is given these two."""

from __future__ import annotations

import logging
import sqlite3

from letterpress.manifest import Manifest, ManifestError, read_manifest
from letterpress.notify import store
from letterpress.notify.messages import Letterhead
from letterpress.notify.transport import Transport, transport_from

from .config import InboxConfig

log = logging.getLogger(__name__)


def letterhead(
    config: InboxConfig, db: sqlite3.Connection, manifest: Manifest | None = None
) -> Letterhead:
    """The letterhead from the configuration; the manifest read from its file when not given
    (a missing manifest only costs the essay titles and the workshops' calendars)."""
    if manifest is None:
        try:
            manifest = read_manifest(config.manifest_path)
        except ManifestError as error:
            log.warning("e-mail without the site's titles: %s", error)
    site_url = config.site_url or (manifest.site_url if manifest else "") or config.inbox_url
    return Letterhead(
        site_url=site_url.rstrip("/"),
        inbox_url=config.inbox_url,
        mail_from=config.mail_from,
        secret=str(config.secret) or store.database_secret(db),
        essays=manifest.essays if manifest else {},
        workshops=manifest.workshops if manifest else {},
    )


def transport_for(config: InboxConfig) -> Transport:
    """SMTP when the configuration names a server, else the local outbox in the build folder."""
    return transport_from(str(config.smtp_url), config.build_path)
