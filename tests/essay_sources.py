"""The sample essays as their Markdown files describe them, read without Pelican: what the site
and SEO tests compare a build against."""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from tests.support import TODAY

_HEADER = re.compile(r"^(?P<key>[A-Za-z_]+):\s*(?P<value>.*)$")


@dataclass(frozen=True)
class EssaySource:
    path: Path
    slug: str
    title: str
    date: dt.datetime  # as written: aware when the file gives an offset
    category: str
    tags: tuple[str, ...]
    status: str

    @property
    def day(self) -> dt.date:
        return self.date.date()

    @property
    def url(self) -> str:
        return f"essays/{self.day:%Y}/{self.day:%m}/{self.slug}/"

    @property
    def scheduled(self) -> bool:
        """Dated after the test build date, so the session's build holds it back."""
        return self.day > dt.date.fromisoformat(TODAY)


def read_essay(path: Path) -> EssaySource:
    headers = {}
    for line in path.read_text("utf-8").splitlines():
        match = _HEADER.match(line)
        if not match:
            break
        headers[match["key"].lower()] = match["value"].strip()
    return EssaySource(
        path=path,
        slug=headers.get("slug", path.stem),
        title=headers["title"],
        date=dt.datetime.fromisoformat(headers["date"]),
        category=headers.get("category", ""),
        tags=tuple(t.strip() for t in headers.get("tags", "").split(",") if t.strip()),
        status=headers.get("status", "published").lower(),
    )


def essays_in(content: Path) -> list[EssaySource]:
    """Every essay in `content/essays`, in file-name order."""
    return [read_essay(p) for p in sorted((content / "essays").glob("*.md"))]
