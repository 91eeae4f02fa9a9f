"""What the search index covers and the command that makes it: one owner for both, read by the
build's search plugin and by `make serve`, which re-indexes in the background after a rebuild."""

from __future__ import annotations

import sys
from pathlib import Path

# Search covers the essays only: readers search what was written, and Pagefind's memory grows with
# every page it reads (the archive listings under essays/ lack data-pagefind-body: it skips them).
SEARCH_GLOB = "essays/**/*.html"
# The folder, under the site's output, that holds the index and the search page's code.
BUNDLE = "pagefind"


def pagefind_command(site: Path) -> list[str]:
    """Pagefind over the essays' pages of the built site in `site`."""
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", SEARCH_GLOB, "--quiet"]
