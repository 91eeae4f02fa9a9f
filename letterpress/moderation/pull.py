"""`invoke comments.pull`: write the file of every approved comment the content folder lacks.

The inbox (a LocalInbox or a RemoteInbox) lists its approved comments and the author's replies
made on the moderation page, with what a file needs. Whether a file is there is the content
folder's answer, so pulling is idempotent: a file that exists is never written again (even if
the author has since edited it), and a pull whose commit was lost writes the same files again.
A reply is written after the comment it answers, and held back while that comment is neither
in the content folder nor approved (the build refuses a Reply-To it cannot find). The Ids found
or written are reported to the inbox, for the moderation page.

`writing_order` is the pure decision; `pull_comments` does the reading and writing.
"""

import dataclasses
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from letterpress.comments import CommentError, comment_path, write_comment
from letterpress.comments.model import Comment
from letterpress.errors import LetterpressError
from letterpress.inbox.comment_store import as_comment

log = logging.getLogger(__name__)


@dataclass
class PullReport:
    """What a pull did: the files written (in order) with their records, the Ids whose file was
    already there, and those held back with the reason."""

    written: list[Path] = field(default_factory=list)
    records: list[Mapping] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    held: list[tuple[str, str]] = field(default_factory=list)
    marked: str = ""  # what became of the report to the inbox, when it failed

    def summary(self) -> str:
        count = len(self.written)
        noun = "file" if count == 1 else "files"
        line = f"Wrote {count} comment {noun}; {len(self.present)} already in the content folder."
        if self.held:
            line += f" {len(self.held)} held back."
        return line


def writing_order(
    records: Sequence[Mapping], present: Callable[[str, str], bool]
) -> tuple[list[Mapping], list[Mapping], list[tuple[Mapping, str]]]:
    """Split approved `records` ({id, essay, parent, …}) into those to write, parents before
    their replies; those whose file is already there (`present(essay, id)`); and those held
    back, with why: a reply whose parent is neither there nor among the records."""
    there = [r for r in records if present(r["essay"], r["id"])]
    missing = [r for r in records if not present(r["essay"], r["id"])]
    available = {(r["essay"], r["id"]) for r in there}
    order: list[Mapping] = []
    waiting = list(missing)
    while waiting:
        ready = [
            r
            for r in waiting
            if not r.get("parent")
            or (r["essay"], r["parent"]) in available
            or present(r["essay"], r["parent"])
        ]
        if not ready:
            break
        for record in ready:
            order.append(record)
            available.add((record["essay"], record["id"]))
        waiting = [r for r in waiting if r not in ready]
    held = [
        (
            r,
            f"it answers {r['parent']}, which is neither in content/comments/{r['essay']}/ nor "
            "approved in the inbox",
        )
        for r in waiting
    ]
    return order, there, held


def file_comment(record: Mapping, timezone: str) -> Comment:
    """The comment file's contents for a record, dated in the site's zone: the same file
    `comments.approve` writes for the same comment, so both never disagree."""
    comment = as_comment(record, timezone)
    return dataclasses.replace(comment, role=record.get("role") or "")


def _present_in(content_dir: Path) -> Callable[[str, str], bool]:
    folders: dict[str, frozenset[str]] = {}

    def present(essay: str, comment_id: str) -> bool:
        if essay not in folders:
            folder = Path(content_dir) / "comments" / essay
            names = (p.stem for p in folder.glob("*.md")) if folder.is_dir() else ()
            folders[essay] = frozenset(names)
        return comment_id in folders[essay]

    return present


def pull_comments(inbox, content_dir: Path, timezone: str) -> PullReport:
    """Write every approved comment's file that `content_dir` lacks, parents first, and report
    the Ids found or written to `inbox`. A comment no file can hold is held back with the
    reason (and so are replies to it); the rest are written. Raises the inbox's error when the
    list cannot be read; then nothing is written."""
    records = inbox.approved_for_files()
    order, there, held = writing_order(records, _present_in(content_dir))
    report = PullReport(present=[r["id"] for r in there])
    report.held = [(r["id"], why) for r, why in held]
    failed: set[tuple[str, str]] = set()
    for record in order:
        key = (record["essay"], record.get("parent") or "")
        if key in failed:
            report.held.append((record["id"], f"its parent {record['parent']} was not written"))
            failed.add((record["essay"], record["id"]))
            continue
        comment = file_comment(record, timezone)
        if comment_path(content_dir, comment).exists():  # written meanwhile: never twice
            report.present.append(record["id"])
            continue
        try:
            report.written.append(write_comment(content_dir, comment))
        except (CommentError, OSError) as error:
            report.held.append((record["id"], str(error)))
            failed.add((record["essay"], record["id"]))
            continue
        report.records.append(record)
    report.marked = _report_to(inbox, [*report.present, *(r["id"] for r in report.records)])
    return report


def _report_to(inbox, ids: Iterable[str]) -> str:
    """Tell the inbox which files the content folder has; the files are what matters, so a
    failure here is a warning, never an error."""
    ids = list(ids)
    if not ids:
        return ""
    try:
        inbox.mark_written(ids)
    except LetterpressError as error:
        return f"The files are written, but the inbox could not record it: {error}"
    return ""
