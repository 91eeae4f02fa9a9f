"""The redirect table: `content/redirects.csv`, one old address and where it now leads per row.

    from,to
    /2014/05/03/old-slug/,{filename}/essays/old-slug.md
    /?p=12,{filename}/essays/old-slug.md
    /category/news/,{category}News
    /tag/teams/,{tag}Teams
    /feed/,/feeds/all.rss.xml

`from` is a path on this site as a browser sends it (percent-encoded, with the query when there
is one). `to` is a content file (`{filename}/…`), a category or tag by name, a path on this site,
or an absolute URL. It is committed with the content, written by `invoke import.wordpress` and
editable by hand; plugins/redirects turns it into redirect pages, `_redirects` and an nginx map.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from letterpress.errors import LetterpressError

TABLE = "redirects.csv"
HEADER = ("from", "to")
# The characters of a URL path and query (RFC 3986), percent-escapes included; no fragment.
_SOURCE = re.compile(r"/[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]*")
TARGET_KINDS = ("{filename}", "{category}", "{tag}", "/", "https://", "http://")


class RedirectError(LetterpressError):
    """The redirect table is wrong; the message names the file, the line and the fix."""


@dataclass(frozen=True)
class Redirect:
    source: str
    target: str
    line: int = 0  # where it was read, for messages; 0 for a new row


def decoded_path(source: str) -> str:
    """The path part of `source` as a server and the redirect writer see it: percent-decoded."""
    return unquote(source.split("?")[0], errors="replace")


def source_problem(source: str) -> str:
    """Why `source` cannot be an old address, or '' when it can. The path is judged as it will
    be used, after decoding: `%2e%2e/`, `..%2f` and `..\\` climb out of a folder as `../` does."""
    if not _SOURCE.fullmatch(source):
        return f"{source!r} is not a path starting with / (percent-encode spaces and non-ASCII)"
    path = decoded_path(source)
    if any(ord(c) < 32 or ord(c) == 127 for c in path) or "\\" in path:
        return f"{source!r} holds a control character or a backslash once decoded"
    # NFKC as well: a full-width '．．' is '..' to some file systems and servers.
    for form in (path, unicodedata.normalize("NFKC", path)):
        if any(part in (".", "..") for part in form.split("/")):
            return f"{source!r} climbs out of the site with '..' (once decoded)"
    return ""


def target_problem(target: str) -> str:
    """Why `target` cannot be a redirect's target, or '' when it can. Category and tag names may
    hold spaces; paths and URLs may not."""
    named = target.startswith(("{category}", "{tag}")) and target.partition("}")[2].strip()
    if named:
        return ""
    if not target.startswith(TARGET_KINDS) or any(c.isspace() for c in target):
        return (
            f"{target!r} is not a {{filename}}/…, {{category}}…, {{tag}}… link, a path starting "
            "with / or an http(s) URL"
        )
    return ""


def parse_table(text: str, where: Path | str) -> list[Redirect]:
    """Rows of the table; raise RedirectError naming `where` and the line of the first mistake."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(c.strip().lower() for c in rows[0]) != HEADER:
        raise RedirectError(f"{where}: line 1 must be the header 'from,to'")
    redirects: list[Redirect] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) != 2:
            raise RedirectError(f"{where}: line {number} needs two columns, from and to: {row}")
        source, target = row[0].strip(), row[1].strip()
        problem = source_problem(source) or target_problem(target)
        if problem:
            raise RedirectError(f"{where}: line {number}: {problem}")
        if source in seen:
            raise RedirectError(
                f"{where}: line {number}: {source} is already redirected on line {seen[source]}"
            )
        seen[source] = number
        redirects.append(Redirect(source, target, number))
    return redirects


def read_table(path: Path) -> list[Redirect]:
    """The table at `path`; none when there is no such file."""
    path = Path(path)
    if not path.is_file():
        return []
    return parse_table(path.read_text("utf-8"), path)


def format_table(redirects: Iterable[Redirect]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for redirect in redirects:
        writer.writerow((redirect.source, redirect.target))
    return out.getvalue()


@dataclass(frozen=True)
class Merged:
    redirects: list[Redirect]
    added: int
    changed: int
    # Old addresses the table already sends elsewhere: kept as they are without --force.
    kept: list[tuple[str, str, str]]


def merge(existing: Iterable[Redirect], new: Mapping[str, str], force: bool = False) -> Merged:
    """The table with `new` rows added; an old address already present keeps its target unless
    `force`. Rows are sorted by old address so the file is the same whatever the order."""
    table = {r.source: r.target for r in existing}
    added = changed = 0
    kept = []
    for source, target in new.items():
        if source not in table:
            table[source] = target
            added += 1
        elif table[source] != target:
            if force:
                table[source] = target
                changed += 1
            else:
                kept.append((source, table[source], target))
    rows = [Redirect(s, t) for s, t in sorted(table.items())]
    return Merged(rows, added, changed, kept)
