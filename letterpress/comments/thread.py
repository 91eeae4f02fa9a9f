"""Reading a site's comments and arranging an essay's comments as a thread.

Everything here is pure except `read_comments`, which only reads files. A mistake in the files
(a comment folder for no essay, a Reply-To naming no comment, a duplicate Id, a reply cycle) is a
CommentError naming the file, so the build can stop with a message the author can act on.
"""

import os
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from letterpress.build_services import BuildServices, PlainServices

from .model import Comment, CommentError, comments_open, read_comment

# Levels of nesting shown; replies deeper than this stay at the last level, marked "in reply to".
MAX_DEPTH = 5


@dataclass(frozen=True)
class ThreadEntry:
    """A comment in its place in the thread, as templates show it."""

    comment: Comment
    depth: int  # 0 for a comment on the essay itself
    replies: tuple["ThreadEntry", ...] = ()
    # Set when the entry is shown below its parent's level: the comment it answers.
    in_reply_to: Comment | None = None


def read_comments(
    comments_dir: Path, services: BuildServices | None = None
) -> dict[str, list[Comment]]:
    """Every comment under content/comments/, by essay slug, oldest first.

    Raise CommentError naming the first bad file; a missing folder means no comments yet. With a
    build engine's `services`, a file unchanged since it was read (same inode, size, modification
    and change times) is not read, parsed nor rendered again, and the files to read are shared
    among the build's processes.
    """
    services = services or PlainServices()
    paths = comment_files(comments_dir)
    jobs: dict[str, Path] = {}
    for path in paths:
        jobs[f"{path}:{_stat_digest(path)}"] = path
    found = services.remember_each("comments", jobs, read_or_problem, READ_IN_PARALLEL_FROM)
    by_path = {jobs[key]: comment for key, comment in found.items()}
    by_essay: dict[str, list[Comment]] = {}
    for folder in _folders(comments_dir):
        by_essay[folder.name] = []
    for path in paths:
        comment = by_path[path]
        if isinstance(comment, CommentError):
            raise comment
        by_essay[path.parent.name].append(comment)
    for comments in by_essay.values():
        comments.sort(key=lambda c: (c.date, c.id))
    return by_essay


# Fewer files to read than this are read in the build process: a fork would cost more.
READ_IN_PARALLEL_FROM = 50


def read_or_problem(path: Path) -> Comment | CommentError:
    """The comment in `path` with its HTML rendered, or the error naming the file (kept, not
    raised, so a file read in another process is reported exactly as one read here)."""
    try:
        comment = read_comment(path)
    except CommentError as error:
        return error
    comment.html  # noqa: B018 - rendered now, where the work is shared, and kept with it
    return comment


def comment_files(comments_dir: Path) -> list[Path]:
    """Every file `read_comments` reads, in the order it reads them."""
    return [path for folder in _folders(comments_dir) for path in _markdown_files(folder)]


def _folders(comments_dir: Path) -> list[Path]:
    """content/comments/<essay-slug>/ folders, by name; none when there is no comments folder."""
    comments_dir = Path(comments_dir)
    if not comments_dir.is_dir():
        return []
    return sorted(p for p in comments_dir.iterdir() if p.is_dir())


def _markdown_files(folder: Path) -> list[Path]:
    """folder/*.md, by name. os.scandir, not Path.glob: a thousand folders' globs and sorts took
    half a second of every rebuild."""
    with os.scandir(folder) as entries:
        # Sorted as strings (as Paths compare, for plain names), then made Paths: comparing
        # Paths is ten times slower.
        paths = sorted(entry.path for entry in entries if entry.name.endswith(".md"))
    return [Path(path) for path in paths]


def _stat_digest(path: Path) -> str:
    # A file's identity and times, not its bytes: opening ten thousand files costs more than
    # rendering what changed. Any write to a file changes its ctime, which no tool can set back,
    # so an edit is seen even when the modification time is put back.
    facts = os.stat(path)
    return f"{facts.st_ino}:{facts.st_size}:{facts.st_mtime_ns}:{facts.st_ctime_ns}"


def check_comments(by_essay: Mapping[str, Sequence[Comment]], essay_slugs: Iterable[str]) -> None:
    """Raise CommentError for the problems a build must not get past, naming every bad file."""
    problems = []
    known_essays = set(essay_slugs)
    seen: dict[str, Comment] = {}
    for essay, comments in sorted(by_essay.items()):
        if essay not in known_essays and comments:
            folder = comments[0].source.parent if comments[0].source else essay
            problems.append(
                f"{folder}: comments for an essay that does not exist ({essay!r}); "
                "name the folder after the essay's slug, or remove it"
            )
        for comment in comments:
            if comment.id in seen:
                first = seen[comment.id]
                problems.append(
                    f"{_where(comment)}: duplicate Id {comment.id!r}, "
                    f"already used by {_where(first)}"
                )
            else:
                seen[comment.id] = comment
        problems += _reply_problems(comments)
    if problems:
        raise CommentError("\n".join(problems))


