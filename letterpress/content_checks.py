"""Checks on content that Pelican passes over or reports without naming the file.

Pelican already stops (under `--fatal warnings`) on a missing title or date, an unparsable date and
two essays with the same slug, and its messages name the file. A broken `{filename}` link it reports
only by its target ("Unable to find 'x.md'"), after the page is half written; and a link to an essay
that is scheduled or a draft it resolves to a page that is never written. These checks name the file
that holds the link, and say what to do.
"""

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# The same shape Pelican matches: a quoted URL attribute whose value starts with {filename} etc.
_INTRASITE_LINK = re.compile(
    r"""<[^>]+?\b(?:href|src|poster|data|cite|formaction|action|content)\s*=\s*
        (?P<quote>["'])\{(?P<what>filename|static|attach)\}(?P<value>.*?)(?P=quote)""",
    re.X,
)


@dataclass(frozen=True)
class IntrasiteLink:
    what: str  # filename | static | attach
    written: str  # the target as the author wrote it
    target: str  # the target as a path relative to the content folder


def resolve_target(source: str, written: str) -> str:
    """The content-relative path a link written in `source` points at.

    `/essays/a.md` is relative to the content folder; `a.md` or `../files/b.pdf` to the folder of
    the file holding the link. A query or #fragment is not part of the path.
    """
    path = unquote(urlsplit(written).path)
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), path))


def intrasite_links(source: str, html: str) -> list[IntrasiteLink]:
    """Every {filename}, {static} and {attach} link in a rendered content file, in order."""
    return [
        IntrasiteLink(m["what"], m["value"], resolve_target(source, m["value"]))
        for m in _INTRASITE_LINK.finditer(html or "")
    ]


def missing_targets(source: str, html: str, exists: Callable[[str], bool]) -> list[str]:
    """Sentences for each link in `source` whose target is not a file in the content folder."""
    return [
        f"{source}: the link {{{link.what}}}{link.written} points at {link.target}, which is not "
        "in the content folder; fix the path (it is relative to this file, or to content/ "
        "when it starts with /)."
        for link in intrasite_links(source, html)
        if not exists(link.target)
    ]


def links_to_withheld(source: str, html: str, withheld: Mapping[str, str]) -> list[str]:
    """Sentences for each link in `source` to an essay this build leaves out.

    `withheld` maps the content-relative path of each left-out essay to the reason, such as
    "scheduled for 2026-12-08" or "a draft".
    """
    return [
        f"{source}: the link {{{link.what}}}{link.written} points at {link.target}, which is "
        f"{withheld[link.target]} and so not on the site; remove the link until it is published."
        for link in intrasite_links(source, html)
        if link.target in withheld
    ]


# Schemes that run code or smuggle a document when a reader follows or loads the address.
UNSAFE_SCHEMES = frozenset({"javascript", "data", "vbscript"})
# Browsers drop tabs and newlines anywhere in a URL, and leading spaces or control characters:
# "java\tscript:" is javascript:.
_URL_NOISE = re.compile(r"[\t\n\r]")
_URL_ATTRIBUTE = re.compile(
    r"""<(?P<tag>[a-zA-Z][\w-]*)\b[^>]*?\s(?P<name>href|src|poster|data|action|formaction|
        xlink:href|background|cite|srcset)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|
        (?P<bare>[^\s>]+))""",
    re.X | re.I,
)


def url_scheme(url: str) -> str:
    """The scheme of `url` as a browser reads it ('javascript' for 'JaVa&#x09;Script:…'), lower
    case; '' for a relative address. HTML entities must already be decoded."""
    cleaned = _URL_NOISE.sub("", url).lstrip("".join(map(chr, range(33))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


def unsafe_links(source: str, html: str, text: str = "") -> list[str]:
    """Sentences for each javascript:, data: or vbscript: address in an essay's HTML; `text`, the
    file as written, gives the line to look at."""
    import html as entities  # the module name `html` is the parameter here

    problems = []
    for match in _URL_ATTRIBUTE.finditer(html or ""):
        raw = match["dq"] if match["dq"] is not None else match["sq"] or match["bare"] or ""
        values = raw.split(",") if match["name"].lower() == "srcset" else [raw]
        for value in values:
            scheme = url_scheme(entities.unescape(value).strip())
            if scheme in UNSAFE_SCHEMES:
                shown = value.strip()[:60]
                where = _line_of(text, value.strip()[:30])
                problems.append(
                    f"{source}{where}: the <{match['tag']}> {match['name']} {shown!r} is a "
                    f"{scheme}: address, which runs code or hides a document when followed; "
                    "remove it or link to an http(s) page"
                )
    return problems


def _line_of(text: str, needle: str) -> str:
    """': line N' where `needle` first occurs in `text`, or '' when it cannot be found."""
    index = text.find(needle) if text and needle else -1
    return f": line {text.count(chr(10), 0, index) + 1}" if index >= 0 else ""


def images_without_alt(source: str, html: str, text: str = "") -> list[str]:
    """Sentences for each image with no alt text (or an empty one), for the author to fix later.
    The poster inside a click-to-load video figure is decorative: the link names the video."""
    from bs4 import BeautifulSoup

    from letterpress.soup import attribute_text

    if "<img" not in (html or ""):
        return []
    found = []
    for image in BeautifulSoup(html, "html.parser").find_all("img"):
        if attribute_text(image, "alt").strip() or image.find_parent("figure", class_="video"):
            continue
        src = attribute_text(image, "src")
        name = posixpath.basename(urlsplit(src).path) or src[:40]
        found.append(
            f"{source}{_line_of(text, src)}: the image {name} has no alt text; describe it in "
            'alt="…" (or keep alt="" only if the image is decoration)'
        )
    return found
