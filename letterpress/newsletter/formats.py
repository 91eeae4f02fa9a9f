"""How the e-mail forms write the site's URLs and dates, whatever the machine's locale."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .model import NewsletterError

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class EmailSite:
    """What the e-mail needs to know about the site."""

    name: str
    url: str  # canonical and absolute, e.g. https://letterpress.example
    templates: Path  # theme/templates/email
    subtitle: str = ""
    author: str = ""
    lang: str = "en"

    def __post_init__(self):
        if not re.match(r"^https?://[^/]+", self.url or ""):
            raise NewsletterError(
                f"SITE_CANONICAL_URL {self.url!r} is not an absolute http(s) URL; e-mail links "
                "must be absolute (set it in pelicanconf.py, e.g. https://example.org)."
            )
        object.__setattr__(self, "url", self.url.rstrip("/"))

    def absolute(self, url: str) -> str:
        """A site-relative URL made absolute; absolute URLs and fragments pass through."""
        if not url or _SCHEME.match(url) or url.startswith("#"):
            return url
        return f"{self.url}/{url.lstrip('/')}"


def long_date(day: dt.date) -> str:
    """'November 3, 2026', whatever the machine's locale."""
    return f"{day:%B} {day.day}, {day.year}"


def built_path(url: str, site_url: str, output: Path) -> Path:
    """Where the built site under `output` keeps the page at `url`, an address under `site_url`
    (a folder's page is its index.html). Whether the file exists is the caller's question."""
    path_part = urlsplit(url[len(site_url.rstrip("/")) :]).path
    path = output / unquote(path_part).lstrip("/")
    if path_part.endswith("/") or not path_part or path.is_dir():
        path = path / "index.html"
    return path
