"""An essay's or a workshop's outline: what pages other than its own show of it.

When an edit leaves the outline alone (a body changed, a typo fixed), only the file's own page
needs rendering before the author sees it; when the outline changes (a title, a date, tags, a
summary, the reading time), listings, feeds and neighbours change too, and the complete rebuild
is the only honest answer.
"""

from __future__ import annotations

from collections.abc import Mapping


def outline_changes(before: Mapping[str, object], after: Mapping[str, object]) -> list[str]:
    """The names whose values differ between two outlines (a name missing on one side differs)."""
    names = before.keys() | after.keys()
    missing = object()
    return sorted(n for n in names if before.get(n, missing) != after.get(n, missing))
