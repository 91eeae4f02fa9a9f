"""The search index (Pagefind), made while Pelican writes the rest of the site.

`invoke build` turns it on (`pelican -e SEARCH_INDEX=true`); `make serve`'s rebuilds and plain
`pelican` leave it off. Pagefind reads only the essays' pages (letterpress/search_index.py), and
within them what the theme marks data-pagefind-body: an essay's text and its approved comments.
Those pages are all on disk once the essays' generator is done (article_writer_finalized, after
build_engine has rendered the pages it kept aside: hence this plugin after it in PLUGINS), so
Pagefind starts then, in its own process, while the feeds, the newsletter and the other pages
are written; the build waits for it at the end and fails, with a message, if it failed.
"""

import shutil
import subprocess
from pathlib import Path

from pelican import signals

from letterpress.context_keys import check_plugin_order
from letterpress.errors import LetterpressError
from letterpress.search_index import BUNDLE, pagefind_command


class SearchIndexError(LetterpressError):
    """Pagefind failed; the build stops and says so."""


class Indexer:
    """The Pagefind process of the build under way (one build at a time in a process)."""

    running: subprocess.Popen | None = None
    output: Path | None = None


def start_indexing(generator, writer) -> None:
    if not generator.settings.get("SEARCH_INDEX"):
        return
    output = Path(generator.output_path)
    # A fresh index each build: Pagefind leaves old fragments behind (a withdrawn essay's text).
    shutil.rmtree(output / BUNDLE, ignore_errors=True)
    Indexer.output = output
    Indexer.running = subprocess.Popen(pagefind_command(output))


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
    signals.article_writer_finalized.connect(start_indexing)
    signals.finalized.connect(finish_indexing)
