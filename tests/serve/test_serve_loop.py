"""`make serve`: the site served with its own 404 page, and every edit an author makes (an
essay, a comment, a workshop) reaching the open page as a reload, fast, with the served HTML
changed, and output/ left equal to a clean build once the loop has caught up."""

from __future__ import annotations

import queue
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.serve.loop import Events, ServeProcess
from tests.support import build_env, copy_content, run_invoke

ESSAY = "essays/slack-is-not-waste.md"  # inside the content folder
ESSAY_PAGE = "/essays/2026/10/slack-is-not-waste/index.html"
COMMENTED_PAGE = "/essays/2026/09/generative-not-competitive/index.html"
WORKSHOP = "workshops/the-arc.md"
WORKSHOP_PAGE = "/workshops/the-arc/index.html"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    base = tmp_path_factory.mktemp("serve")
    content = copy_content(base / "content")
    loop = ServeProcess(content, base / "output", base / "build")
    yield loop, content
    loop.stop()


def fetch(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.read().decode(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode(), dict(error.headers)


def page_url(base: str, file: str) -> str:
    return base + file.removesuffix("index.html")


def test_pages_are_served_with_the_reload_script_and_files_on_disk_stay_as_built(served):
    loop, _ = served
    status, html, headers = fetch(page_url(loop.url, ESSAY_PAGE))
    assert status == 200
    assert headers["Cache-Control"] == "no-store"
    assert '<script src="/__letterpress/reload.js" defer></script></body>' in html
    on_disk = (loop.output / ESSAY_PAGE.lstrip("/")).read_text("utf-8")
    assert "__letterpress" not in on_disk
    status, script, _ = fetch(loop.url + "/__letterpress/reload.js")
    assert status == 200 and "EventSource" in script


def test_a_missing_page_gets_the_sites_own_404_page_with_status_404(served):
    loop, _ = served
    status, html, _ = fetch(loop.url + "/essays/no-such-essay/")
    assert status == 404
    assert "Page not found" in html
    assert html.replace('<script src="/__letterpress/reload.js" defer></script>', "") == (
        (loop.output / "404.html").read_text("utf-8")
    )
    status, _, _ = fetch(loop.url + "/../pelicanconf.py")
    assert status == 404


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8").rstrip("\n") + "\n\n" + text + "\n", "utf-8")


def edit_reaches_the_page(loop: ServeProcess, events: Events, edit, page: str, text: str) -> None:
    """Make `edit`; the fast path's event names `page` first, and its served HTML shows `text`;
    the complete rebuild that follows does not name it again (same bytes as the fast path)."""
    edit()
    first = events.changed_paths()
    assert page in first
    assert text in fetch(page_url(loop.url, page))[1]
    loop.wait_for("Rendered")
    loop.wait_for("Built in")
    # The rebuild's event is published before "Built in" is printed, but reaches this client's
    # thread a moment later: gather events until a second passes without one.
    later = []
    while True:
        try:
            later += events.changed_paths(timeout=1)
        except queue.Empty:
            break
    assert page not in later, "the complete rebuild wrote other bytes than the fast path"


def new_comment_text(model: Path, body: str) -> str:
    """A comment file like `model` (its author and headers), with another id, date and text."""
    headers = model.read_text("utf-8").split("\n\n", 1)[0].splitlines()
    kept = [h for h in headers if not h.startswith(("Id:", "Date:", "Reply-To:"))]
    return "\n".join(["Id: 20261120-0900-zz9a", "Date: 2026-11-20T09:00:00-08:00", *kept]) + (
        f"\n\n{body}\n"
    )


def test_edits_to_an_essay_a_comment_a_new_comment_and_a_workshop_reload_their_pages(served):
    loop, content = served
    events = Events(loop.url)
    try:
        essay_text = "A sentence the loop must show at once."
        edit_reaches_the_page(
            loop, events, lambda: append(content / ESSAY, essay_text),
            ESSAY_PAGE, essay_text,
        )  # fmt: skip
        comment = sorted((content / "comments" / "generative-not-competitive").glob("*.md"))[0]
        comment_text = "An approved comment, corrected."
        edit_reaches_the_page(
            loop, events, lambda: append(comment, comment_text), COMMENTED_PAGE, comment_text
        )
        new_comment = comment.parent / "20261120-0900-zz9a.md"
        reply = "A new comment, approved while the page is open."
        edit_reaches_the_page(
            loop, events, lambda: new_comment.write_text(new_comment_text(comment, reply), "utf-8"),
            COMMENTED_PAGE, reply,
        )  # fmt: skip
        workshop_text = "Bring a notebook to the second day."
        edit_reaches_the_page(
            loop, events, lambda: append(content / WORKSHOP, workshop_text),
            WORKSHOP_PAGE, workshop_text,
        )  # fmt: skip
    finally:
        events.close()


def test_a_changed_outline_takes_the_complete_rebuild_and_reloads_listings(served):
    loop, content = served
    events = Events(loop.url)
    try:
        essay = content / ESSAY
        essay.write_text(
            essay.read_text("utf-8").replace("Title: ", "Title: Renamed: ", 1), "utf-8"
        )
        paths = events.changed_paths()
        assert ESSAY_PAGE in paths and "/index.html" in paths  # the home page lists it
        line = loop.wait_for("Built in")
        assert not any("Rendered" in seen for seen in loop.seen[-3:]), line
    finally:
        events.close()


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] != "pagefind"
    }


def test_after_the_edits_the_output_equals_a_clean_build(served, tmp_path):
    loop, content = served
    # Runs after the edits above (file order): whatever they left is compared.
    clean = tmp_path / "clean"
    args = ["build", "--no-search", "--content", str(content), "--output", str(clean / "output")]
    result = run_invoke(*args, env=build_env(clean / "build"), timeout=300)
    assert result.returncode == 0, result.stderr
    served_tree, clean_tree = tree(loop.output), tree(clean / "output")
    assert sorted(served_tree) == sorted(clean_tree)
    different = [name for name in clean_tree if served_tree[name] != clean_tree[name]]
    assert different == []


@pytest.mark.browser
def test_the_reload_script_reloads_an_open_page_by_itself(served, page):
    pytest.importorskip("playwright")
    loop, content = served
    page.goto(page_url(loop.url, ESSAY_PAGE))
    page.wait_for_function("() => performance.getEntriesByType('resource').length > 0")
    page.wait_for_timeout(300)  # the event stream is open
    text = "Seen in the browser without pressing reload."
    append(content / ESSAY, text)
    page.wait_for_function(f"() => document.body.innerText.includes({text!r})", timeout=15000)
    loop.wait_for("Built in")
