"""Tasks for moderating comments: review the queue, approve or reject by Id, reply as the author.

They act where the settings say (letterpress.toml; docs/settings.md): on the database file inbox_db
on this machine, or, with remote = true, on the deployed inbox at inbox_url through its moderation
API with admin_token (--remote URL names another inbox for one run). Approving writes
content/comments/<essay>/<id>.md, and so does a reply (with Role: author, the name from AUTHOR);
--commit commits what was written. `comments.pull` writes the files of comments approved
elsewhere (the moderation page, the API) that the content folder lacks, as the publish workflow
does on a schedule.
"""

import os
import re
import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from invoke import Collection, Exit, task

from commands.site import deployed_inbox, inbox_config, read_site_settings, task_clock

CONTENT = "content"
REMOTE_HELP = "another deployed inbox's URL, for this run (default: the settings)"
# The flags approve, reject and spam share.
DECISION_HELP = {"ids": "comment Ids, separated by commas or spaces", "remote": REMOTE_HELP}


def _site_timezone() -> str:
    # Comment files carry dates in the site's time zone, like the essays.
    return read_site_settings()["TIMEZONE"]


def _replier():
    """The author answering: AUTHOR and TIMEZONE from the site settings, the editor from
    $VISUAL or $EDITOR, "now" from the clock tests pin (LETTERPRESS_TODAY)."""
    from letterpress.moderation.reply_editor import editor_command
    from letterpress.moderation.review import Replier

    settings = read_site_settings()
    return Replier(
        author=settings.get("AUTHOR") or "",
        timezone=settings["TIMEZONE"],
        clock=task_clock(),
        editor=editor_command(os.environ),
    )


def _open_inbox(remote: str | None):
    # Imported here: `invoke --list` and the build should not load HTTP and SQL clients.
    from letterpress.moderation.inboxes import LocalInbox, RemoteInbox

    deployed = deployed_inbox(remote)
    if deployed:
        return RemoteInbox(*deployed)
    return LocalInbox(inbox_config())


def _ids(ids: str) -> list[str]:
    found = [i for i in re.split(r"[\s,]+", ids) if i]
    if not found:
        raise Exit("Give one or more comment Ids (see `invoke comments.review`).", code=2)
    return found


def _commit(c, paths: list[Path], comments: Sequence[Mapping], content: str) -> None:
    """Commit only the new comment files, in the repository that holds the content folder."""
    if not paths:
        return
    names = ", ".join(sorted({f"{m['author']} on {m['essay']}" for m in comments}))
    message = f"Publish {len(paths)} approved comment{'s' if len(paths) != 1 else ''}: {names}"
    _commit_files(c, paths, message, content)


def _commit_files(c, paths: list[Path], message: str, content: str) -> None:
    quoted = " ".join(shlex.quote(str(p.resolve())) for p in paths)
    git = f"git -C {shlex.quote(str(Path(content).resolve()))}"
    c.run(f"{git} add -- {quoted}")
    c.run(f"{git} commit --quiet -m {shlex.quote(message)} -- {quoted}")
    print(f"Committed: {message}")


def _decide_all(c, ids, decision, remote, content, commit) -> None:
    from letterpress.errors import LetterpressError
    from letterpress.moderation.publishing import NEXT_BUILD, approve_and_publish, unpublish

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
                    # A published comment rejected (or marked spam) comes off the site.
                    path = unpublish(Path(content), comment["essay"], comment_id)
                    if path is not None:
                        written.append(path)
                        print(f"  {path} is now a placeholder: {NEXT_BUILD}.")
            except (LetterpressError, OSError) as error:
                failures.append(f"{comment_id}: {error}")
    finally:
        inbox.close()
    if commit and decision == "approve":
        _commit(c, written, approved, content)
    elif commit and written:
        ids_done = ", ".join(sorted(p.stem for p in written))
        _commit_files(c, written, f"Take comment(s) {ids_done} off the site", content)
    if failures:
        raise Exit("Not done:\n" + "\n".join(failures), code=1)


