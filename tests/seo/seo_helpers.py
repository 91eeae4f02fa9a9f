"""Plain helpers for the SEO tests: the sample essays as their files describe them."""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import ROOT, TODAY

PUBLISHED_SITE_URL = "https://essays.example.org"
_FIELD = re.compile(r"^(\w+):\s*(.*)$")


@dataclass(frozen=True)
class EssaySource:
    """An essay as its Markdown file describes it, read without Pelican."""

    slug: str
    title: str
    date: dt.datetime

    @property
    def url_path(self) -> str:
        return f"essays/{self.date:%Y}/{self.date:%m}/{self.slug}/"

    @property
    def scheduled(self) -> bool:
        return self.date.date() > dt.date.fromisoformat(TODAY)


def read_essay(path: Path) -> EssaySource:
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _FIELD.match(line)
        if not match:
            break
        fields[match[1].lower()] = match[2].strip()
    return EssaySource(fields["slug"], fields["title"], dt.datetime.fromisoformat(fields["date"]))


def read_all_essays() -> list[EssaySource]:
    return [read_essay(p) for p in sorted((ROOT / "content" / "essays").glob("*.md"))]


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
