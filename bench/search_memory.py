"""Pagefind's peak memory, all essays in one run against in batches (letterpress/search_index.py).

A measurement, not a test: `python -m bench.search_memory 1000 2000` writes essay pages shaped
like the theme's (bench/corpus.py's text, rendered by Markdown, inside data-pagefind-body, with a
navigation bar and comments around it) and indexes them both ways, printing each run's peak
resident memory. The batched peak should stay flat as the essays grow; the single run's grows.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

import markdown

from bench.corpus import essay_body, paragraph
from bench.processes import measure
from letterpress.search_index import (
    DEFAULT_BATCH_PAGES,
    batch_command,
    essay_glob,
    pagefind_command,
)
from pelicanconf import ARTICLE_SAVE_AS

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav><a href="/">Home</a> <a href="/essays/">Essays</a> <a href="/search/">Search</a></nav>
<main><article data-pagefind-body><h1>{title}</h1>{body}</article>
<ol data-pagefind-body>{comments}</ol></main><footer>{footer}</footer></body></html>"""


def write_site(site: Path, essays: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    day = dt.date(2020, 1, 1)
    for n in range(essays):
        date = day + dt.timedelta(days=n)
        page = site / "essays" / f"{date:%Y}" / f"{date:%m}" / f"essay-{n}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        comments = "".join(f"<li>{paragraph(rng, 2)}</li>" for _ in range(rng.randint(0, 4)))
        body = markdown.markdown(essay_body(rng, []), extensions=["fenced_code"])
        page.write_text(
            PAGE.format(title=f"Essay {n}", body=body, comments=comments, footer="Letterpress"),
            "utf-8",
        )


def measured(args: list[str], cwd: Path) -> str:
    """Peak resident memory (the largest of the tree's processes), wall and CPU seconds."""
    run = measure(args, dict(os.environ), cwd)
    peak = max(run.peaks_mb.get("pagefind", 0.0), run.peak_rss_mb)
    return f"{peak:.0f} MiB, {run.wall_s:.1f} s wall, {run.cpu_s:.1f} s CPU"


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000, 2000]
    print(f"load: {os.getloadavg()}; batches of {DEFAULT_BATCH_PAGES} pages")
    for essays in sizes:
        site = Path(tempfile.mkdtemp(prefix="search-memory-"))
        try:
            write_site(site, essays)
            one = measured(batch_command(site, [], site / "one"), site)
            batched = measured(
                pagefind_command(
                    site, site / "batched", DEFAULT_BATCH_PAGES, essay_glob(ARTICLE_SAVE_AS)
                ),
                site,
            )
            print(f"{essays} essays: one run {one}; in batches {batched}")
        finally:
            shutil.rmtree(site)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
