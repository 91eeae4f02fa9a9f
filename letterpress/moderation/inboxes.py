"""The inbox being moderated from the terminal: a local database file or a deployed inbox, with
the same few calls (pending, get, decide) on each.

`LocalInbox` opens the SQLite file beside a running server (WAL lets both work at once);
`RemoteInbox` calls the moderation API with the admin token. Both return plain dicts.
"""

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from letterpress.clock import now_for_tests_or_real
from letterpress.errors import LetterpressError
from letterpress.inbox.comment_decisions import decide
from letterpress.inbox.comment_store import (
    SCHEMA,
    comments_with_status,
    get_comment,
    public_fields,
)
from letterpress.inbox.db import open_database
from letterpress.inbox.errors import NotFound

from .admin_client import AdminClient, AdminError


class ModerationError(LetterpressError):
    """The inbox to moderate cannot be opened or reached, or refused a decision."""


class LocalInbox:
    def __init__(self, db_path: Path, environ: Mapping[str, str] = os.environ):
        self.db_path = Path(db_path)
        if not self.db_path.exists():
            raise ModerationError(
                f"{self.db_path}: no inbox database here; set LETTERPRESS_INBOX_DB or use "
                "--remote URL for a deployed inbox."
            )
        self.db = open_database(self.db_path, [SCHEMA])
        self.clock = now_for_tests_or_real(environ)

    def pending(self) -> list[dict]:
        return [public_fields(row) for row in comments_with_status(self.db, "pending")]

    def get(self, comment_id: str) -> dict:
        row = get_comment(self.db, comment_id)
        if row is None:
            raise NotFound(f"There is no comment {comment_id} in the inbox.")
        return public_fields(row)

    def decide(self, comment_id: str, decision: str) -> dict:
        return public_fields(decide(self.db, comment_id, decision, self.clock()))

    def close(self) -> None:
        self.db.close()


class RemoteInbox:
    def __init__(self, url: str, token: str):
        try:
            self.client = AdminClient(url, token)
        except AdminError as error:
            raise ModerationError(str(error)) from None

    def _call(self, method: str, path: str) -> dict:
        try:
            return self.client.call(method, path)
        except AdminError as error:
            raise ModerationError(str(error)) from None

    def pending(self) -> list[dict]:
        return self._call("GET", "/comments/pending")["comments"]

    def get(self, comment_id: str) -> dict:
        return self._call("GET", f"/comments/{quote(comment_id, safe='')}")

    def decide(self, comment_id: str, decision: str) -> dict:
        return self._call("POST", f"/comments/{quote(comment_id, safe='')}/{decision}")

    def close(self) -> None:
        self.client.close()
