"""Every named input of a key matters: drop one and some test sees a stale file.

Two checks. `test_each_input_changes_its_key`: for every field of the key dataclasses, a change to
that field alone changes the digest (a field left out of the digest fails here). And
`test_dropping_an_input_shows_a_stale_page`: the field is blanked wherever the build makes one (as
if the code that reads it were gone), the edit that depends on it is made, and the kept Pelican's
rebuild no longer equals a clean build. Fields that no single edit shows alone are listed in
ONLY_BY_DIGEST with the inputs that change with them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from letterpress.engine.fingerprint import Fingerprint
from letterpress.engine.page_keys import (
    InFull,
    Outline,
    PageInputs,
    SiteInputs,
    page_key,
    plain_digest,
)
from tests.engine.test_incremental_equals_clean import EDITS, check_edits

OUTLINE = Outline("a.md", "a/", "a/index.html", "A", "S", "2026-01-01", "", "published", ())
SAMPLES: dict[type, tuple[Any, Any]] = {
    # (an instance, the digest function)
    Fingerprint: (Fingerprint("s", "c", "p", "2026-11-26"), Fingerprint.digest),
    PageInputs: (PageInputs("f", "s", "t.html", "o.html", (("x", "1"),)), page_key),
    SiteInputs: (SiteInputs((("p.md", "d"),), (OUTLINE,), (("feeds", "d"),)), SiteInputs.digest),
    Outline: (OUTLINE, plain_digest),
    InFull: (InFull(OUTLINE, "h", ("c",), True), plain_digest),
}


def other(value: Any) -> Any:
    if isinstance(value, Outline):
        return dataclasses.replace(value, title="Another")
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + "!"
    if isinstance(value, tuple):
        return (*value, value[0]) if value else ("x",)
    raise AssertionError(f"no other value for {value!r}")


FIELDS = [(kind, field.name) for kind in SAMPLES for field in dataclasses.fields(kind)]


@pytest.mark.parametrize(("kind", "name"), FIELDS, ids=[f"{k.__name__}.{n}" for k, n in FIELDS])
def test_each_input_changes_its_key(kind, name):
    instance, digest = SAMPLES[kind]
    changed = dataclasses.replace(instance, **{name: other(getattr(instance, name))})
    assert digest(changed) != digest(instance)


# The edit (index in EDITS, its number) that shows each input; tests/engine found them by
# blanking each field in turn under every edit.
SHOWN_BY = {
    "Fingerprint.settings": [("edit_setting", 1)],
    "Fingerprint.code": [("edit_template", 1)],
    "Fingerprint.build_date": [("days_pass", 0), ("days_pass", 1)],
    "PageInputs.fingerprint": [("edit_setting", 1)],
    "PageInputs.site": [("edit_title", 2)],
    "PageInputs.own": [("edit_body", 1)],
    "SiteInputs.content_files": [("edit_workshop", 1)],
    "SiteInputs.outlines": [("edit_title", 2)],
    "Outline.title": [("edit_title", 2)],
    "InFull.html": [("edit_body", 1)],
    "InFull.comments": [("edit_comment", 7)],
}
# Inputs no single edit shows alone: each changes only with others already in the key, so only
# test_each_input_changes_its_key guards them (kept: correctness first).
ONLY_BY_DIGEST = {
    "Fingerprint.packages": "no test can change a package's version",
    "PageInputs.template": "a page's template changes only with its metadata or the code",
    "PageInputs.output": "a page's file changes only with its URL, date or own values",
    "SiteInputs.declared": "the feeds change with the essays, tags and comments they list",
    "Outline.source": "changes with the essay's own bytes (its URL, dates)",
    "Outline.url": "changes with the date or slug",
    "Outline.save_as": "changes with the date or slug",
    "Outline.summary": "no edit here changes a summary alone (the feeds change with it)",
    "Outline.date": "changes with the URL",
    "Outline.modified": "no edit sets Modified",
    "Outline.status": "a scheduled essay leaves the site's lists",
    "Outline.metadata": "a new tag changes the feeds too",
    "InFull.outline": "its fields are in the site's outlines too",
    "InFull.comments_open": "no edit closes comments",
}
KINDS = {kind.__name__: kind for kind in SAMPLES}


def test_every_input_is_listed_once():
    named = {f"{kind.__name__}.{name}" for kind, name in FIELDS}
    assert named == set(SHOWN_BY) | set(ONLY_BY_DIGEST)
    assert not set(SHOWN_BY) & set(ONLY_BY_DIGEST)


@pytest.fixture
def blank(monkeypatch):
    """blank("Outline.title"): every Outline made from now on has an empty title."""

    def blanking(label: str) -> None:
        kind_name, name = label.split(".")
        kind = KINDS[kind_name]
        made = kind.__init__

        def init(self, *args, **kwargs):
            made(self, *args, **kwargs)
            value = getattr(self, name)
            empty = "" if isinstance(value, str) else () if isinstance(value, tuple) else None
            object.__setattr__(self, name, empty)

        monkeypatch.setattr(kind, "__init__", init)

    return blanking


@pytest.mark.parametrize("label", sorted(SHOWN_BY))
def test_dropping_an_input_shows_a_stale_page(label, blank, tmp_path, pinned_today):
    names = [edit.__name__ for edit in EDITS]
    edits = [(names.index(name), n) for name, n in SHOWN_BY[label]]
    check_edits(tmp_path / "intact", edits)  # the edits alone build the same
    blank(label)
    with pytest.raises(AssertionError, match=r"differ|different files"):
        check_edits(tmp_path / "blanked", edits)


def test_the_edits_named_exist():
    names = {edit.__name__ for edit in EDITS}
    assert {name for edits in SHOWN_BY.values() for name, _n in edits} <= names
    assert Path(__file__).with_name("test_incremental_equals_clean.py").is_file()
