"""What the build engine does for a feature, and the plain way when there is no engine.

Features (comments, feeds, the newsletter, related essays) never import the engine
(letterpress/engine): they find its services in Pelican's context under
`context_keys.BUILD_SERVICES` (`services_in(context)`) and hand it what to remember, what to write
and what every page may show. Without the engine plugin they get `PlainServices`: everything made
every time, in this process, so each feature reads, runs and is tested without the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from letterpress.context_keys import BUILD_SERVICES

Value = TypeVar("Value")
Job = TypeVar("Job")


@dataclass(frozen=True)
class OutputJob:
    """Files of the output folder made together from inputs summed up in `key`."""

    key: str  # a digest of everything `make` reads: the same key, the same bytes
    paths: Mapping[str, str]  # a name for each file (say "atom") -> its path
    make: Callable[[], Mapping[str, bytes]]  # the same names -> the files' bytes


class BuildServices(Protocol):
    def remember(self, kind: str, key: str, make: Callable[[], Value]) -> Value:
        """`make()`, or what it returned in an earlier build for the same `key` (a digest of
        every input `make` reads; the engine adds the settings, code and date)."""
        ...

    def remember_each(
        self,
        kind: str,
        jobs: Mapping[str, Job],
        make: Callable[[Job], Value],
        parallel_from: int = 16,
    ) -> dict[str, Value]:
        """`make(job)` for each key of `jobs`, or what it returned before for that key; those to
        make are shared among the build's processes when there are `parallel_from` or more."""
        ...

    def write_outputs(self, jobs: Sequence[OutputJob], parallel_from: int = 16) -> None:
        """Write each job's files, unless they already hold what its key made."""
        ...

    def site_input(self, name: str, value: str) -> None:
        """Declare a fact any page may show (say, which feeds exist), as text or a digest of it:
        pages are rendered again when it changes."""
        ...


class PlainServices:
    """No engine: everything made each time, in this process."""

    def remember(self, kind: str, key: str, make: Callable[[], Value]) -> Value:
        return make()

    def remember_each(
        self,
        kind: str,
        jobs: Mapping[str, Job],
        make: Callable[[Job], Value],
        parallel_from: int = 16,
    ) -> dict[str, Value]:
        return {key: make(job) for key, job in jobs.items()}

    def write_outputs(self, jobs: Sequence[OutputJob], parallel_from: int = 16) -> None:
        for job in jobs:
            write_job(job)

    def site_input(self, name: str, value: str) -> None:
        pass


def write_job(job: OutputJob) -> None:
    """Write every file of `job`, as made."""
    made = job.make()
    for name, path in job.paths.items():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(made[name])


def services_in(context: Mapping[str, Any]) -> BuildServices:
    """The engine's services for this build, or the plain ones."""
    found = context.get(BUILD_SERVICES)
    return found if found is not None else PlainServices()
