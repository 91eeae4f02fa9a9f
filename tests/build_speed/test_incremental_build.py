"""A build that reuses the cache (BUILD_PATH/cache) writes exactly what a clean build writes.

Speed lives in bench/; here only identity: the benchmark corpus is built, then edited the ways an
author edits (an essay's body, a new essay, one scheduled for later, one deleted with its
comments, a comment added and one removed), built again over the same cache, and compared byte
for byte with a clean build of the same sources. A changed setting must show on every page.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import corpus
from tests.support import build_env, copy_content, run_invoke

ESSAYS = 14
ROOT = Path(__file__).resolve().parents[2]

# One Pelican kept alive as `pelican --autoreload` keeps it (`make serve`): a build, then another
# each time a line comes on stdin, "built" printed after each.
SERVE_LOOP = """
import sys
from pelican import get_instance, parse_arguments

content, output = sys.argv[1:3]
arguments = parse_arguments([content, "-s", "pelicanconf.py", "-o", output, "-q"])
pelican, _ = get_instance(arguments)
pelican.run()
print("built", flush=True)
for _line in sys.stdin:
    pelican.run()
    print("built", flush=True)
"""


def build(content: Path, output: Path, cache_home: Path, settings: str = "pelicanconf.py"):
    args = ["build", "--no-search", "--settings", settings]
    result = run_invoke(
        *args,
        "--output",
        str(output),
        "--content",
        str(content),
        env=build_env(cache_home),
        timeout=600,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "cache" not in path.relative_to(folder).parts
    }


def assert_same_tree(incremental: Path, clean: Path) -> None:
    ours, theirs = tree(incremental), tree(clean)
    assert sorted(ours) == sorted(theirs), "different files"
    differing = [name for name in ours if ours[name] != theirs[name]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"


def essays(content: Path) -> list[Path]:
    return sorted((content / "essays").rglob("*.md"))


def edit_a_body_and_the_comments(content: Path) -> None:
    """Edits that change no title, address or listing: most pages come from the cache."""
    with essays(content)[3].open("a", encoding="utf-8") as text:
        text.write("\nA new closing paragraph, written while previewing the site.\n")
    thread = sorted((content / "comments").iterdir())[0]
    sorted(thread.glob("*.md"))[-1].unlink()
    (thread / "20260101-0000-zz99.md").write_text(
        "Id: 20260101-0000-zz99\nAuthor: Karl Ames\nDate: 2026-01-01T00:00:00-08:00\n\n"
        "A late comment.\n",
        "utf-8",
    )


def add_schedule_and_delete_essays(content: Path) -> None:
    written = essays(content)
    # Essays link only to earlier ones: the newest two can go without breaking a link.
    deleted, scheduled = written[-1], written[-2]
    text = scheduled.read_text("utf-8").replace("Date: ", "Date: 2027-01-05 09:00\nOld-Date: ", 1)
    scheduled.write_text(text, "utf-8")
    deleted.unlink()
    shutil.rmtree(content / "comments" / deleted.stem)
    new = content / "essays" / "2026" / "a-new-essay.md"
    new.parent.mkdir(parents=True, exist_ok=True)
    new.write_text(
        "Title: A new essay\nDate: 2026-06-20 08:00\nCategory: Craft\nTags: focus, trust\n"
        "Slug: a-new-essay\nSummary: Written today.\n\nIts first paragraph.\n",
        "utf-8",
    )


def cached_pages(cache_home: Path) -> set[str]:
    return {p.name for p in (cache_home / "cache" / "pages").glob("*.html")}


@pytest.fixture
def content(tmp_path) -> Path:
    return corpus.generate(tmp_path / "content", ESSAYS, seed=3)


def test_an_edited_site_built_over_the_cache_equals_a_clean_build(content, tmp_path):
    cached, output = tmp_path / "cached", tmp_path / "incremental"
    build(content, output, cached)
    first = cached_pages(cached)
    for number, edit in enumerate((edit_a_body_and_the_comments, add_schedule_and_delete_essays)):
        edit(content)
        build(content, output, cached)
        clean = tmp_path / f"clean-{number}"
        build(content, clean / "output", clean)
        assert_same_tree(output, clean / "output")
        assert_same_tree(cached / "newsletter", clean / "newsletter")
        if edit is edit_a_body_and_the_comments:
            # Most pages were not rendered again: their cached HTML served.
            assert len(first & cached_pages(cached)) > len(first) // 2


def test_a_changed_setting_shows_on_every_page_built_over_the_cache(content, tmp_path):
    cached = tmp_path / "cached"
    build(content, tmp_path / "before", cached)
    settings = tmp_path / "changed_settings.py"
    root = Path(__file__).resolve().parents[2]
    settings.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(root)!r})\n"
        "from pelicanconf import *  # noqa: F403\n"
        f"PLUGIN_PATHS = [{str(root / 'plugins')!r}]\n"
        f"THEME = {str(root / 'theme')!r}\n"
        'SITESUBTITLE = "A subtitle changed in the settings"\n',
        "utf-8",
    )
    build(content, tmp_path / "after", cached, settings=str(settings))
    pages = sorted((tmp_path / "after").rglob("*.html"))
    stale = [p for p in pages if "A subtitle changed in the settings" not in p.read_text("utf-8")]
    stale = [p for p in stale if "inbox-forms" not in p.parts and "404" not in p.name]
    assert not stale, f"{len(stale)} pages still show the old subtitle, e.g. {stale[:3]}"
    build(content, tmp_path / "clean-after", tmp_path / "clean", settings=str(settings))
    assert_same_tree(tmp_path / "after", tmp_path / "clean-after")


class ServeLoop:
    """A `make serve` Pelican in a process of its own, rebuilt on demand."""

    def __init__(self, content: Path, output: Path, cache_home: Path):
        args = [sys.executable, "-c", SERVE_LOOP, str(content), str(output)]
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=build_env(cache_home),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.wait()

    def wait(self) -> None:
        for line in self.process.stdout:  # Pelican prints its "Done: ..." line too
            if line.strip() == "built":
                return
        raise AssertionError(f"the build failed (exit {self.process.wait()})")

    def rebuild(self) -> None:
        self.process.stdin.write("again\n")
        self.process.stdin.flush()
        self.wait()

    def stop(self) -> None:
        self.process.stdin.close()
        assert self.process.wait(timeout=60) == 0


def test_rebuilds_under_make_serve_keep_the_output_folder_equal_to_a_clean_build(content, tmp_path):
    output = tmp_path / "served"
    loop = ServeLoop(content, output, tmp_path / "served-build")
    try:
        (output / "pagefind").mkdir()  # the search index, kept as OUTPUT_RETENTION says
        (output / "pagefind" / "index.js").write_text("// made by invoke build", "utf-8")
        untouched = output / "index.html"
        before = untouched.stat().st_mtime_ns
        loop.rebuild()  # nothing changed: nothing written
        assert untouched.stat().st_mtime_ns == before
        stale_by_hand = output / "essays" / "left-behind.html"
        stale_by_hand.write_text("an old file", "utf-8")
        for number, edit in enumerate(
            (edit_a_body_and_the_comments, add_schedule_and_delete_essays)
        ):
            edit(content)
            loop.rebuild()
            clean = tmp_path / f"clean-{number}"
            build(content, clean / "output", clean)
            (clean / "output" / "pagefind").mkdir()
            shutil.copy(output / "pagefind" / "index.js", clean / "output" / "pagefind")
            assert_same_tree(output, clean / "output")
        assert not stale_by_hand.exists()
    finally:
        loop.stop()


def settings_with(folder: Path, **overrides) -> Path:
    """A settings file: pelicanconf.py with `overrides` (a setting name -> its value)."""
    settings = folder / f"settings_{len(list(folder.glob('settings_*.py')))}.py"
    lines = [f"{name} = {value!r}" for name, value in overrides.items()]
    settings.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa: F403\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
        f"THEME = {str(ROOT / 'theme')!r}\n" + "\n".join(lines) + "\n",
        "utf-8",
    )
    return settings


@pytest.mark.parametrize("site", ["corpus", "sample"])
def test_pages_made_by_two_processes_equal_pages_made_by_one(site, content, tmp_path):
    """Two workers share the Markdown, comments, pages, feeds and e-mail parts (each over the
    engine's threshold on the corpus); BUILD_WORKERS = 1 makes no child process at all
    (tests/engine/test_parallel.py)."""
    if site == "sample":
        content = copy_content(tmp_path / "sample-content")
    two = settings_with(tmp_path, BUILD_WORKERS=2)
    build(content, tmp_path / "shared" / "output", tmp_path / "shared", settings=str(two))
    one = settings_with(tmp_path, BUILD_WORKERS=1)
    build(content, tmp_path / "one" / "output", tmp_path / "one", settings=str(one))
    assert_same_tree(tmp_path / "shared" / "output", tmp_path / "one" / "output")
    assert_same_tree(tmp_path / "shared" / "newsletter", tmp_path / "one" / "newsletter")


def test_a_build_with_the_cache_off_equals_one_with_it_on(content, tmp_path):
    """Twice with the cache on (the second from the cache) against once with it off."""
    cached = tmp_path / "cached"
    build(content, tmp_path / "first" / "output", cached)
    build(content, cached / "output", cached)
    off = settings_with(tmp_path, BUILD_CACHE=False)
    build(content, tmp_path / "off" / "output", tmp_path / "off", settings=str(off))
    assert not (tmp_path / "off" / "cache").exists()
    assert_same_tree(cached / "output", tmp_path / "off" / "output")
    assert_same_tree(cached / "newsletter", tmp_path / "off" / "newsletter")
