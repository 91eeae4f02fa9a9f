"""Reading the built site in tests: parsed pages, links, the search index, and the validators'
files (the Nu HTML Checker, axe-core) with axe's verdict on a page in Chromium."""

import datetime as dt
import gzip
import json
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

from tests.essay_sources import EssaySource, essays_in
from tests.support import NODE_MODULES, require_tool


def published_on(content: Path, today: str) -> list[EssaySource]:
    """The essays a build on `today` must publish: not drafts, dated on or before that day."""
    day = dt.date.fromisoformat(today)
    essays = sorted(essays_in(content), key=lambda e: e.day)
    return [e for e in essays if e.status == "published" and e.day <= day]


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"


def indexed_urls(output: Path) -> set[str]:
    """The pages in Pagefind's search index: each fragment is gzipped 'pagefind_dcd' + JSON."""
    urls = set()
    for fragment in (output / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(data[data.index(b"{") :])["url"])
    return urls


def indexed_text(output: Path) -> dict[str, str]:
    """Each indexed page's URL -> the text Pagefind indexed for it."""
    texts = {}
    for fragment in (output / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{") :])
        texts[record["url"]] = record["content"]
    return texts


def html_files(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*.html") if "pagefind" not in p.parts)


def url_of(output: Path, page: Path) -> str:
    """The site-relative URL the page is served at ('essays/' for essays/index.html)."""
    relative = page.relative_to(output).as_posix()
    return relative[: -len("index.html")] if relative.endswith("index.html") else relative


def target_file(output: Path, page_url: str, link: str) -> Path | None:
    """The file a same-site link from page_url reaches, or None if the link leaves the site."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    resolved = unquote(urljoin("/" + page_url, parts.path))
    path = output / resolved.lstrip("/")
    return path / "index.html" if resolved.endswith("/") or path.is_dir() else path


def listed_from_home(output: Path) -> tuple[list[str], list[str]]:
    """(slugs in order, page URLs) found by reading the home page and following 'Older essays'."""
    slugs, pages, url = [], [], ""
    while url not in pages:
        pages.append(url)
        soup = soup_of(output / url / "index.html")
        links = soup.select(".essay-summary h2 a")
        slugs += [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in links]
        older = soup.select_one('a[rel="next"]')
        if older is None:
            break
        url = url_of(output, target_file(output, url, older["href"]))
    return slugs, pages


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page open in Chromium, one line each."""
    require_tool(AXE_JS.is_file(), "axe-core", "run npm ci (make test does)")
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    ]
