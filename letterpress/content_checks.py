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
