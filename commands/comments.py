"""Tasks for moderating comments: review the queue, approve or reject by Id.

Without --remote they work on the inbox database file (LETTERPRESS_INBOX_DB, default
var/inbox.sqlite3); with --remote URL they call that inbox's moderation API with the token in
LETTERPRESS_ADMIN_TOKEN. Approving writes content/comments/<essay>/<id>.md; --commit commits it.
"""

import os
import re
import shlex
from pathlib import Path

from invoke import Collection, Exit, task

from commands.site import read_site_settings

CONTENT = "content"


def _site_timezone() -> str:
    # Comment files carry dates in the site's time zone, like the essays.
    return read_site_settings()["TIMEZONE"]


def _open_inbox(remote: str | None):
    # Imported here: `invoke --list` and the build should not load HTTP and SQL clients.
    from letterpress.inbox.config import InboxConfig
    from letterpress.moderation.inboxes import LocalInbox, RemoteInbox

    if remote:
        return RemoteInbox(remote, os.environ.get("LETTERPRESS_ADMIN_TOKEN", ""))
    return LocalInbox(InboxConfig.from_environ().db_path)


def _ids(ids: str) -> list[str]:
    found = [i for i in re.split(r"[\s,]+", ids) if i]
    if not found:
        raise Exit("Give one or more comment Ids (see `invoke comments.review`).", code=2)
    return found


def _commit(c, paths: list[Path], comments: list[dict], content: str) -> None:
    """Commit only the new comment files, in the repository that holds the content folder."""
    if not paths:
        return
    names = ", ".join(sorted({f"{m['author']} on {m['essay']}" for m in comments}))
    message = f"Publish {len(paths)} approved comment{'s' if len(paths) != 1 else ''}: {names}"
    quoted = " ".join(shlex.quote(str(p.resolve())) for p in paths)
    git = f"git -C {shlex.quote(str(Path(content).resolve()))}"
    c.run(f"{git} add -- {quoted}")
    c.run(f"{git} commit --quiet -m {shlex.quote(message)} -- {quoted}")
    print(f"Committed: {message}")


def _decide_all(c, ids, decision, remote, content, commit) -> None:
    from letterpress.errors import LetterpressError
    from letterpress.moderation.publishing import approve_and_publish

    try:
        inbox = _open_inbox(remote)
    except LetterpressError as error:
        raise Exit(str(error), code=1) from None
    written, approved, failures = [], [], []
    try:
        for comment_id in _ids(ids):
            try:
                if decision == "approve":
                    comment, path = approve_and_publish(
                        inbox, comment_id, Path(content), _site_timezone()
                    )
                    written.append(path)
                    approved.append(comment)
                    print(f"Approved {comment_id}: wrote {path}")
                else:
                    comment = inbox.decide(comment_id, decision)
                    print(f"{comment['status'].capitalize()}: {comment_id}")
            except (LetterpressError, OSError) as error:
                failures.append(f"{comment_id}: {error}")
    finally:
        inbox.close()
    if commit:
        _commit(c, written, approved, content)
    if failures:
        raise Exit("Not done:\n" + "\n".join(failures), code=1)


@task(help={"ids": "comment Ids, separated by commas or spaces", "remote": "a deployed inbox URL"})
def approve(c, ids, remote=None, content=CONTENT, commit=False):
    """Approve comments by Id and write their files into content/comments/."""
    _decide_all(c, ids, "approve", remote, content, commit)


@task(help={"ids": "comment Ids, separated by commas or spaces", "remote": "a deployed inbox URL"})
def reject(c, ids, remote=None):
    """Reject comments by Id (they stay in the inbox database, never published)."""
    _decide_all(c, ids, "reject", remote, CONTENT, False)


@task(help={"ids": "comment Ids, separated by commas or spaces", "remote": "a deployed inbox URL"})
def spam(c, ids, remote=None):
    """Mark comments as spam by Id."""
    _decide_all(c, ids, "spam", remote, CONTENT, False)


@task(help={"remote": "a deployed inbox URL (token from LETTERPRESS_ADMIN_TOKEN)"})
def review(c, remote=None, content=CONTENT, commit=False):
    """Show each pending comment and approve, reject, mark as spam or skip it."""
    from letterpress.errors import LetterpressError
    from letterpress.moderation.review import review_queue

    try:
        inbox = _open_inbox(remote)
    except LetterpressError as error:
        raise Exit(str(error), code=1) from None
    try:
        approved, written = review_queue(inbox, Path(content), _site_timezone())
    except LetterpressError as error:  # the pending list itself could not be read
        raise Exit(str(error), code=1) from None
    finally:
        inbox.close()
    if commit:
        _commit(c, written, approved, content)


ns = Collection("comments", review, approve, reject, spam)
