"""What an import did, counted as it goes, and shown at the end as rich tables."""

from collections import Counter
from dataclasses import dataclass, field

from rich.console import Group
from rich.table import Table
from rich.text import Text


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
            counts = (self.written[kind], self.overwritten[kind], self.unchanged[kind])
            files.add_row(kind, *map(str, counts))
        skipped = Table(title="Skipped", show_header=True)
        skipped.add_column("What")
        skipped.add_column("Why")
        skipped.add_column("How many", justify="right")
        for (what, why), count in sorted(self.skipped.items()):
            skipped.add_row(what, why, str(count))
        parts: list = [imported, files, skipped]
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
