"""Moderating from the terminal: the same three decisions on a local database file or a
deployed inbox, and approved comments written into content/comments/.

`LocalInbox` opens the SQLite file beside a running server (WAL lets both work at once);
`RemoteInbox` calls the moderation API with the admin token. Both return plain dicts.
"""

import os
from collections.abc import Mapping
from pathlib import Path

from letterpress.clock import now_for_tests_or_real
from letterpress.comments import write_comment
from letterpress.errors import LetterpressError
from letterpress.inbox.comment_decisions import decide
from letterpress.inbox.comment_store import (
    SCHEMA,
    as_comment,
    comments_with_status,
    public_fields,
)
from letterpress.inbox.db import open_database

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

    def decide(self, comment_id: str, decision: str) -> dict:
        return self._call("POST", f"/comments/{comment_id}/{decision}")

    def close(self) -> None:
        self.client.close()


def publish(comment: dict, content_dir: Path, timezone: str) -> Path:
    """Write an approved comment's file (no e-mail, no network) and return its path."""
    if comment["status"] != "approved":
        raise ModerationError(f"Comment {comment['id']} is {comment['status']}, not approved.")
    return write_comment(content_dir, as_comment(comment, timezone))
