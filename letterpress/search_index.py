"""What the search index covers and how it is made: one owner for both, read by the build's search
plugin and by `make serve`, which re-indexes in the background after a rebuild.

Pagefind holds every page it reads in memory until it writes the index (338 MiB at 1,000 essays,
1.36 GiB at 4,000), so the essays are indexed in batches of at most SEARCH_BATCH_PAGES pages, one
Pagefind run after another, each into a bundle of its own: the peak is one batch's, whatever the
site's size. The first batch's bundle is `pagefind/` (with the search page's code); batch k's is
`pagefind/batch-k/`, and the search page merges them (PagefindUI's mergeIndex).

`python letterpress/search_index.py SITE OUTPUT BATCH_PAGES GLOB` runs the batches (pagefind_command
builds it), one process for the caller to start, wait for or stop: a stopped one stops Pagefind.
"""

from __future__ import annotations

import math
import re
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

# Search covers the essays only: readers search what was written. Which files are essays' pages
# ARTICLE_SAVE_AS says (essay_glob); the archive listings beside them are not essays.

# The folder, under the output, holding the first batch's index and the search page's code.
BUNDLE = "pagefind"
# What the build does when the settings do not say.
DEFAULT_BATCH_PAGES = 500


def batch_count(pages: int, batch_pages: int) -> int:
    """How many bundles `pages` essays make: at least one, which carries the search page's code."""
    if batch_pages < 1:
        raise ValueError(f"SEARCH_BATCH_PAGES must be a whole number above 0, not {batch_pages!r}")
    return max(1, math.ceil(pages / batch_pages))


def later_bundle(batch: int) -> str:
    """The folder of batch `batch`'s bundle (1 or more) within the first bundle's folder."""
    return f"batch-{batch}"


def essay_glob(article_save_as: str) -> str:
    """The essays' pages as a glob, from Pelican's ARTICLE_SAVE_AS: each {field} one folder or name
    ('essays/{date:%Y}/{date:%m}/{slug}/index.html' gives 'essays/*/*/*/index.html')."""
    return re.sub(r"\{[^}]*\}", "*", article_save_as)


def essay_pages(site: Path, glob: str) -> list[str]:
    """The essays' pages of the built site (matching `glob`), relative to it, in a stable order."""
    return sorted(path.relative_to(site).as_posix() for path in site.glob(glob))


def batches(pages: Sequence[str], batch_pages: int) -> list[list[str]]:
    """`pages` cut into batch_count(...) runs of at most `batch_pages` (one empty batch if none)."""
    count = batch_count(len(pages), batch_pages)
    return [list(pages[k * batch_pages : (k + 1) * batch_pages]) for k in range(count)]


def glob_of(pages: Sequence[str]) -> str:
    """A Pagefind glob matching exactly `pages` (for none, every essay page: none, and Pagefind
    says it found nothing to index, as it always has on a site without essays)."""
    if not pages:
        return "essays/**/*.html"
    return "{" + ",".join(pages) + "}"


def batch_command(site: Path, pages: Sequence[str], output: Path) -> list[str]:
    """Pagefind over `pages` of the built site in `site`, its bundle written to `output`."""
    return [
        *(sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob_of(pages)),
        *("--output-path", str(output), "--quiet"),
    ]


def pagefind_command(site: Path, output: Path, batch_pages: int, glob: str) -> list[str]:
    """The whole index of the essays' pages (`glob`) of the built site in `site`, every batch one
    after another, into `output` (`site`/BUNDLE for a build): one process, to wait for or stop."""
    # This file by its path, not `-m`: the caller's working folder need not be the project's.
    return [sys.executable, __file__, str(site), str(output), str(batch_pages), glob]


def index_in_batches(site: Path, output: Path, batch_pages: int, glob: str) -> int:
    """Run Pagefind batch after batch; the exit status of the first that fails, else 0."""
    running: list[subprocess.Popen[bytes]] = []

    def stop(signum, frame):  # stopped (make serve saw another edit): stop Pagefind too
        for process in running:
            process.terminate()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    for k, pages in enumerate(batches(essay_pages(site, glob), batch_pages)):
        folder = output if k == 0 else output / later_bundle(k)
        running[:] = [subprocess.Popen(batch_command(site, pages, folder))]
        code = running[0].wait()
        if code:
            print(
                f"Pagefind failed on batch {k + 1} ({pages[0] if pages else 'no essays'} …)",
                file=sys.stderr,
            )
            return code
    return 0


def main(argv: Sequence[str]) -> int:
    site, output, batch_pages, glob = argv
    return index_in_batches(Path(site), Path(output), int(batch_pages), glob)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
