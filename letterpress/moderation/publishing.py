"""Approving a comment: its file is written into content/comments/ first, and only then is the
approval recorded in the inbox.

In that order, a comment the file format cannot hold is refused while it is still pending (it
stays in the queue, and the reason is shown); and a decision the inbox refuses (a reply whose
parent is not approved yet) takes back the file just written. Approving again is always safe:
the same file is written again and the same decision recorded. The inbox is then told the file
exists, as `comments.pull` tells it, for the moderation page.
"""

import contextlib
from collections.abc import Mapping
from pathlib import Path

from letterpress.comments import (
    CommentError,
    comment_path,
    format_comment,
    read_comment,
    removed,
    write_comment,
)
from letterpress.errors import LetterpressError
from letterpress.inbox.comment_store import as_comment

NEXT_BUILD = (
    "at the next build it is gone from the site (“This comment was removed.” stays in its place "
    "while a reply hangs from it); commit the file and publish to take it off the live site"
)


def approve_and_publish(inbox, comment_id: str, content_dir: Path, timezone: str):
    """Write the comment's file, then approve it in `inbox` (a LocalInbox or a RemoteInbox).

    Returns (the comment as the inbox now has it, the file written). Raises CommentError when no
    file can hold the comment, or the inbox's error when it refuses; then nothing has changed.
    """
    comment = as_comment(inbox.get(comment_id), timezone)
    path = comment_path(content_dir, comment)
    was_there = path.exists()
    written = write_comment(content_dir, comment)
    try:
        decided = inbox.decide(comment_id, "approve")
    except BaseException:
        if not was_there:
            written.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # the essay's folder, if this made it: empty
                written.parent.rmdir()
        raise
    # The moderation page then shows the file as written, and no longer offers to take the
    # approval back. Only a record for the page: a failure to make it changes nothing here.
    with contextlib.suppress(LetterpressError):
        inbox.mark_written([comment_id])
    return decided, written


def unpublish(content_dir: Path, essay: str, comment_id: str) -> Path | None:
    """Take a published comment off the site: its file becomes a placeholder (Id, date and
    Reply-To, no name, website or text), so replies keep their place under "This comment was
    removed.". Returns the file changed, or None when there was no file (never published here,
    or already a placeholder). A file that cannot be read is deleted."""
    path = Path(content_dir) / "comments" / essay / f"{comment_id}.md"
    if not path.exists():
        return None
    try:
        published = read_comment(path)
    except CommentError:
        path.unlink()
        return path
    if published.removed:
        return None
    path.write_text(format_comment(removed(published)), "utf-8")
    return path


def remove_comment_files(content_dir: Path, comments: list[Mapping]) -> list[str]:
    """Take these published comments ({essay, id}) off the site: each file becomes a placeholder
    (`unpublish`), so replies, published or still waiting, keep their place
    under "This comment was removed."; the name, website and text are gone. Returns a sentence
    for each file changed."""
    done = []
    for comment in comments:
        path = unpublish(content_dir, comment["essay"], comment["id"])
        if path is not None:
            done.append(f"{path}: now a placeholder (“This comment was removed.”)")
    return done
