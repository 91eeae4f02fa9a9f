"""What an import did, counted as it goes, and shown at the end as rich tables."""

from collections import Counter
from dataclasses import dataclass, field

from rich.console import Group
from rich.table import Table
from rich.text import Text


@dataclass(frozen=True)
class Note:
    """Something the author should fix later, in a file the import wrote: never a build stop."""

    file: str  # content-relative
    line: int  # 0 when the whole file is meant
    what: str
    todo: str

    def __str__(self) -> str:
        where = f"{self.file}: line {self.line}" if self.line else self.file
        return f"{where}: {self.what}; {self.todo}"


@dataclass
class Report:
    dry_run: bool = False
    imported: Counter = field(default_factory=Counter)  # essays, drafts, pages, comments
    skipped: Counter = field(default_factory=Counter)  # (what, reason) -> how many
    written: Counter = field(default_factory=Counter)  # kind of file -> new files
    overwritten: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    kept: list[str] = field(default_factory=list)  # differing files left alone (no --force)
    missing_uploads: list[str] = field(default_factory=list)
    unknown_shortcodes: Counter = field(default_factory=Counter)
    redirects_added: int = 0
    redirects_total: int = 0
    redirects_kept: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # to fix later, with file and line
    repairs: list[str] = field(default_factory=list)  # defects of the XML mended while reading
    redacted: Counter = field(default_factory=Counter)  # in comments: "e-mail addresses", ...
    removed_links: Counter = field(default_factory=Counter)  # scheme -> links taken out of posts
    refused: list[str] = field(default_factory=list)  # paths that would leave content/
    downloaded: int = 0
    not_downloaded: list[str] = field(default_factory=list)  # "url: why"

    @property
    def files_written(self) -> int:
        return sum(self.written.values()) + sum(self.overwritten.values())

    def render(self) -> Group:
        """The report as tables for a rich Console."""
        title = "Import (dry run: nothing written)" if self.dry_run else "Import"
        imported = Table(title=title, show_header=False)
        for key in ("essays", "drafts", "pages", "comments"):
            imported.add_row(key.capitalize(), str(self.imported[key]))
        files = Table(title="Files", show_header=True)
        files.add_column("Kind")
        for column in ("new", "overwritten", "unchanged"):
            files.add_column(column.capitalize(), justify="right")
        kinds = sorted({*self.written, *self.overwritten, *self.unchanged})
        for kind in kinds:
            numbers = (self.written[kind], self.overwritten[kind], self.unchanged[kind])
            files.add_row(kind, *map(str, numbers))
        skipped = Table(title="Skipped", show_header=True)
        skipped.add_column("What")
        skipped.add_column("Why")
        skipped.add_column("How many", justify="right")
        for (what, why), count in sorted(self.skipped.items()):
            skipped.add_row(what, why, str(count))
        parts: list = [imported, files, skipped]
        parts += _listing("The export had defects, mended while reading", self.repairs)
        if self.redacted:
            counts = ", ".join(f"{n} {what}" for what, n in sorted(self.redacted.items()))
            parts.append(Text(f"Removed from comments (privacy): {counts}"))
        if self.removed_links:
            counts = ", ".join(f"{n} {scheme}:" for scheme, n in sorted(self.removed_links.items()))
            parts.append(
                Text(
                    "Links and sources removed from posts (not http(s), mailto or relative): "
                    + counts
                )
            )
        parts.append(
            Text(
                f"Redirects: {self.redirects_added} new, {self.redirects_total} in the table "
                "(content/redirects.csv)"
            )
        )
        parts += _listing("Kept as they are (they differ; --force overwrites)", self.kept)
        parts += _listing(
            "Redirects kept as the table has them (--force replaces)",
            [f"{source} -> {old} (the export: {new})" for source, old, new in self.redirects_kept],
        )
        parts += _listing("Uploads not found (kept as absolute URLs)", self.missing_uploads)
        if self.downloaded:
            parts.append(Text(f"Media downloaded: {self.downloaded}"))
        parts += _listing("Media that could not be downloaded", self.not_downloaded)
        parts += _listing("Refused: these paths lie outside content/ once decoded", self.refused)
        parts += _listing(
            "To fix later (none stops the build; the build's content checks list them too)",
            [str(note) for note in self.notes],
            limit=200,
        )
        parts += _listing(
            "Shortcodes left as text",
            [f"[{name}] x {n}" for name, n in sorted(self.unknown_shortcodes.items())],
        )
        return Group(*parts)


def _listing(title: str, lines: list[str], limit: int = 50) -> list[Text]:
    if not lines:
        return []
    shown = lines[:limit]
    more = [f"… and {len(lines) - limit} more"] if len(lines) > limit else []
    return [Text(f"{title}:", style="bold"), *(Text(f"  {line}") for line in [*shown, *more])]
