"""Rewriting the addresses inside an imported essay: uploads and links to the old site's posts.

A link to `…/wp-content/uploads/2014/05/pic.jpg` becomes `{static}/images/uploads/2014/05/pic.jpg`
when that file is in the uploads folder given (it is then copied into content/), and stays an
absolute URL otherwise (listed as missing). A link to another post's old permalink becomes a
`{filename}` link to its essay, so it keeps working in every build, not only behind redirects.
Pure: it returns the new text, the files to copy and the uploads it could not find.
"""

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .plan import site_path

UPLOADS_FOLDER = "images/uploads"
_UPLOAD = re.compile(
    r"""(?:(?<=[("'<\s=])|^)(?P<url>(?:https?:)?(?://[^/\s"'()<>\]]+)?"""
    r"""/(?:[^\s"'()<>\]]*?/)?wp-content/uploads/(?P<rel>[^\s"'()<>?#\]]+))""",
    re.MULTILINE,
)
# Link targets in what markdownify writes: [text](url "title") and <a href="url">.
_LINK = re.compile(r"""(?:(?<=\]\()|(?<=\bhref=")|(?<=\bsrc="))(?P<url>[^\s"()<>]+)""")


@dataclass
class Rewritten:
    text: str
    copies: dict[str, Path] = field(default_factory=dict)  # content-relative path -> source
    moved: dict[str, str] = field(default_factory=dict)  # old URL -> content-relative path
    missing: list[str] = field(default_factory=list)


def _safe(relative: str) -> bool:
    parts = relative.split("/")
    return bool(relative) and ".." not in parts and "" not in parts and "\x00" not in relative


def rewrite_uploads(text: str, base_url: str, uploads: Path | None) -> Rewritten:
    """Point upload links at copies under content/images/uploads/ where the file is at hand."""
    result = Rewritten(text)

    def replace(match: re.Match) -> str:
        url, relative = match.group("url"), unquote(match.group("rel"))
        if uploads is not None and _safe(relative) and (uploads / relative).is_file():
            destination = posixpath.join(UPLOADS_FOLDER, relative)
            result.copies[destination] = uploads / relative
            result.moved[url] = destination
            return "{static}/" + posixpath.join(UPLOADS_FOLDER, match.group("rel"))
        absolute = url if url.startswith("http") else _absolute(url, base_url)
        if absolute not in result.missing:
            result.missing.append(absolute)
        return absolute

    result.text = _UPLOAD.sub(replace, text)
    return result


def _absolute(url: str, base_url: str) -> str:
    if url.startswith("//"):
        return "https:" + url
    parts = urlsplit(base_url)
    return f"{parts.scheme or 'https'}://{parts.netloc}{url}" if parts.netloc else url


def rewrite_permalinks(text: str, hosts: frozenset[str], redirects: dict[str, str]) -> str:
    """Links to the old site's published posts -> `{filename}` links to their essays and pages."""

    def replace(match: re.Match) -> str:
        url = match.group("url")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https", "") or (parts.netloc or "") not in hosts | {""}:
            return url
        if not parts.netloc and not url.startswith("/"):
            return url
        path = site_path(url.split("#")[0])
        for candidate in (path, path + "/" if "?" not in path else path):
            target = redirects.get(candidate, "")
            if target.startswith("{filename}"):
                return target + (f"#{parts.fragment}" if parts.fragment else "")
        return url

    return _LINK.sub(replace, text)


def site_hosts(*urls: str) -> frozenset[str]:
    """The host names the old site answered on, with and without www."""
    hosts = set()
    for url in urls:
        host = urlsplit(url.strip()).netloc
        if host:
            hosts |= {host, host.removeprefix("www."), "www." + host.removeprefix("www.")}
    return frozenset(hosts)
