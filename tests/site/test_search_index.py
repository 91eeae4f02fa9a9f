"""plugins/search: Pagefind started once the essays' pages are written, waited for at the end of
the build, its failure a failed build; off unless SEARCH_INDEX (`invoke build` turns it on)."""

import gzip
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from letterpress.context_keys import BUILD_SERVICES, PluginOrderError
from pelicanconf import ARTICLE_SAVE_AS
from plugins.search.search import (
    MERGED_BUNDLES,
    SearchIndexError,
    check_order,
    finish_indexing,
    plan_bundles,
    start_indexing,
)

ESSAY = """<!doctype html><html lang="en"><head><title>On trust</title></head><body>
<nav>Home Essays Workshops</nav>
<article data-pagefind-body><h1>On trust</h1><p>Trust is built in small rooms.</p></article>
<ol data-pagefind-body><li>A reader's comment about small rooms.</li></ol>
</body></html>"""


def site_with_an_essay(output: Path) -> Path:
    page = output / "essays" / "2026" / "11" / "on-trust" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(ESSAY, "utf-8")
    return output


def generator(output: Path, on: bool = True):
    settings = {"SEARCH_INDEX": on, "ARTICLE_SAVE_AS": ARTICLE_SAVE_AS}
    return SimpleNamespace(settings=settings, output_path=str(output))


def indexed(output: Path) -> list[str]:
    texts = []
    for fragment in (output / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        texts.append(json.loads(data[data.index(b"{") :])["content"])
    return texts


def test_the_essays_are_indexed_fresh_while_the_build_goes_on(tmp_path):
    output = site_with_an_essay(tmp_path / "output")
    (output / "pagefind" / "fragment").mkdir(parents=True)
    (output / "pagefind" / "fragment" / "withdrawn.pf_fragment").write_bytes(b"old")
    start_indexing(generator(output), writer=None)
    finish_indexing(pelican=None)
    [text] = indexed(output)  # the withdrawn essay's fragment is gone
    assert "Trust is built in small rooms." in text
    assert "A reader's comment about small rooms." in text
    assert "Workshops" not in text


def test_a_failed_index_fails_the_build_naming_the_folder(tmp_path):
    output = site_with_an_essay(tmp_path / "output")
    (output / "pagefind").write_text("a file where the index folder goes", "utf-8")
    start_indexing(generator(output), writer=None)
    with pytest.raises(SearchIndexError, match=f"could not index {output}/"):
        finish_indexing(pelican=None)


def test_without_search_index_nothing_runs(tmp_path):
    output = site_with_an_essay(tmp_path / "output")
    start_indexing(generator(output, on=False), writer=None)
    finish_indexing(pelican=None)
    assert not (output / "pagefind").exists()


def test_search_must_come_after_engine_in_plugins():
    pelican = SimpleNamespace(settings={"PLUGINS": ["search", "build_engine"]})
    with pytest.raises(PluginOrderError, match="'search' before 'build_engine'"):
        check_order(pelican)
    check_order(SimpleNamespace(settings={"PLUGINS": ["build_engine", "search"]}))


class RecordedInputs:
    """Stands in for the build engine: what the plugin declares as a page input."""

    def __init__(self):
        self.inputs: dict[str, str] = {}

    def site_input(self, name: str, value: str) -> None:
        self.inputs[name] = value


def test_the_search_page_learns_the_bundles_and_the_engine_their_list():
    engine = RecordedInputs()
    essays = SimpleNamespace(
        articles=[object()] * 7,
        settings={"SEARCH_BATCH_PAGES": 3},
        context={BUILD_SERVICES: engine},
    )
    plan_bundles(essays)
    assert essays.context[MERGED_BUNDLES] == ["pagefind/batch-1/", "pagefind/batch-2/"]
    # A change in the list re-renders the pages that show it (the search page).
    assert engine.inputs["search"] == "pagefind/batch-1/\npagefind/batch-2/"
