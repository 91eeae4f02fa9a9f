"""Entries kept between builds: one pickle file per kind (Markdown, comments, pages' parts...).

Each store is filed under the build's fingerprint (fingerprint.py); a store made under another
fingerprint is removed when the new one is saved, so the cache folder never grows past one
generation. Within a store, an entry is found by its key, a digest of the inputs it was made
from, so an edit is seen whatever a file's modification time says. Entries nobody asked for in a
build (an old version of an essay, a deleted one) are dropped when the store is saved.

`Stores` opens them for one engine (one Pelican): under `make serve` a rebuild finds the entries
of the last one in memory instead of unpickling them again, as long as nothing else has written
the file since.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        facts = path.stat()
    except OSError:
        return None
    return facts.st_ino, facts.st_size, facts.st_mtime_ns


class Store:
    """Entries of one kind made under one fingerprint, by key."""

    def __init__(self, folder: Path, kind: str, fingerprint: str, entries: dict[str, Any]):
        self.path = Path(folder) / f"{kind}-{fingerprint}.pickle"
        self.kind = kind
        self.entries = entries
        self.used: set[str] = set()
        self.changed = False

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.entries:
            self.used.add(key)
            return self.entries[key]
        return default

    def put(self, key: str, value: Any) -> None:
        self.used.add(key)
        self.entries[key] = value
        self.changed = True

    def save(self) -> None:
        """Write the file when something changed, without the entries not asked for."""
        stale = set(self.entries) - self.used
        for key in stale:
            del self.entries[key]
        self.used = set()
        if not (self.changed or stale) and self.path.is_file():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        with partial.open("wb") as file:  # streamed: no second copy of the store in memory
            pickle.dump(self.entries, file, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(self.path)
        for other in self.path.parent.glob(f"{self.kind}-*.pickle"):
            if other != self.path:
                other.unlink(missing_ok=True)
        self.changed = False


@dataclass
class Stores:
    """The stores of one engine under `folder`, kept in memory between its builds."""

    folder: Path
    loaded: dict[Path, tuple[tuple[int, int, int] | None, Store]] = field(default_factory=dict)

    def open(self, kind: str, fingerprint: str) -> Store:
        path = self.folder / f"{kind}-{fingerprint}.pickle"
        identity = _identity(path)
        kept = self.loaded.get(path)
        if kept is not None and kept[0] == identity:
            return kept[1]
        store = Store(self.folder, kind, fingerprint, _load(path) if identity else {})
        self.loaded = {p: s for p, s in self.loaded.items() if s[1].kind != kind}
        self.loaded[path] = (identity, store)
        return store

    def save(self) -> None:
        """Save every store this engine opened, and remember the files' identities."""
        for path, (_identity_before, store) in list(self.loaded.items()):
            store.save()
            self.loaded[path] = (_identity(path), store)

    def __iter__(self) -> Iterator[Store]:
        return (store for _identity_, store in self.loaded.values())


def _load(path: Path) -> dict[str, Any]:
    try:
        # Streamed, not read whole first: the file's bytes never sit beside its objects.
        with path.open("rb") as file:
            entries = pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return {}  # a torn or outdated file: start again
    return entries if isinstance(entries, dict) else {}