def _reply_problems(comments: Sequence[Comment]) -> list[str]:
    by_id = {c.id: c for c in comments}
    problems = []
    for comment in comments:
        if comment.reply_to and comment.reply_to not in by_id:
            problems.append(
                f"{_where(comment)}: Reply-To {comment.reply_to!r} names no comment "
                f"on the essay {comment.essay!r}"
            )
    for comment in comments:
        if _in_cycle(comment, by_id):
            problems.append(
                f"{_where(comment)}: its Reply-To chain comes back to itself "
                f"({comment.id!r}); a reply must answer an earlier comment"
            )
    return problems


def _in_cycle(comment: Comment, by_id: Mapping[str, Comment]) -> bool:
    """True when following Reply-To from `comment` leads back to it."""
    visited = {comment.id}
    current = comment
    while current.reply_to is not None and current.reply_to in by_id:
        current = by_id[current.reply_to]
        if current.id == comment.id:
            return True
        if current.id in visited:
            return False
        visited.add(current.id)
    return False


def _where(comment: Comment) -> str:
    return str(comment.source) if comment.source else f"comment {comment.id}"


def visible(comments: Sequence[Comment]) -> list[Comment]:
    """The comments a thread shows: every comment, and the placeholder of a removed one only
    while a comment still shown answers it."""
    answered = {c.reply_to for c in comments if c.reply_to}
    kept = list(comments)
    while True:
        answered = {c.reply_to for c in kept if c.reply_to}
        shown = [c for c in kept if not c.removed or c.id in answered]
        if len(shown) == len(kept):
            return shown
        kept = shown


def build_thread(
    comments: Sequence[Comment], max_depth: int = MAX_DEPTH
) -> tuple[ThreadEntry, ...]:
    """The essay's comments as a tree, oldest first at each level.

    Nesting stops at `max_depth` levels: below that, every later reply is shown at the last level,
    in date order, with `in_reply_to` naming the comment it answers. Comments whose Reply-To names
    no comment here are shown at the top level (check_comments reports them to the build).
    A removed comment is shown (as a placeholder) only where a reply still hangs from it.
    """
    comments = visible(comments)
    by_id = {c.id: c for c in comments}
    children: dict[str | None, list[Comment]] = defaultdict(list)
    for comment in sorted(comments, key=lambda c: (c.date, c.id)):
        parent = comment.reply_to if comment.reply_to in by_id else None
        children[parent].append(comment)

    def descendants(comment_id: str, seen: set[str]) -> list[Comment]:
        found = []
        for child in children.get(comment_id, ()):
            if child.id not in seen:
                seen.add(child.id)
                found += [child, *descendants(child.id, seen)]
        return found

    def level(parent_id: str | None, depth: int, seen: set[str]) -> tuple[ThreadEntry, ...]:
        entries = []
        for comment in children.get(parent_id, ()):
            if comment.id in seen:
                continue
            seen.add(comment.id)
            if depth < max_depth - 1:
                entries.append(ThreadEntry(comment, depth, level(comment.id, depth + 1, seen)))
                continue
            entries.append(ThreadEntry(comment, depth))
            flattened = sorted(descendants(comment.id, seen), key=lambda c: (c.date, c.id))
            entries += [
                ThreadEntry(c, depth, (), by_id[c.reply_to])
                for c in flattened
                if c.reply_to is not None  # always: these are replies
            ]
        return tuple(entries)

    return level(None, 0, set())


def essay_comment_fields(
    every: Sequence[Comment], essay_metadata: Mapping, max_depth: int = MAX_DEPTH
) -> dict[str, object]:
    """What an essay carries of its comments, for its templates and feeds: the one rule the
    build (plugins/comments) and `make serve`'s fast path (commands/fast_path.py) both apply.

    A removed comment's placeholder keeps its replies' place in the thread and nothing else: it is
    no comment to count, list, feed or quote.
    """
    comments = tuple(c for c in every if not c.removed)
    return {
        "comment_list": comments,
        "comment_count": len(comments),
        "comment_ids": tuple(c.id for c in every),
        "comment_thread": build_thread(every, max_depth),
        "comments_open": comments_open(essay_metadata),
    }
