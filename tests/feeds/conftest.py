"""Fixtures for the feed tests: one extra build of the sample site, changed the way authors do."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import ROOT, copy_content, run_build

EDITED_SLUG = "what-a-founder-owes-the-first-ten"
EDITED_MODIFIED = "2026-11-24T10:30:00-08:00"
NEW_SENTENCE = "This paragraph was rewritten after the essay first went out."
COMMENTED_SLUG = "generative-not-competitive"
COMMENT_ID = "20261125-0915-fd01"
MAX_ITEMS = 3
# A comment in the DESIGN.md format, newer than every sample comment, so it heads every list.
COMMENT = f"""Id: {COMMENT_ID}
Author: Rosa Lindqvist
Date: 2026-11-25T09:15:00-08:00
Url: https://rosa.example.org/

The part about shared credit matched what we saw when two of our teams merged their roadmaps.
"""
SETTINGS = f"""# The repository's settings with a smaller feed limit, for one test build.
import sys

sys.path.insert(0, {str(ROOT)!r})
from pelicanconf import *  # noqa: F403

THEME = {str(ROOT / "theme")!r}
PLUGIN_PATHS = [{str(ROOT / "plugins")!r}]
FEED_MAX_ITEMS = {MAX_ITEMS}
"""


@dataclass(frozen=True)
class ChangedSite:
    content: Path
    output: Path


def edit_essay(path: Path) -> None:
    """Change the body and add Modified, as an author revising a published essay would."""
    header, body = path.read_text("utf-8").split("\n\n", 1)
    assert "Modified:" not in header
    paragraphs = body.split("\n\n")
    paragraphs[1] = NEW_SENTENCE
    path.write_text(f"{header}\nModified: {EDITED_MODIFIED}\n\n" + "\n\n".join(paragraphs), "utf-8")


@pytest.fixture(scope="session")
def changed_site(tmp_path_factory) -> ChangedSite:
    """The sample site after an essay edit and a new comment, built with FEED_MAX_ITEMS = 3."""
    base = tmp_path_factory.mktemp("feeds-changed-site")
    content = copy_content(base / "content")
    edit_essay(content / "essays" / f"{EDITED_SLUG}.md")
    thread = content / "comments" / COMMENTED_SLUG
    thread.mkdir(parents=True, exist_ok=True)
    (thread / f"{COMMENT_ID}.md").write_text(COMMENT, "utf-8")
    settings = base / "feeds_settings.py"
    settings.write_text(SETTINGS, "utf-8")
    output = base / "output"
    result = run_build(content, output, base / "build", settings=str(settings))
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return ChangedSite(content, output)
