"""The built sample site hangs together: essays listed, links and assets present, budget kept."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from letterpress.comments.thread import read_comments
from tests.site.pages import (
    html_files,
    indexed_text,
    indexed_urls,
    listed_from_home,
    published_on,
    soup_of,
    target_file,
    url_of,
)
from tests.support import TODAY

ESSAY_BUDGET_BYTES = 30 * 1024
# What the theme may add around each reader comment (meta line, permalink, reply link, nesting).
COMMENT_MARKUP_BUDGET_BYTES = 450
# Attributes that point at a page or an asset the browser will fetch or follow.
LINKING = {
    "a": "href",
    "link": "href",
    "script": "src",
    "img": "src",
    "source": "src",
    "form": "action",
}


@pytest.fixture(scope="module")
def essays(site):
    published = published_on(site.content, TODAY)
    assert len(published) >= 6, "the sample site should publish at least six essays"
    return published


def ids_in(path: Path) -> set[str]:
    return {tag["id"] for tag in soup_of(path).find_all(id=True)}


def test_every_published_essay_has_its_page(site, essays):
    for essay in essays:
        page = site.page(essay.url)
        assert page.is_file(), f"{essay.path.name}: no page at /{essay.url}"
        assert soup_of(page).h1.get_text(strip=True) == essay.title


def test_the_archive_lists_every_published_essay(site, essays):
    archive = soup_of(site.page("essays/"))
    listed = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in archive.select("main a[href]")}
    for essay in essays:
        assert essay.slug in listed, f"{essay.slug} is missing from the archive page"


def test_home_and_its_pagination_list_every_published_essay(site, essays):
    slugs, _ = listed_from_home(site.output)
    assert {e.slug for e in essays} <= set(slugs)
    # Newest first: the home page opens with the most recent essay.
    first = soup_of(site.page("")).select_one(".essay-summary h2 a")
    assert first.get_text(strip=True) == essays[-1].title


def test_archives_by_year_and_month_category_and_tag_pages_exist(site, essays):
    for essay in essays:
        for url in (
            f"essays/{essay.day:%Y}/",
            f"essays/{essay.day:%Y}/{essay.day:%m}/",
            f"category/{essay.category.lower()}/",
            *(f"tag/{tag.lower()}/" for tag in essay.tags),
        ):
            page = site.page(url)
            assert page.is_file(), f"no page at /{url} (for {essay.slug})"
            hrefs = [a["href"] for a in soup_of(page).select("main a[href]")]
            assert any(essay.slug in href for href in hrefs), f"/{url} does not list {essay.slug}"
    for index in ("category/", "tag/"):
        assert site.page(index).is_file()


def test_there_is_a_not_found_page(site):
    page = site.output / "404.html"
    assert page.is_file()
    assert soup_of(page).h1.get_text(strip=True)


def test_every_internal_link_and_asset_resolves(site):
    pages = html_files(site.output)
    assert len(pages) > 20
    broken, ids = [], {}
    for page in pages:
        page_url = url_of(site.output, page)
        for tag, attribute in LINKING.items():
            for element in soup_of(page).find_all(tag, attrs={attribute: True}):
                link = element[attribute]
                target = target_file(site.output, page_url, link)
                if target is None:
                    continue
                if not target.is_file():
                    broken.append(f"/{page_url}: {link} (no file {target})")
                    continue
                fragment = urlsplit(link).fragment
                if fragment and target.suffix == ".html":
                    ids.setdefault(target, ids_in(target))
                    if fragment not in ids[target]:
                        broken.append(f"/{page_url}: {link} (no element with id {fragment!r})")
    assert not broken, "broken links:\n" + "\n".join(broken)


def stylesheets_of(site, page: Path) -> list[Path]:
    links = soup_of(page).select('link[rel="stylesheet"][href]')
    return [target_file(site.output, url_of(site.output, page), link["href"]) for link in links]


def thread_of(page: Path):
    """The list of reader comments on an essay page, or None."""
    return soup_of(page).select_one(".comment-list")


def readers_words_bytes(comments) -> int:
    """Bytes that readers wrote: their names and comment bodies as rendered."""
    return sum(len(c.html.encode()) + len(c.author.encode()) for c in comments)


def test_essay_pages_stay_within_30_kb_of_html_and_css(site, essays):
    """The essay, the theme and every form fit in 30 KB of HTML and CSS.

    The comment thread grows with the conversation, which no theme can bound, so it is measured
    apart: what the theme adds around each comment is bounded by the next test."""
    for essay in essays:
        page = site.page(essay.url)
        css = stylesheets_of(site, page)
        assert css, f"{essay.slug}: no stylesheet linked"
        html_bytes, css_bytes = page.stat().st_size, sum(sheet.stat().st_size for sheet in css)
        thread = thread_of(page)
        thread_bytes = len(str(thread).encode()) if thread else 0
        assert html_bytes - thread_bytes + css_bytes <= ESSAY_BUDGET_BYTES, (
            f"{essay.slug}: {html_bytes} bytes of HTML ({thread_bytes} of them the comment "
            f"thread) + {css_bytes} of CSS = {html_bytes - thread_bytes + css_bytes} without "
            f"the thread, over the budget of {ESSAY_BUDGET_BYTES}"
        )


def test_the_theme_adds_little_around_each_comment(site, essays):
    comments = read_comments(site.content / "comments")
    threads = [(e, comments[e.slug]) for e in essays if comments.get(e.slug)]
    assert threads, "the sample site should have a comment thread"
    for essay, thread in threads:
        listing = thread_of(site.page(essay.url))
        overhead = len(str(listing).encode()) - readers_words_bytes(thread)
        assert overhead <= COMMENT_MARKUP_BUDGET_BYTES * len(thread), (
            f"{essay.slug}: {overhead} bytes of markup around {len(thread)} comments"
        )


def test_no_page_shows_a_dead_control(site):
    """Without JavaScript every button submits a form, every form goes somewhere, no link is '#'."""
    dead = []
    for page in html_files(site.output):
        soup, where = soup_of(page), url_of(site.output, page)
        for button in soup.find_all(["button", "input"]):
            kind = button.get("type", "submit" if button.name == "button" else "text")
            if (
                kind in {"submit", "image", "button", "reset"}
                and button.find_parent("form") is None
            ):
                dead.append(f"/{where}: a {kind} control outside any form")
        for form in soup.find_all("form"):
            if not form.get("action", "").strip():
                dead.append(f"/{where}: a form without an action")
        for link in soup.find_all("a"):
            if link.get("href", "").strip() in {"", "#"} and not link.get("id"):
                dead.append(f"/{where}: a link to nowhere: {link}")
    assert not dead, "\n".join(dead)


def test_the_search_index_holds_the_published_essays_and_nothing_else(site, essays):
    assert indexed_urls(site.output) == {f"/{essay.url}" for essay in essays}


def test_search_finds_an_essays_approved_comments_but_not_its_form_or_navigation(site, essays):
    essay = next(e for e in essays if e.slug == "generative-not-competitive")
    text = indexed_text(site.output)[f"/{essay.url}"]
    assert "We funded a third thing neither of them had asked for" in text  # an approved comment
    assert "Leave a Reply" not in text
    assert "awaiting moderation" not in text
