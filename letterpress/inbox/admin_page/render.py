"""The moderation page's HTML: Jinja2 templates (templates/, autoescaped), what they are given
(comments in their context, times in the site's zone), and the headers every answer carries.

Nothing of the page may be kept by a browser or a proxy (`Cache-Control: no-store`), framed,
or leak its address to the sites it links to (`Referrer-Policy: no-referrer`); the
Content-Security-Policy allows no script at all, and styles only from the inbox and the site.
"""

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from letterpress.comments import render_markdown
from letterpress.manifest import Manifest
from letterpress.moderation.replies import excerpt, shown_time

from ..comment_store import get_comment
from ..site import ManifestError, site_base

HERE = Path(__file__).parent
STYLESHEET = HERE / "static" / "admin.css"
_TEMPLATES = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def security_headers(site: str) -> dict[str, str]:
    origin = ""
    if site:
        parts = urlsplit(site)
        origin = f" {parts.scheme}://{parts.netloc}"
    return {
        "Cache-Control": "no-store",
        "Content-Security-Policy": (
            f"default-src 'none'; style-src 'self'{origin}; img-src 'self'{origin}; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        ),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
    }


def manifest_of(request: Request) -> Manifest | None:
    try:
        return request.state.site.current()
    except ManifestError:
        return None


@dataclass(frozen=True)
class Site:
    """The published site as the page shows it: its address, zone, author, essays, workshops."""

    base: str
    timezone: str
    author: str
    manifest: Manifest | None

    @classmethod
    def of(cls, request: Request) -> "Site":
        manifest = manifest_of(request)
        base = site_base(request.state.config, manifest)
        timezone = (manifest.timezone if manifest else "") or "UTC"
        author = manifest.author if manifest else ""
        return cls(base, timezone, author, manifest)

    def essay(self, slug: str) -> dict:
        entry = self.manifest.essays.get(slug) if self.manifest else None
        if entry is None:
            return {"title": slug, "url": ""}
        return {"title": entry.title, "url": self.address(entry.url)}

    def address(self, path: str) -> str:
        return page_address_of(self.base, path)

    def time(self, iso: str) -> str:
        return shown_time(dt.datetime.fromisoformat(iso), self.timezone)


def page_address_of(base: str, path: str) -> str:
    return f"{base}/{path.lstrip('/')}"


def comment_card(db: sqlite3.Connection, row: sqlite3.Row, site: Site) -> dict:
    """One comment as the page shows it: the essay (title, link), what it answers (the parent's
    writer and first lines), who wrote it, when in the site's zone, its text and its flags."""
    card = {
        "id": row["id"],
        "status": row["status"],
        "essay": site.essay(row["essay"]),
        "author": row["author"],
        "email": row["email"],
        "url": row["url"],
        "time": site.time(row["created"]),
        "html": Markup(render_markdown(row["body"])),
        "parent": None,
        "flags": [],
    }
    if row["status"] == "spam" and not row["decided"]:
        card["flags"].append("Akismet judged it spam")
    if row["parent"]:
        parent = get_comment(db, row["parent"])
        if parent is None:
            link = site.essay(row["essay"])["url"]
            card["parent"] = {
                "id": row["parent"],
                "author": "a published comment",
                "lines": "",
                "url": f"{link}#comment-{row['parent']}" if link else "",
            }
        else:
            card["parent"] = {
                "id": parent["id"],
                "author": parent["author"],
                "lines": excerpt(parent["body"], 25),
                "url": f"/admin/comments/{parent['id']}",
            }
            if parent["status"] != "approved":
                card["flags"].append(f"answers a comment that is {parent['status']}")
    return card


def render(
    request: Request, template: str, status: int = 200, headers: Mapping | None = None, **values
) -> HTMLResponse:
    """A whole page: `template` with `values`, the site's address for its stylesheet, and the
    headers every answer of the page carries."""
    site = values.pop("site", None) or Site.of(request)
    html = _TEMPLATES.get_template(template).render(
        site=site,
        stylesheet=f"{site.base}/theme/css/letterpress.css" if site.base else "",
        **values,
    )
    answer_headers = {**security_headers(site.base), **(headers or {})}
    return HTMLResponse(html, status_code=status, headers=answer_headers)


__all__ = ["Site", "comment_card", "render", "security_headers"]
