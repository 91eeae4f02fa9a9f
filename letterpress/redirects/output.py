"""What a build writes for the redirect table: a page per old address, `_redirects`, an nginx map.

Static hosts get an HTML page at each old path (meta refresh, canonical link, a plain link), so
the old addresses work on any host. Hosts that read rules get real 301s: Netlify and Cloudflare
Pages read `_redirects`, nginx includes the map. An old address with a query (`/?p=12`) cannot
be a file; only the rules carry it (Netlify matches the query, nginx maps `$request_uri`;
Cloudflare Pages ignores queries in `_redirects`).
"""

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote, unquote

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .table import RedirectError, source_problem

NETLIFY = "_redirects"
NGINX = "nginx-redirects.map"
_FILE_SUFFIX = re.compile(r"\.(html?|php|aspx?)$", re.IGNORECASE)


@dataclass(frozen=True)
class Resolved:
    """An old address and the URL it now leads to: a path on this site ('/essays/…/') or an
    absolute URL; `title` names the new page in the redirect page's text."""

    source: str
    url: str
    title: str = ""


@dataclass(frozen=True)
class RedirectFiles:
    pages: list[str]  # output-relative redirect pages written
    rules: int  # rules in _redirects and the nginx map


def page_file(source: str) -> str | None:
    """The output-relative file a redirect page for `source` goes in; None for a query form.
    Raises RedirectError for a source that is no plain path once decoded (see source_problem)."""
    if "?" in source:
        return None
    problem = source_problem(source)
    if problem:
        raise RedirectError(f"redirect from {problem}")
    path = unquote(source).lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path if _FILE_SUFFIX.search(path) else path + "/index.html"


def relative_href(page: str, url: str) -> str:
    """`url` (a site path or an absolute URL) as seen from the output file `page`, so the built
    site works from any folder, as RELATIVE_URLS makes the rest of it."""
    if not url.startswith("/"):
        return url
    target = url.lstrip("/")
    relative = posixpath.relpath(target or ".", posixpath.dirname(page) or ".")
    if url.endswith("/") and relative != ".":
        relative += "/"
    return "./" if relative == "." else relative


def is_loop(redirect: Resolved) -> bool:
    """True when the old address is the new one (a WordPress category URL that Pelican keeps)."""
    return unquote(redirect.source.rstrip("/")) == unquote(redirect.url.rstrip("/"))


@cache
def _environment() -> Environment:
    folder = Path(__file__).parent / "templates"
    return Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape(default=True))


def render_page(page: str, redirect: Resolved, canonical_root: str, lang: str = "en") -> str:
    href = relative_href(page, redirect.url)
    absolute = redirect.url
    if absolute.startswith("/") and canonical_root:
        absolute = canonical_root.rstrip("/") + absolute
    template = _environment().get_template("redirect.html")
    return template.render(
        href=href, canonical=absolute, title=redirect.title or absolute, lang=lang
    )


def _netlify_source(source: str) -> str:
    """'/?p=12' -> '/ p=12' (Netlify's query match); spaces and the like stay escaped."""
    path, _, query = source.partition("?")
    if not query:
        return path
    pairs = [pair for pair in query.split("&") if pair]
    return " ".join([path, *pairs])


def netlify_rules(redirects: Iterable[Resolved]) -> str:
    lines = ["# Written by plugins/redirects from content/redirects.csv: old address, new, status."]
    for redirect in redirects:
        sources = {redirect.source}
        # Browsers send percent-escapes as the old link had them; match both spellings.
        sources.add(re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), redirect.source))
        for source in sorted(sources):
            lines.append(f"{_netlify_source(source)} {quote(redirect.url, safe=':/?&=#%~')} 301")
    return "\n".join(lines) + "\n"


def _nginx_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_map(redirects: Iterable[Resolved]) -> str:
    """Two maps: paths on $uri (decoded, without the query), query forms on $request_uri."""
    redirects = list(redirects)
    paths = [r for r in redirects if "?" not in r.source]
    queries = [r for r in redirects if "?" in r.source]
    out = [
        "# Written by plugins/redirects from content/redirects.csv. Include it in the http {}",
        "# block, then in the server {} block:",
        "#   if ($letterpress_redirect) { return 301 $letterpress_redirect; }",
        "#   if ($letterpress_redirect_query) { return 301 $letterpress_redirect_query; }",
        "map $uri $letterpress_redirect {",
        '    default "";',
    ]
    for redirect in paths:
        out.append(f"    {_nginx_string(unquote(redirect.source))} {_nginx_string(redirect.url)};")
    out += ["}", "map $request_uri $letterpress_redirect_query {", '    default "";']
    for redirect in queries:
        out.append(f"    {_nginx_string(redirect.source)} {_nginx_string(redirect.url)};")
    out.append("}")
    return "\n".join(out) + "\n"


def write_redirects(
    output: Path,
    redirects: Iterable[Resolved],
    canonical_root: str = "",
    lang: str = "en",
    netlify: str | None = NETLIFY,
    nginx: str | None = NGINX,
) -> RedirectFiles:
    """Write the redirect pages, `_redirects` and the nginx map into `output`. An old address
    where the build already wrote a page is left to that page: a redirect never hides one."""
    output = Path(output)
    root = output.resolve()
    kept, pages = [], []
    for redirect in redirects:
        page = page_file(redirect.source)
        if is_loop(redirect) or (page and (output / page).exists()):
            continue
        kept.append(redirect)
        if page:
            path = output / page
            # The last word is the resolved path (symbolic links followed), not the string.
            if not path.resolve().is_relative_to(root):
                raise RedirectError(
                    f"the redirect from {redirect.source} would write {path.resolve()}, outside "
                    f"the output folder {root}; fix or remove that row of the redirect table"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_page(page, redirect, canonical_root, lang), "utf-8")
            pages.append(page)
    if netlify:
        (output / netlify).write_text(netlify_rules(kept), "utf-8")
    if nginx:
        (output / nginx).write_text(nginx_map(kept), "utf-8")
    return RedirectFiles(pages, len(kept))
