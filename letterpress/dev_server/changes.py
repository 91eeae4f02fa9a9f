"""What a set of changed files asks of the author's loop: pure decisions over paths.

An edit to one essay, one essay's comments or one workshop can take the fast path: only the
pages that show that file in full are rendered again, at once, and the complete rebuild follows.
Anything else (a new or deleted essay, a template, a static file) goes straight to the complete
rebuild; a changed settings file needs the settings read again; changed Python code (plugins, the
library) needs a fresh process, since a running one keeps the modules it imported.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Editors write these beside the file they save; they are never the site's.
_NOISE_SUFFIXES = (".swp", ".swx", ".tmp", "~", ".pyc")
_NOISE_PARTS = ("__pycache__", ".git", ".mypy_cache", ".ruff_cache", ".pytest_cache")
_TEXT_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


class Kind(enum.Enum):
    ESSAY = "essay"
    COMMENT = "comment"
    WORKSHOP = "workshop"


class Action(enum.Enum):
    ADDED = 1
    MODIFIED = 2
    DELETED = 3


@dataclass(frozen=True)
class Layout:
    """Where the site's sources are (absolute paths): what the loop watches and how it reads a
    change. Essay folders and the comments and workshops folders are inside `content`."""

    content: Path
    essays: tuple[Path, ...]
    comments: Path
    workshops: Path
    theme: Path
    settings_files: tuple[Path, ...]
    code: tuple[Path, ...]

    def watched(self) -> list[Path]:
        """Every folder and file the loop watches, those that exist (a missing one cannot be)."""
        wanted = [self.content, self.theme, *self.settings_files, *self.code]
        return [path for path in dict.fromkeys(wanted) if path.exists()]


@dataclass(frozen=True)
class Edit:
    """One file the fast path can take: its kind and its path."""

    kind: Kind
    path: Path


@dataclass(frozen=True)
class Plan:
    """What to do about one batch of changes."""

    restart: bool = False  # Python code changed: start a fresh process
    reread_settings: bool = False  # a settings file changed: read the settings again
    rebuild: bool = False  # anything changed: the complete rebuild
    fast: tuple[Edit, ...] = field(default=())  # render these files' pages first

    @property
    def nothing(self) -> bool:
        return not (self.restart or self.reread_settings or self.rebuild)


def is_noise(path: Path) -> bool:
    name = path.name
    if name.startswith((".#", "#")) or name.endswith(_NOISE_SUFFIXES):
        return True
    return any(part in _NOISE_PARTS for part in path.parts)


def _inside(path: Path, folder: Path) -> bool:
    return path.is_relative_to(folder)


def fast_edit(layout: Layout, action: Action, path: Path) -> Edit | None:
    """The fast-path edit this change is, or None when it needs the complete rebuild alone.

    An essay or a workshop must be modified in place (a new or deleted one changes listings,
    feeds and the site's links); a comment may come, change or go (its essay's page shows them
    all, and its essay folder names the page)."""
    if path.suffix not in _TEXT_SUFFIXES:
        return None
    if _inside(path, layout.comments):
        in_folder = path.relative_to(layout.comments).parts
        return Edit(Kind.COMMENT, path) if len(in_folder) == 2 else None
    if action is not Action.MODIFIED:
        return None
    if _inside(path, layout.workshops):
        return Edit(Kind.WORKSHOP, path)
    if any(_inside(path, folder) for folder in layout.essays):
        return Edit(Kind.ESSAY, path)
    return None


def plan(layout: Layout, changes: Iterable[tuple[Action, Path]]) -> Plan:
    """The plan for a batch of changes reported together (paths absolute)."""
    relevant = [(action, path) for action, path in changes if not is_noise(path)]
    if not relevant:
        return Plan()
    paths = {path for _, path in relevant}
    if any(path.suffix == ".py" and _in_code(layout, path) for path in paths):
        return Plan(restart=True)
    reread = any(path in layout.settings_files for path in paths)
    edits = [fast_edit(layout, action, path) for action, path in relevant]
    fast: tuple[Edit, ...] = ()
    if not reread and all(edit is not None for edit in edits):
        fast = tuple(dict.fromkeys(edit for edit in edits if edit is not None))
    return Plan(reread_settings=reread, rebuild=True, fast=fast)


def _in_code(layout: Layout, path: Path) -> bool:
    return any(_inside(path, folder) for folder in layout.code) and not _inside(
        path, layout.content
    )
