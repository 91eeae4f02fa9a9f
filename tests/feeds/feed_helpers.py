"""Reading a built site's feeds: every feed file, parsed, and the feed links in page heads."""

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
from bs4 import BeautifulSoup

CANONICAL = "https://letterpress.example"
FEED_TYPES = {"application/atom+xml", "application/rss+xml"}


def feed_files(output: Path) -> list[Path]:
    return sorted((output / "feeds").rglob("*.xml"))


def parse(path: Path):
    return feedparser.parse(path.read_bytes())


def entry_by_link(parsed, url: str):
    matches = [e for e in parsed.entries if e.link == url]
    assert len(matches) == 1, f"expected one entry linking {url}, found {len(matches)}"
    return matches[0]


def head_feed_links(output: Path, url_path: str) -> list[tuple[str, str]]:
    """(type, site path) of each feed <link rel="alternate"> in the head of the page at url_path."""
    page = output / url_path / "index.html" if url_path else output / "index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    links = []
    for link in soup.head.find_all("link", rel="alternate"):
        if link.get("type") in FEED_TYPES:
            # Resolve the relative href from the page's own address, as a browser would.
            resolved = urljoin(f"http://site/{url_path}", link["href"])
            links.append((link["type"], urlsplit(resolved).path.lstrip("/")))
    return links
