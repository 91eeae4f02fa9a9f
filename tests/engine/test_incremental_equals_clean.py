"""Property: whatever the author edits, a rebuild by the same Pelican (as `make serve` keeps one)
writes exactly what a clean build of the same sources writes, byte for byte.

Hypothesis draws short sequences of edits to a copy of the sample site: an essay's body, title,
tags, date or schedule; a comment added, edited or removed; a workshop; a newsletter note; a
setting; a template. After each edit the kept Pelican builds again into its output folder and
build folder, a new Pelican builds the same sources from nothing, and the two trees (the site
and the newsletter's e-mail parts) must be equal.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican import Pelican
from pelican.settings import read_settings

from tests.support import ROOT, TODAY

STEPS_PER_EXAMPLE = 4
EXAMPLES = 8


@dataclass
class Site:
    """A copy of the sample site, its theme and its settings file, in a folder of its own."""

    root: Path
    subtitle_edits: int = 0
    today: str = TODAY

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.py"

    def write_settings(self) -> None:
        subtitle = f"Essays, revision {self.subtitle_edits}" if self.subtitle_edits else None
        self.settings_file.write_text(
            "import sys\n"
            f"sys.path.insert(0, {str(ROOT)!r})\n"
            "from pelicanconf import *  # noqa: F403\n"
            f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
            f"THEME = {str(self.root / 'theme')!r}\n"
            + (f"SITESUBTITLE = {subtitle!r}\n" if subtitle else ""),
            "utf-8",
        )

    def pelican(self, output: Path, build: Path) -> Pelican:
        override = {"PATH": str(self.content), "OUTPUT_PATH": str(output), "BUILD_PATH": str(build)}
        return Pelican(read_settings(str(self.settings_file), override=override))


def essays(site: Site) -> list[Path]:
    return sorted((site.content / "essays").glob("*.md"))


def replace_line(path: Path, field: str, value: str) -> None:
    text = path.read_text("utf-8")
    text, count = re.subn(rf"^{field}: .*$", f"{field}: {value}", text, count=1, flags=re.M)
    if not count:
        text = f"{field}: {value}\n" + text
    path.write_text(text, "utf-8")


def edit_body(site: Site, n: int) -> None:
    with essays(site)[n % len(essays(site))].open("a", encoding="utf-8") as file:
        file.write(f"\nA paragraph added while previewing, number {n}.\n")


def edit_title(site: Site, n: int) -> None:
    replace_line(essays(site)[n % len(essays(site))], "Title", f"A New Title, Version {n}")


def edit_tags(site: Site, n: int) -> None:
    tags = ["feedback", "teams", "trust", "hiring", f"tag-{n % 3}"]
    replace_line(essays(site)[n % len(essays(site))], "Tags", ", ".join(tags[n % 4 :]))


def edit_date(site: Site, n: int) -> None:
    replace_line(essays(site)[n % len(essays(site))], "Date", f"2026-0{1 + n % 9}-1{n % 9}T08:00")


def schedule(site: Site, n: int) -> None:
    replace_line(essays(site)[n % len(essays(site))], "Date", "2027-01-05T09:00")


def comments(site: Site) -> list[Path]:
    return sorted((site.content / "comments").glob("*/*.md"))


def add_comment(site: Site, n: int) -> None:
    slug = essays(site)[n % len(essays(site))].stem
    text = essays(site)[n % len(essays(site))].read_text("utf-8")
    slug = re.search(r"^Slug: (.*)$", text, re.M).group(1) if "Slug:" in text else slug
    folder = site.content / "comments" / slug
    folder.mkdir(parents=True, exist_ok=True)
    comment_id = f"20261101-{1000 + n:04d}-zz{n % 10}a"
    (folder / f"{comment_id}.md").write_text(
        f"Id: {comment_id}\nAuthor: Reader {n}\nDate: 2026-11-01T10:00:00-07:00\n\n"
        f"Comment number {n}, *kind* words.\n",
        "utf-8",
    )


def edit_comment(site: Site, n: int) -> None:
    found = comments(site)
    with found[n % len(found)].open("a", encoding="utf-8") as file:
        file.write(f"\nAn afterthought, {n}.\n")


def remove_comment(site: Site, n: int) -> None:
    """Remove a comment nobody answers (a removed parent is a build error, not an edit)."""
    answered = {
        m.group(1)
        for path in comments(site)
        for m in re.finditer(r"^Reply-To: (.*)$", path.read_text("utf-8"), re.M)
    }
    free = [path for path in comments(site) if path.stem not in answered]
    if free:
        free[n % len(free)].unlink()


def edit_workshop(site: Site, n: int) -> None:
    workshop = sorted((site.content / "workshops").glob("*.md"))[n % 2]
    replace_line(workshop, "Seats", str(8 + n % 5))
    replace_line(workshop, "Title", f"A Workshop, Edition {n}")


def edit_note(site: Site, n: int) -> None:
    note = sorted((site.content / "newsletters").glob("*.md"))[n % 2]
    with note.open("a", encoding="utf-8") as file:
        file.write(f"\nA postscript to the note, {n}.\n")


def edit_setting(site: Site, n: int) -> None:
    site.subtitle_edits += 1
    site.write_settings()


def edit_template(site: Site, n: int) -> None:
    base = site.root / "theme" / "templates" / "base.html"
    base.write_text(base.read_text("utf-8") + f"\n<!-- template edit {n} -->\n", "utf-8")


def days_pass(site: Site, n: int) -> None:
    """The build date moves on: past the essay scheduled for December, or also past the
    workshop of May 2027 (which only the date makes past: no file changes)."""
    site.today = ("2027-01-20", "2027-06-01")[n % 2]


EDITS: list[Callable[[Site, int], None]] = [
    edit_body,
    edit_title,
    edit_tags,
    edit_date,
    schedule,
    add_comment,
    edit_comment,
    remove_comment,
    edit_workshop,
    edit_note,
    edit_setting,
    edit_template,
    days_pass,
]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def assert_same_tree(incremental: Path, clean: Path, after: list[str]) -> None:
    ours, theirs = tree(incremental), tree(clean)
    assert sorted(ours) == sorted(theirs), f"different files after {after}"
    differing = [name for name in ours if ours[name] != theirs[name]]
    assert not differing, f"after {after}: {len(differing)} files differ, e.g. {differing[:5]}"


def check_edits(root: Path, edits: list[tuple[int, int]]) -> None:
    shutil.rmtree(root, ignore_errors=True)
    os.environ["LETTERPRESS_TODAY"] = TODAY
    site = Site(root)
    shutil.copytree(ROOT / "content", site.content)
    shutil.copytree(ROOT / "theme", root / "theme")
    site.write_settings()
    output, build = root / "served", root / "served-build"
    served = site.pelican(output, build)
    served.run()
    done: list[str] = []
    for step, (which, n) in enumerate(edits):
        edit = EDITS[which]
        edit(site, n)
        done.append(f"{edit.__name__}({n})")
        os.environ["LETTERPRESS_TODAY"] = site.today
        if edit is edit_setting:
            # A changed settings file is read by a new Pelican; the folders stay.
            served = site.pelican(output, build)
            served.delete_outputdir = False
        served.run()
        clean = root / f"clean-{step}"
        site.pelican(clean / "output", clean / "build").run()
        assert_same_tree(output, clean / "output", done)
        assert_same_tree(build / "newsletter", clean / "build" / "newsletter", done)
        shutil.rmtree(clean)


edit_sequences = st.lists(
    st.tuples(st.integers(0, len(EDITS) - 1), st.integers(0, 50)),
    min_size=1,
    max_size=STEPS_PER_EXAMPLE,
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(edits=edit_sequences)
def test_a_rebuild_after_any_edits_equals_a_clean_build(tmp_path, pinned_today, edits):
    check_edits(tmp_path / "site", edits)


def test_every_kind_of_edit_in_one_sequence(tmp_path, pinned_today):
    """Each edit at least once, whatever Hypothesis draws."""
    check_edits(tmp_path / "site", [(which, which + 1) for which in range(len(EDITS))])
