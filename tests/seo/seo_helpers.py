"""Plain helpers for the SEO tests: the sample essays as their files describe them."""

from pathlib import Path

from bs4 import BeautifulSoup

from tests.essay_sources import EssaySource, essays_in
from tests.support import ROOT

PUBLISHED_SITE_URL = "https://essays.example.org"


def read_all_essays() -> list[EssaySource]:
    return essays_in(ROOT / "content")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# Pelican titles are HTML: entities become characters once tags are stripped, so this title's
# plain text holds a real "</script>" that must not end the JSON-LD script.
HOSTILE_TITLE = "Ends &lt;/script&gt;&lt;script&gt;alert(1) &amp; <em>more</em>"
HOSTILE_HEADLINE = "Ends </script><script>alert(1) & more"
HOSTILE_ESSAY = f"""Title: {HOSTILE_TITLE}
Date: 2026-10-01T09:00:00-07:00
Slug: hostile-title
Category: Practice
Summary: A "quoted" summary with &lt;/script&gt; in it.

Body text.
"""
