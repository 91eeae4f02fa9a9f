"""The engine's side of letterpress/build_services.py: remembering, writing and sharing work.

One `Engine` serves one Pelican through all its builds (`make serve` keeps one): it holds the
stores opened so far (kept in memory between builds), the record of the files this process wrote
(output_files.py) and the settings for sharing work (parallel.py). Each build starts with
`start_build(fingerprint)`, which files every entry of that build under the fingerprint, and ends
with `end_build()`, which saves the stores. The Writer starts `files` when the first file is
about to be written (`files.start_build()`): what the output folder holds from before that moment
is what a rebuild may remove.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from letterpress.build_services import OutputJob

from .fingerprint import digest_of
from .output_files import OutputFiles, Written
from .parallel import DEFAULT_TIMEOUT, in_shares
from .store import Stores

Value = TypeVar("Value")
Job = TypeVar("Job")
Item = TypeVar("Item")
Result = TypeVar("Result")

_MISSING = object()


@dataclass
class Engine:
    """The build engine of one Pelican. `keep` False (BUILD_CACHE off): nothing is remembered
    and every file is written, but the work is still shared among `workers` processes."""

    cache_folder: Path
    workers: int = 1
    timeout: float = DEFAULT_TIMEOUT
    keep: bool = True
    files: OutputFiles = field(default_factory=OutputFiles)
    fingerprint: str = ""
    declared: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.stores = Stores(Path(self.cache_folder))

    def start_build(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.declared = {}

    def end_build(self) -> None:
        if self.keep:
            self.stores.save()

    # The parallel mechanism, for the engine's own work and the services below.
    def in_shares(
        self, work: Callable[[list[Item]], Sequence[Result]], items: Sequence[Item], at_least: int
    ) -> list[Result]:
        """`work` over shares of `items`, in parallel when there are `at_least` items."""
        workers = self.workers if len(items) >= at_least else 1
        return in_shares(work, items, workers, self.timeout)

    # BuildServices
    def remember(self, kind: str, key: str, make: Callable[[], Value]) -> Value:
        if not self.keep:
            return make()
        store = self.stores.open(kind, self.fingerprint)
        found = store.get(key, _MISSING)
        if found is _MISSING:
            found = make()
            store.put(key, found)
        return found

    def remember_each(
        self,
        kind: str,
        jobs: Mapping[str, Job],
        make: Callable[[Job], Value],
        parallel_from: int = 16,
    ) -> dict[str, Value]:
        store = self.stores.open(kind, self.fingerprint) if self.keep else None
        found: dict[str, Any] = {}
        if store is not None:
            for key in jobs:
                value = store.get(key, _MISSING)
                if value is not _MISSING:
                    found[key] = value
        missing = [key for key in jobs if key not in found]

        def make_share(share: list[str]) -> list[tuple[str, Value]]:
            return [(key, make(jobs[key])) for key in share]

        for key, value in self.in_shares(make_share, missing, parallel_from):
            found[key] = value
            if store is not None:
                store.put(key, value)
        return {key: found[key] for key in jobs}

    def write_outputs(self, jobs: Sequence[OutputJob], parallel_from: int = 16) -> None:
        keyed = [(job, f"{self.fingerprint}:{job.key}" if self.keep else "") for job in jobs]
        to_write = [
            (job, key)
            for job, key in keyed
            if not all(self.files.unchanged(path, key) for path in job.paths.values())
        ]
        files = self.files

        def write_share(share: list[tuple[OutputJob, str]]) -> list[tuple[str, Written | None]]:
            written = []
            for job, key in share:
                made = job.make()
                for name, path in job.paths.items():
                    written.append((path, files.write(path, made[name], key)))
            return written

        for path, record in self.in_shares(write_share, to_write, parallel_from):
            self.files.remember(path, record)

    def site_input(self, name: str, value: str) -> None:
        self.declared[name] = digest_of(value)
