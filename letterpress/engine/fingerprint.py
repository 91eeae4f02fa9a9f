"""What every entry kept between builds is filed under: the build's fingerprint.

A build is a pure function of the repository (content, settings, theme, plugins, this library),
the packages that render it and the build date. Anything kept between builds is filed under a
fingerprint of everything except the content: change a setting, a template or a line of plugin
code and the fingerprint changes, so nothing made under the old one is read again (Pelican's own
content cache is not dropped when settings change). The content is keyed entry by entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

# Code whose change must invalidate what was cached: the theme's templates and static files,
# our plugins and this library.
CODE_SUFFIXES = (".py", ".html", ".css", ".js", ".xml", ".txt", ".json")
# The packages whose version changes what a page, feed or e-mail holds.
PACKAGES = ("pelican", "markdown", "pygments", "markdown-it-py", "nh3", "jinja2", "feedgen")
# Settings that say whether a step runs, not what any file holds: `invoke build` turns the search
# index on and `make serve` leaves it off, and both must share one cache. The engine's own
# settings change how the work is shared, never its result (tests/engine compares them).
NOT_IN_OUTPUT = frozenset({"SEARCH_INDEX", "BUILD_WORKERS", "BUILD_WORKER_TIMEOUT", "BUILD_CACHE"})


def digest_of(*parts: str | bytes) -> str:
    """One short hash of `parts`, each kept apart from the next (("ab", "c") != ("a", "bc"))."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def file_digest(path: Path | str) -> str:
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()


def stable_text(value: Any) -> str:
    """A text for a settings value that is the same in every process: functions, classes and
    modules by name, never by their address in memory."""
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda item: str(item[0]))
        return "{" + ",".join(f"{stable_text(k)}:{stable_text(v)}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(stable_text(item) for item in value) + "]"
    if isinstance(value, set | frozenset):
        return "{" + ",".join(sorted(stable_text(item) for item in value)) + "}"
    if isinstance(value, str | int | float | bool | type(None)):
        return repr(value)
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    module = getattr(value, "__module__", None) or ""
    return (
        f"<{module}.{name}>" if name else f"<{type(value).__module__}.{type(value).__qualname__}>"
    )


def code_files(folders: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for folder in map(Path, folders):
        if folder.is_dir():
            files += [
                p
                for p in folder.rglob("*")
                if p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts and p.is_file()
            ]
    return sorted(files)


@dataclass(frozen=True)
class Fingerprint:
    """The inputs every file of a build depends on, besides the content, by name."""

    settings: str  # every setting but NOT_IN_OUTPUT, functions by name
    code: str  # the theme (templates, static files), our plugins, this library
    packages: str  # the versions of the packages that render
    build_date: str  # ISO date: "upcoming" and "scheduled" depend on it

    def digest(self) -> str:
        return digest_of(self.settings, self.code, self.packages, self.build_date)


def settings_digest(settings: Mapping[str, Any]) -> str:
    kept = {name: value for name, value in settings.items() if name not in NOT_IN_OUTPUT}
    return digest_of(stable_text(kept))


def code_digest(folders: Iterable[Path]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in code_files(folders):
        digest.update(str(path).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def packages_digest(packages: Iterable[str] = PACKAGES) -> str:
    versions = []
    for package in packages:
        try:
            versions.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package}=absent")
    return digest_of(*versions)


def fingerprint(
    settings: Mapping[str, Any], code_folders: Iterable[Path], today: str
) -> Fingerprint:
    """The build's fingerprint: the settings, the code in `code_folders`, the package versions
    and the build date."""
    return Fingerprint(
        settings=settings_digest(settings),
        code=code_digest(code_folders),
        packages=packages_digest(),
        build_date=today,
    )
