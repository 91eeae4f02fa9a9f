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

from markupsafe import Markup

from letterpress.build_cache import Store

from .model import Comment, CommentError, read_comment

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


def read_comments(comments_dir: Path, store: Store | None = None) -> dict[str, list[Comment]]:
    """Every comment under content/comments/, by essay slug, oldest first.

    Raise CommentError naming the first bad file; a missing folder means no comments yet. With a
    build cache `store`, a file unchanged since it was read (same inode, size, modification and
    change times) is not read, parsed nor rendered again: its comment comes back with its HTML
    (the store's fingerprint covers the renderer).
    """
    by_essay: dict[str, list[Comment]] = {}
    made: dict[str, tuple[str, Comment]] = {}
    for folder in _folders(comments_dir):
        comments = [_read(path, store, made) for path in _markdown_files(folder)]
        by_essay[folder.name] = sorted(comments, key=lambda c: (c.date, c.id))
    if store is not None:
        _made.clear()
        _made.update(made)
    return by_essay


# The comments this process made in its last read, by file: (the store and stat digest they were
# made under, the comment). Under `make serve` a rebuild takes back these (frozen) Comments
# instead of making ten thousand again from the store's plain values.
_made: dict[str, tuple[str, Comment]] = {}


def comment_files(comments_dir: Path) -> list[Path]:
    """Every file `read_comments` reads, in the order it reads them."""
    return [path for folder in _folders(comments_dir) for path in _markdown_files(folder)]


def files_not_stored(paths: Iterable[Path], store: Store) -> list[Path]:
    """The files of `paths` whose comment, as the file is now, `store` does not hold."""
    missing = []
    for path in paths:
        try:
            digest = _stat_digest(path)
        except OSError:  # gone already: read_comments will not find it either
            continue
        if store.get(str(path), digest) is None:
            missing.append(path)
    return missing


def read_for_store(paths: Iterable[Path]) -> dict[str, tuple[str, object]]:
    """What `read_comments` would put in its store for each of `paths`: by file name, the
    file's digest and the comment's plain values, to hand to `store_read` (`paths` may be read
    in another process: only plain values come back).

    A file that is not a comment, or cannot be read, is left out: `read_comments` reads it again
    and stops the build with the message naming it.
    """
    found = {}
    for path in paths:
        try:
            # The digest first: a file written while it is read is read again.
            digest = _stat_digest(path)
            found[str(path)] = (digest, _stored(read_comment(path)))
        except (CommentError, OSError):
            continue
    return found


def store_read(store: Store, found: Mapping[str, tuple[str, object]]) -> None:
    """Put comments read by `read_for_store` into `store`, for `read_comments` to find."""
    for name, (digest, value) in found.items():
        store.put(name, digest, value)


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


def _read(path: Path, store: Store | None, made: dict | None = None) -> Comment:
    if store is None:
        return read_comment(path)
    name, digest = str(path), _stat_digest(path)
    key = f"{store.path}:{digest}"
    found = store.get(name, digest)
    kept = _made.get(name)
    if found is not None and kept is not None and kept[0] == key:
        comment = kept[1]
    elif found is not None:
        fields, html = found
        comment = Comment(essay=path.parent.name, source=path, **fields)
        # What `Comment.html` would render, as cached_property keeps it.
        vars(comment)["html"] = Markup(html)
    else:
        comment = read_comment(path)
        store.put(name, digest, _stored(comment))
    if made is not None:
        made[name] = (key, comment)
    return comment


def _stat_digest(path: Path) -> str:
    # A file's identity and times, not its bytes: opening ten thousand files costs more than
    # rendering what changed. Any write to a file changes its ctime, which no tool can set back,
    # so an edit is seen even when the modification time is put back.
    facts = os.stat(path)
    return f"{facts.st_ino}:{facts.st_size}:{facts.st_mtime_ns}:{facts.st_ctime_ns}"


def _stored(comment: Comment) -> tuple[dict[str, object], str]:
    # Plain values, not the Comment: unpickling ten thousand Paths and dataclasses costs more
    # than making them again.
    return {name: getattr(comment, name) for name in _STORED}, str(comment.html)


_STORED = ("id", "author", "date", "body", "reply_to", "url", "role", "removed")


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
    while current.reply_to in by_id:
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
            entries += [ThreadEntry(c, depth, (), by_id[c.reply_to]) for c in flattened]
        return tuple(entries)

    return level(None, 0, set())
