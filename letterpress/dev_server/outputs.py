"""Which output files a build changed: a snapshot of the folder's sizes and times, and the diff.

Stat, not read: a thousand-essay site has thousands of files, and a rebuild that writes only what
changed leaves the others' modification times alone.
"""

from __future__ import annotations

import os
from pathlib import Path

Snapshot = dict[str, tuple[int, int]]


def snapshot(folder: Path, skip: tuple[str, ...] = ()) -> Snapshot:
    """Every file under `folder` ('/'-separated relative path -> (size, mtime_ns)), leaving out
    the top-level entries named in `skip`."""
    found: Snapshot = {}
    if not folder.is_dir():
        return found
    root = str(folder)
    for here, dirs, files in os.walk(root):
        if here == root:
            dirs[:] = [d for d in dirs if d not in skip]
        relative = os.path.relpath(here, root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        for name in files:
            if here == root and name in skip:
                continue
            try:
                facts = os.stat(os.path.join(here, name))
            except FileNotFoundError:  # removed while we looked
                continue
            found[prefix + name] = (facts.st_size, facts.st_mtime_ns)
    return found


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, removed or rewritten between two snapshots, sorted."""
    names = before.keys() | after.keys()
    return sorted(name for name in names if before.get(name) != after.get(name))
