"""What a build may reuse from the last one, and when it may not.

A build is a pure function of the repository (content, settings, theme, plugins, this library)
and the build date. Anything kept between builds is therefore filed under a `fingerprint` of
everything except the content: change a setting, a template or a line of plugin code and the
fingerprint changes, so nothing made under the old one is read again (Pelican's own content cache
is not dropped when settings change). Within one fingerprint, each source file's entry is keyed
by a hash of its bytes, so an edit is seen whatever the file's modification time says.

`Store` is one pickle file per kind of entry; a store made under another fingerprint is removed
when the new one is saved, so the cache folder never grows past one generation.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

from letterpress.context_keys import BUILD_FINGERPRINT

# Code whose change must invalidate what was cached: the theme's templates and static files,
# our plugins and this library, and the packages that turn Markdown into HTML.
CODE_SUFFIXES = (".py", ".html", ".css", ".js", ".xml", ".txt", ".json")
PACKAGES = ("pelican", "markdown", "pygments", "markdown-it-py", "nh3", "jinja2", "feedgen")


def _stable(value) -> str:
    """A text for a settings value that is the same in every process: functions and modules by
    name, never by their address in memory."""
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{_stable(k)}:{_stable(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return "[" + ",".join(_stable(item) for item in items) + "]"
    if isinstance(value, str | int | float | bool | type(None)):
        return repr(value)
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    module = getattr(value, "__module__", None) or ""
    return f"<{module}.{name}>" if name else f"<{type(value).__qualname__}>"


def file_digest(path: Path) -> str:
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()


def code_files(folders: Iterable[Path]) -> list[Path]:
    files = []
    for folder in folders:
        folder = Path(folder)
        if folder.is_dir():
            files += [
                p
                for p in folder.rglob("*")
                if p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts and p.is_file()
            ]
    return sorted(files)


# Settings that say whether a step runs, not what any page holds: `invoke build` turns the search
# index on and `make serve` leaves it off, and both must share one cache.
NOT_IN_PAGES = frozenset({"SEARCH_INDEX"})


def fingerprint(settings: Mapping, code_folders: Iterable[Path], today: str) -> str:
    """One hash of the settings, the code in `code_folders`, the package versions and the build
    date: what every cached entry is filed under."""
    digest = hashlib.blake2b(digest_size=16)
    kept = {name: value for name, value in settings.items() if name not in NOT_IN_PAGES}
    digest.update(_stable(kept).encode())
    digest.update(today.encode())
    for package in PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    for path in code_files(code_folders):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_folder(settings: Mapping) -> Path:
    """BUILD_PATH/cache: where every entry kept between builds lives."""
    return Path(settings.get("BUILD_PATH") or "build") / "cache"


def open_store(settings: Mapping, context: Mapping, kind: str) -> Store | None:
    """The store of `kind` under this build's fingerprint, or None when the build keeps nothing
    (BUILD_CACHE off, or no fingerprint in the context)."""
    key = context.get(BUILD_FINGERPRINT)
    if not key or not settings.get("BUILD_CACHE", True):
        return None
    return Store(cache_folder(settings), kind, key)


# The entries of each store file this process last read or wrote, with the file's identity
# (inode, size, mtime): under `make serve` a rebuild finds them here instead of unpickling them
# again, as long as nothing else has written the file since.
_loaded: dict[Path, tuple[tuple[int, int, int], dict]] = {}


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        facts = path.stat()
    except OSError:
        return None
    return facts.st_ino, facts.st_size, facts.st_mtime_ns


class Store:
    """Entries of one kind (say, Markdown conversions) made under one fingerprint.

    `get(name, digest)` answers only for the same source bytes; `put` replaces; `save` writes the
    file when something changed and drops entries no longer asked for, so a deleted essay does not
    stay in the cache for ever.
    """

    def __init__(self, folder: Path, kind: str, key: str):
        self.path = Path(folder) / f"{kind}-{key}.pickle"
        self.kind = kind
        self.entries: dict[str, tuple[str, object]] = {}
        self.used: set[str] = set()
        self.changed = False
        identity = _identity(self.path)
        kept = _loaded.get(self.path)
        if identity is not None and kept is not None and kept[0] == identity:
            self.entries = kept[1]
        elif identity is not None:
            try:
                # Streamed, not read whole first: the file's bytes never sit beside its objects.
                with self.path.open("rb") as file:
                    self.entries = pickle.load(file)
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                self.entries = {}  # a torn or outdated file: start again
            _loaded[self.path] = (identity, self.entries)

    def get(self, name: str, digest: str):
        self.used.add(name)
        found = self.entries.get(name)
        return found[1] if found and found[0] == digest else None

    def put(self, name: str, digest: str, value) -> None:
        self.used.add(name)
        self.entries[name] = (digest, value)
        self.changed = True

    def save(self) -> None:
        stale = set(self.entries) - self.used
        for name in stale:
            del self.entries[name]
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
        for other in [p for p in _loaded if p.parent == self.path.parent and p != self.path]:
            if other.name.startswith(f"{self.kind}-"):
                del _loaded[other]
        _loaded[self.path] = (_identity(self.path), self.entries)
        self.changed = False