@task(help=DECISION_HELP)
def approve(c, ids, remote=None, content=CONTENT, commit=False):
    """Approve comments by Id and write their files into content/comments/."""
    _decide_all(c, ids, "approve", remote, content, commit)


@task(help=DECISION_HELP)
def reject(c, ids, remote=None, content=CONTENT, commit=False):
    """Reject comments by Id; a published one's file becomes a "removed" placeholder."""
    _decide_all(c, ids, "reject", remote, content, commit)


@task(help=DECISION_HELP)
def spam(c, ids, remote=None, content=CONTENT, commit=False):
    """Mark comments as spam by Id; a published one's file becomes a "removed" placeholder."""
    _decide_all(c, ids, "spam", remote, content, commit)


@task(help={"remote": REMOTE_HELP})
def review(c, remote=None, content=CONTENT, commit=False):
    """Show each pending comment: approve, reply as author, reject, mark as spam or skip it."""
    from letterpress.errors import LetterpressError
    from letterpress.moderation.review import review_queue

    replier = _replier()
    try:
        inbox = _open_inbox(remote)
    except LetterpressError as error:
        raise Exit(str(error), code=1) from None
    try:
        published, written = review_queue(inbox, Path(content), replier)
    except LetterpressError as error:  # the pending list itself could not be read
        raise Exit(str(error), code=1) from None
    finally:
        inbox.close()
    if commit:
        _commit(c, written, published, content)


@task(
    help={
        "id": "the Id of the comment to answer (published, or waiting in the inbox)",
        "text": "the reply in Markdown (without it, $VISUAL or $EDITOR opens, else a prompt)",
        "remote": REMOTE_HELP,
        "content": "the content folder the reply is written into",
        "commit": "commit the files written",
    }
)
def reply(c, id, text=None, remote=None, content=CONTENT, commit=False):
    """Answer a comment as the author: writes the reply's file, approving the comment first."""
    from rich.console import Console

    from letterpress.errors import LetterpressError
    from letterpress.moderation.replies import answers_what, find_comment
    from letterpress.moderation.review import comment_panel, reply_to

    replier = _replier()
    console = Console()
    try:
        inbox = _open_inbox(remote)
    except LetterpressError as error:
        raise Exit(str(error), code=1) from None
    try:
        answered = find_comment(inbox, Path(content), id, replier.timezone)
        answers = answers_what(inbox, Path(content), answered, replier.timezone)
        title = f"{answered.author} on {answered.essay} ({answered.status})"
        console.print(comment_panel(answered, answers, title, replier.timezone))
        done = reply_to(inbox, Path(content), answered, replier, console, text)
    except (LetterpressError, OSError) as error:
        raise Exit(f"Not done: {error}", code=1) from None
    finally:
        inbox.close()
    if done is not None and commit:
        message = f"Publish {replier.author}'s reply to {answered.author} on {answered.essay}"
        _commit_files(c, list(done.paths), message, content)


@task(
    help={
        "remote": REMOTE_HELP,
        "content": "the content folder the files are written into",
        "commit": "commit the files written",
    }
)
def pull(c, remote=None, content=CONTENT, commit=False):
    """Write the files of approved comments the content folder lacks (never a file twice)."""
    from letterpress.errors import LetterpressError
    from letterpress.moderation.pull import pull_comments

    try:
        inbox = _open_inbox(remote)
    except LetterpressError as error:
        raise Exit(str(error), code=1) from None
    try:
        report = pull_comments(inbox, Path(content), _site_timezone())
    except LetterpressError as error:
        raise Exit(f"Nothing written: {error}", code=1) from None
    finally:
        inbox.close()
    for path in report.written:
        print(f"Wrote {path}")
    for comment_id, why in report.held:
        # Reported, not fatal: the other comments still go out with this run.
        print(f"Held back {comment_id}: {why}", file=sys.stderr)
    if report.marked:
        print(report.marked)
    print(report.summary())
    if commit:
        _commit(c, report.written, list(report.records), content)


ns = Collection("comments", review, approve, reject, spam, reply, pull)
