"""The search index (Pagefind), made while Pelican writes the rest of the site.

`invoke build` turns it on (`pelican -e SEARCH_INDEX=true`); `make serve`'s rebuilds and plain
`pelican` leave it off. Pagefind reads only the essays' pages (letterpress/search_index.py), and
within them what the theme marks data-pagefind-body: an essay's text and its approved comments.
It reads them in batches of at most SEARCH_BATCH_PAGES, one bundle each, so its memory does not
grow with the site; once the essays are known this plugin tells the search page which bundles to
merge (SEARCH_MERGED_BUNDLES), a fact declared to the build engine like any other page input.
Those pages are all on disk once the essays' generator is done (article_writer_finalized, after
build_engine has rendered the pages it kept aside: hence this plugin after it in PLUGINS), so
Pagefind starts then, in its own process, while the feeds, the newsletter and the other pages
are written; the build waits for it at the end and fails, with a message, if it failed.
"""

import shutil
import subprocess
from pathlib import Path

from pelican import signals

from letterpress.build_services import services_in
from letterpress.context_keys import check_plugin_order
from letterpress.errors import LetterpressError
from letterpress.search_index import (
    BUNDLE,
    DEFAULT_BATCH_PAGES,
    batch_count,
    essay_glob,
    later_bundle,
    pagefind_command,
)

# The context key the search page reads: the bundles after the first, relative to the site.
MERGED_BUNDLES = "SEARCH_MERGED_BUNDLES"


class SearchIndexError(LetterpressError):
    """Pagefind failed; the build stops and says so."""


class Indexer:
    """The Pagefind process of the build under way (one build at a time in a process)."""

    running: subprocess.Popen | None = None
    output: Path | None = None


def batch_pages(settings) -> int:
    return settings.get("SEARCH_BATCH_PAGES", DEFAULT_BATCH_PAGES)


def plan_bundles(generator) -> None:
    """The bundles the index will have, known from the essays before any page is written: on
    even with SEARCH_INDEX off, since `make serve` indexes in the background the same way."""
    count = batch_count(len(generator.articles), batch_pages(generator.settings))
    merged = [f"{BUNDLE}/{later_bundle(k)}/" for k in range(1, count)]
    generator.context[MERGED_BUNDLES] = merged
    services_in(generator.context).site_input("search", "\n".join(merged))


def start_indexing(generator, writer) -> None:
    if not generator.settings.get("SEARCH_INDEX"):
        return
    output = Path(generator.output_path)
    # A fresh index each build: Pagefind leaves old fragments behind (a withdrawn essay's text).
    shutil.rmtree(output / BUNDLE, ignore_errors=True)
    Indexer.output = output
    Indexer.running = subprocess.Popen(
        pagefind_command(
            output,
            output / BUNDLE,
            batch_pages(generator.settings),
            essay_glob(generator.settings["ARTICLE_SAVE_AS"]),
        )
    )


def finish_indexing(pelican) -> None:
    running, Indexer.running = Indexer.running, None
    if running is None:
        return
    code = running.wait()
    if code:
        raise SearchIndexError(
            f"Pagefind could not index {Indexer.output}/ for search (exit status {code}): "
            "see its message above."
        )


def check_order(pelican) -> None:
    # The essays' pages are written by the engine's own article_writer_finalized handler;
    # handlers of one signal run in the order of PLUGINS.
    check_plugin_order(pelican.settings["PLUGINS"], "search", ("build_engine",))


def register():
    signals.initialized.connect(check_order)
    signals.article_generator_finalized.connect(plan_bundles)
    signals.article_writer_finalized.connect(start_indexing)
    signals.finalized.connect(finish_indexing)
