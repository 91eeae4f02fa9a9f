"""The search index in batches (letterpress/search_index.py): with SEARCH_BATCH_PAGES = 2 the
sample site's essays make several Pagefind bundles, the search page lists the ones to merge, and
a search in Chromium still finds an essay that only the last bundle holds."""

import html
import json
import re

import pytest

from letterpress.search_index import batch_count, batches, essay_glob, essay_pages
from pelicanconf import ARTICLE_SAVE_AS
from tests.support import ROOT, Site, run_build, serve_directory

BATCH_PAGES = 2
ESSAYS = essay_glob(ARTICLE_SAVE_AS)
SETTINGS = f"""# The repository's settings with tiny search batches, for one test build.
import sys

sys.path.insert(0, {str(ROOT)!r})
from pelicanconf import *  # noqa: F403

THEME = {str(ROOT / "theme")!r}
PLUGIN_PATHS = [{str(ROOT / "plugins")!r}]
SEARCH_BATCH_PAGES = {BATCH_PAGES}
"""


@pytest.fixture(scope="module")
def batched_site(tmp_path_factory) -> Site:
    base = tmp_path_factory.mktemp("search-batches")
    settings = base / "search_settings.py"
    settings.write_text(SETTINGS, "utf-8")
    built = Site(content=ROOT / "content", output=base / "output", build=base / "build")
    result = run_build(built.content, built.output, built.build, settings=str(settings))
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return built


def merged_bundles(site: Site) -> list[str]:
    search_page = site.page("search/").read_text("utf-8")
    [listed] = re.findall(r'data-merge-bundles="([^"]*)"', search_page)
    return html.unescape(listed).split()


def test_batches_cut_the_essays_in_order_and_never_to_nothing():
    assert batches(["a", "b", "c", "d", "e"], 2) == [["a", "b"], ["c", "d"], ["e"]]
    assert batches([], 2) == [[]]  # one bundle still: it carries the search page's code
    assert batch_count(4, 2) == 2
    assert essay_glob("essays/{date:%Y}/{date:%m}/{slug}/index.html") == "essays/*/*/*/index.html"
    with pytest.raises(ValueError, match="SEARCH_BATCH_PAGES"):
        batch_count(4, 0)


def test_each_batch_is_a_bundle_the_search_page_merges(batched_site):
    pages = essay_pages(batched_site.output, ESSAYS)
    count = batch_count(len(pages), BATCH_PAGES)
    assert count >= 3
    # Relative to the search page (SITEURL is relative in development).
    merged = merged_bundles(batched_site)
    assert merged == [f"../pagefind/batch-{k}/" for k in range(1, count)]
    indexed = 0
    for bundle in ["pagefind/", *(b.removeprefix("../") for b in merged)]:
        entry = json.loads((batched_site.output / bundle / "pagefind-entry.json").read_text())
        indexed += sum(language["page_count"] for language in entry["languages"].values())
    assert indexed == len(pages)


@pytest.mark.browser
def test_search_finds_an_essay_only_the_last_bundle_holds(batched_site, new_page):
    last = essay_pages(batched_site.output, ESSAYS)[-1]
    title = re.search(r"<h1[^>]*>([^<]+)</h1>", batched_site.output.joinpath(last).read_text())
    word = max(html.unescape(title[1]).split(), key=len)
    url_path = last.removesuffix("index.html")
    with serve_directory(batched_site.output) as url:
        page = new_page()
        page.goto(f"{url}/search/?q={word}")
        found = page.locator(f'.pagefind-ui__result-link[href$="/{url_path}"]')
        found.first.wait_for(timeout=10_000)
