"""make serve's background re-index (commands/serve.py, SearchIndex) cuts the essays into the same
batches as the build: each its own bundle under the new output/pagefind, swapped in when done."""

import threading

from commands.serve import SearchIndex
from letterpress.search_index import essay_glob
from pelicanconf import ARTICLE_SAVE_AS
from tests.site.test_search_index import ESSAY


def test_the_background_index_is_made_in_batches_and_swapped_in(tmp_path):
    output = tmp_path / "output"
    for slug in ("one", "two", "three"):
        page = output / "essays" / "2026" / "11" / slug / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(ESSAY.replace("On trust", f"On {slug}"), "utf-8")
    (output / "pagefind").mkdir()
    (output / "pagefind" / "stale.js").write_text("// the last index", "utf-8")
    done = threading.Event()
    changed: list[str] = []

    def on_done(paths: list[str]) -> None:
        changed.extend(paths)
        done.set()

    search = SearchIndex(
        output, tmp_path / "work", on_done, batch_pages=2, glob=essay_glob(ARTICLE_SAVE_AS)
    )
    search.refresh()
    assert done.wait(120), "the background index never finished"
    assert (output / "pagefind" / "pagefind-entry.json").is_file()
    assert (output / "pagefind" / "batch-1" / "pagefind-entry.json").is_file()
    assert not (output / "pagefind" / "batch-2").exists()
    assert not (output / "pagefind" / "stale.js").exists()
    assert "pagefind/batch-1/pagefind-entry.json" in changed
