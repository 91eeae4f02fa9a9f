"""The importer's only way to touch content/: write or copy a file, or say what it would do.

A file that is already there with the same bytes is left alone (so a second import writes
nothing); one that differs is kept unless `force`; `dry_run` writes nothing and lists each file
that a real run would write. Every outcome is counted in the report.
"""

import filecmp
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .report import Report


@dataclass
class ContentFiles:
    content: Path
    report: Report
    dry_run: bool = False
    force: bool = False
    echo: Callable[[str], None] = print
    # Files already handled in this run: an upload shown in two essays is copied (and counted)
    # once.
    done: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.root = self.content.resolve()
        self._folders: dict[Path, bool] = {}  # folder -> inside content/, once resolved

    def _inside(self, path: Path) -> bool:
        """Whether `path` lies in content/ once resolved (symbolic links followed), whatever
        its string said. A folder is resolved once; the file itself must not be a link."""
        folder = path.parent
        if folder not in self._folders:
            self._folders[folder] = folder.resolve().is_relative_to(self.root)
        return self._folders[folder] and not path.is_symlink()

    def _decide(
        self, relative: str, kind: str, same: Callable[[Path], bool], merged: bool = False
    ) -> Path | None:
        """The path to write, or None when it must be left as it is. A `merged` text already
        keeps what the file held, so it may replace the file without `force`."""
        if relative in self.done:
            return None
        self.done.add(relative)
        path = self.content / relative
        if not self._inside(path) or "\\" in relative:
            self.report.refused.append(relative)
            return None
        if path.exists():
            if same(path):
                self.report.unchanged[kind] += 1
                return None
            if not (self.force or merged):
                self.report.kept.append(relative)
                return None
            self.report.overwritten[kind] += 1
        else:
            self.report.written[kind] += 1
        if self.dry_run:
            self.echo(f"would write content/{relative}{' (overwrite)' if path.exists() else ''}")
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def put(self, relative: str, text: str, kind: str, merged: bool = False) -> None:
        """Write `text` to content/`relative`, unless it is there already."""
        same = lambda p: p.read_bytes() == text.encode("utf-8")  # noqa: E731
        path = self._decide(relative, kind, same, merged)
        if path is not None:
            path.write_text(text, "utf-8")

    def put_bytes(self, relative: str, data: bytes, kind: str) -> None:
        """Write `data` to content/`relative`, unless the same bytes are there."""
        path = self._decide(relative, kind, lambda p: p.read_bytes() == data)
        if path is not None:
            path.write_bytes(data)

    def copy(self, source: Path, relative: str, kind: str) -> None:
        """Copy the file `source` to content/`relative`, unless the same file is there."""
        path = self._decide(relative, kind, lambda p: filecmp.cmp(p, source, shallow=False))
        if path is not None:
            shutil.copyfile(source, path)
