"""The output folder between the rebuilds of `make serve`: write only what changed, remove what
no longer exists.

A cold build starts from an empty output folder (DELETE_OUTPUT_DIRECTORY). While the author
writes, emptying it means writing 1,700 pages and 2,000 feeds again after every save, most of them
byte for byte what is already there. `OutputFiles` remembers what this process wrote (a digest of
the bytes, and the file's size and modification time, so a file changed or removed behind our back
is written again); a rebuild that keeps the folder writes a file only when its bytes differ, then
`remove_stale` deletes what the rebuild did not produce (a deleted essay's page), so the folder
is always what a clean build of the same sources would write.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# A file's ctime comes from a coarse clock (a few milliseconds behind); nothing of the build before
# is written this close to the start of the next one.
CLOCK_SLACK_NS = 50_000_000


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass(frozen=True)
class Written:
    """What is known of a file this process wrote: its bytes' digest, size and mtime."""

    digest: bytes
    size: int
    mtime_ns: int
    key: str = ""  # what made the bytes (a page's render key), when the writer knows it


@dataclass
class OutputFiles:
    """Files this process wrote under one output folder, and those this build wrote or kept."""

    known: dict[str, Written] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    started_ns: int = 0

    def start_build(self) -> None:
        """Called before a build writes anything: what follows is this build's."""
        self.touched = set()
        self.folders = set()
        self.started_ns = time.time_ns()

    def unchanged(self, path: str, key: str) -> bool:
        """True (and the file counted as this build's) when `path` holds what `key` made."""
        known = self.known.get(path)
        if not key or known is None or known.key != key or not self._intact(path, known):
            return False
        self.touched.add(path)
        return True

    def write(self, path: str, data: bytes, key: str = "") -> Written | None:
        """Write `data` to `path` unless the file already holds exactly it; what was written."""
        self.touched.add(path)
        hashed = digest(data)
        known = self.known.get(path)
        if known is not None and known.digest == hashed and self._intact(path, known):
            if key and known.key != key:
                self.known[path] = Written(known.digest, known.size, known.mtime_ns, key)
            return None
        folder = os.path.dirname(path)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        with open(path, "wb") as file:
            file.write(data)
        facts = os.stat(path)
        written = Written(hashed, facts.st_size, facts.st_mtime_ns, key)
        self.known[path] = written
        return written

    def remember(self, path: str, written: Written | None) -> None:
        """Count a file another process wrote (or kept) for this build."""
        self.touched.add(path)
        if written is not None:
            self.known[path] = written

    @staticmethod
    def _intact(path: str, known: Written) -> bool:
        try:
            facts = os.stat(path)
        except OSError:
            return False
        return (facts.st_size, facts.st_mtime_ns) == (known.size, known.mtime_ns)


def remove_stale(
    output: Path, started_ns: int, kept: set[str], retention: Iterable[str] = ()
) -> list[Path]:
    """Delete the files under `output` that this build neither wrote (their ctime is older than
    `started_ns`) nor kept (`kept`), then the folders left empty; the files removed.

    Top-level names in `retention` (OUTPUT_RETENTION: a .git folder, the search index) are left
    alone, as Pelican leaves them when it empties the folder.
    """
    output = Path(output)
    retained = set(retention)
    removed: list[Path] = []
    if not output.is_dir():
        return removed
    for top in output.iterdir():
        if top.name in retained:
            continue
        paths = [top] if not top.is_dir() or top.is_symlink() else _walk(top)
        for path in paths:
            facts = path.lstat()
            if facts.st_ctime_ns < started_ns - CLOCK_SLACK_NS and str(path) not in kept:
                path.unlink()
                removed.append(path)
        if top.is_dir() and not top.is_symlink():
            _remove_empty_folders(top)
    return removed


def _walk(folder: Path) -> list[Path]:
    files = []
    for root, _folders, names in os.walk(folder):
        files += [Path(root, name) for name in names]
    return files


def _remove_empty_folders(top: Path) -> None:
    for root, _folders, _names in os.walk(top, topdown=False):
        if not any(Path(root).iterdir()):  # its subfolders may have just gone
            Path(root).rmdir()
