"""The inbox being moderated from the terminal: a local database file or a deployed inbox, with
the same few calls (pending, get, decide, notify_reply, approved_for_files, mark_written) on each.

`LocalInbox` opens the SQLite file beside a running server (WAL lets both work at once);
`RemoteInbox` calls the moderation API with the admin token. Both return plain dicts.

Approving a reply queues the e-mail to the writer of the comment it answers (when they asked for
one) inside the inbox, in both cases. A deployed inbox sends it within a second; `LocalInbox`
sends what is queued itself, at once, so approving on a machine without a running server
notifies too (a server running beside it never sends the same e-mail again).
"""

import logging
from collections.abc import Mapping
from urllib.parse import quote

from letterpress.errors import LetterpressError
from letterpress.inbox.comment_decisions import decide
from letterpress.inbox.comment_store import comments_with_status, get_comment, public_fields
from letterpress.inbox.config import InboxConfig
from letterpress.inbox.db import transaction
from letterpress.inbox.errors import NotFound
from letterpress.inbox.local import Inbox, NoInboxDatabase
from letterpress.inbox.publication_store import approved_records, mark_written
from letterpress.notify import queueing
from letterpress.notify.sending import Report, delivery, send_queue
from letterpress.notify.store import queued
from letterpress.notify.transport import Transport

from .admin_client import AdminClient, AdminError
from .errors import ModerationError

log = logging.getLogger(__name__)


class LocalInbox:
    """The database file `config.db_path` on this machine (letterpress.inbox.local.Inbox);
    e-mail sent with `config`'s SMTP, secret and addresses (the same settings file the inbox
    reads)."""

    def __init__(self, config: InboxConfig):
        try:
            self.inbox = Inbox.open(config)
        except NoInboxDatabase as error:
            raise ModerationError(str(error)) from None
        self.config = config
        self.db = self.inbox.db
        self.clock = config.clock

    def pending(self) -> list[dict]:
        return [public_fields(row) for row in comments_with_status(self.db, "pending")]

    def get(self, comment_id: str) -> dict:
        row = get_comment(self.db, comment_id)
        if row is None:
            raise NotFound(f"There is no comment {comment_id} in the inbox.")
        return public_fields(row)

    def decide(self, comment_id: str, decision: str) -> dict:
        decided = public_fields(decide(self.db, comment_id, decision, self.clock()))
        if decision == "approve":
            self.send_queued()
        return decided

    def approved_for_files(self) -> list[dict]:
        """Every approved comment and author reply, with what its file needs (no e-mail)."""
        return approved_records(self.db)

    def mark_written(self, ids: list[str]) -> int:
        """Record that a pull found or wrote these files (for the moderation page)."""
        return mark_written(self.db, ids, self.clock())

    def notify_reply(self, reply: Mapping) -> str:
        """Tell the writer of the comment `reply` answers (when they opted in): for the
        author's replies, written straight into content/comments/. `reply`: id, essay, parent,
        author, body. What happened to the e-mail (sending.delivery), "" when none was due
        (never twice for one reply)."""
        with transaction(self.db):
            done = queueing.author_replied(self.db, reply, self.clock(), self.config.author_email)
        if not done:
            return ""
        transport = self.inbox.transport()
        return delivery(self.send_queued(transport), transport.name) or "queued"

    def send_queued(self, transport: Transport | None = None) -> Report:
        """Send what the inbox has queued and due (a message waiting out its back-off after a
        failure is left for later); a failure leaves it queued, with a warning naming
        `invoke notifications.send`, which tries again."""
        report = Report()
        if not queued(self.db):
            return report
        try:
            head = self.inbox.letterhead()
            report = send_queue(self.db, transport or self.inbox.transport(), head, self.clock)
        except LetterpressError as error:
            log.warning("Queued e-mail not sent (%s); run `invoke notifications.send`.", error)
        for item, why in report.failed:
            ids = ", ".join(map(str, item.job_ids))
            log.warning("The %s e-mail (notification %s) is not sent: %s", item.kind, ids, why)
        return report

    def close(self) -> None:
        self.inbox.close()


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

    def approved_for_files(self) -> list[dict]:
        """The approved comments the deployed site does not show yet, with what a file needs."""
        return self._call("GET", "/approved-comments")["comments"]

    def mark_written(self, ids: list[str]) -> int:
        if not ids:
            return 0
        try:
            answer = self.client.call(
                "POST", "/approved-comments/written", json={"ids": " ".join(ids)}
            )
        except AdminError as error:
            raise ModerationError(str(error)) from None
        return int(answer.get("marked", 0))

    def notify_reply(self, reply: Mapping) -> str:
        """The deployed inbox queues and sends the e-mail with its own SMTP, secret and
        addresses, and answers what happened."""
        fields = {key: reply[key] for key in ("id", "essay", "parent", "author", "body")}
        try:
            answer = self.client.call("POST", "/notifications/replies", json=fields)
        except AdminError as error:
            raise ModerationError(str(error)) from None
        if not answer.get("queued"):
            return ""
        return str(answer.get("delivery") or "queued")

    def close(self) -> None:
        self.client.close()
