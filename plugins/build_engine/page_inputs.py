"""A page's inputs as letterpress.engine.page_keys names them, read from Pelican's objects.

Each kind of value a generator passes to a template has a rule here (a table by type); a value
with no rule makes the page unkeyable, so it is rendered every time, never served stale.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pelican.contents import Content
from pelican.paginator import Page as PaginatedPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

from letterpress.engine.fingerprint import digest_of, file_digest
from letterpress.engine.page_keys import (
    InFull,
    Outline,
    PageInputs,
    SiteInputs,
    Unkeyable,
    page_key,
    plain_digest,
)

# Metadata the outline names field by field; the rest goes into its `metadata`.
NAMED_METADATA = frozenset({"title", "summary", "date", "modified", "status", "save_as", "url"})
# The lists a paginated listing is handed beside its own slice (articles_page, in full): what it
# shows of the whole list is in the essays' outlines (titles, dates, addresses), which the site's
# inputs hold. Any other page's list counts in full: a year's archive that holds every essay
# shows their comment counts (tests/engine found a stale count when this was decided by length).
SITE_LISTS = ("articles", "dates", "all_articles")
_MISSING = object()


def outline(content: Content) -> Outline:
    date = getattr(content, "date", None)
    modified = getattr(content, "modified", None)
    return Outline(
        source=content.get_relative_source_path(),
        url=content.url,
        save_as=getattr(content, "save_as", ""),
        title=str(getattr(content, "title", "")),
        summary=str(getattr(content, "summary", "")),
        date=date.isoformat() if date else "",
        modified=modified.isoformat() if modified else "",
        status=str(getattr(content, "status", "")),
        metadata=tuple(
            sorted(
                (key, str(value))
                for key, value in content.metadata.items()
                if key not in NAMED_METADATA
            )
        ),
    )


def in_full(content: Content) -> InFull:
    return InFull(
        outline=outline(content),
        html=digest_of(content._content or ""),  # the HTML as read: Pelican has no public name
        comments=tuple(plain_digest(c) for c in getattr(content, "comment_list", ())),
        comments_open=getattr(content, "comments_open", None),
    )


def site_inputs(
    context: Mapping[str, Any], settings: Mapping[str, Any], declared: Mapping[str, str]
) -> SiteInputs:
    root = Path(settings["PATH"])
    # Essays and comments count through the outlines and each page's own values; every other
    # content file (pages, workshops, notes, static files, redirects) by its bytes.
    apart = {*settings.get("ARTICLE_PATHS", ()), settings.get("COMMENTS_DIR", "comments")}
    files = []
    for top in sorted(root.iterdir()):
        if top.name in apart:
            continue
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if path.is_file():
                files.append((path.relative_to(root).as_posix(), file_digest(path)))
    everything = [
        *context.get("articles", ()),
        *context.get("hidden_articles", ()),
        *context.get("drafts", ()),
        *context.get("pages", ()),
        *context.get("hidden_pages", ()),
        *context.get("draft_pages", ()),
    ]
    return SiteInputs(
        content_files=tuple(files),
        outlines=tuple(outline(item) for item in everything),
        declared=tuple(sorted(declared.items())),
    )


def _frozen_dataclass(value: Any) -> bool:
    return (
        dataclasses.is_dataclass(value)
        and not isinstance(value, type)
        # dataclasses sets __dataclass_params__ on the class at run time; typeshed declares no
        # such attribute, and the public API offers no other way to ask whether it is frozen.
        and type(value).__dataclass_params__.frozen  # type: ignore[attr-defined]
    )


class PageKeys:
    """Works out the keys of one build's pages; made when its first page is written."""

    def __init__(self, context: Mapping[str, Any], fingerprint: str, site: SiteInputs):
        self.context = context
        self.fingerprint = fingerprint
        self.site = site.digest()
        self.full: dict[int, str] = {}
        self.sources: dict[int, str] = {}
        # id -> (the list, its length, its digest); the list is held so its id is not reused.
        self.site_lists: dict[int, tuple[list[Any], int, str]] = {}
        self.frozen: dict[int, tuple[Any, str]] = {}  # id -> (the value, held; its digest)
        self.rules: tuple[tuple[type | tuple[type, ...], Callable[[Any], str]], ...] = (
            (Content, self.content),
            (URLWrapper, lambda v: plain_digest((type(v).__name__, v.name, v.slug, v.url))),
            (PaginatedPage, self.paginated),
            (Paginator, lambda v: plain_digest((v.count, v.num_pages, v.per_page))),
            ((list, tuple), lambda v: plain_digest([self.value(item) for item in v])),
        )

    def content(self, value: Content) -> str:
        found = self.full.get(id(value))
        if found is None:
            found = self.full[id(value)] = plain_digest(in_full(value))
        return found

    def source(self, content: Content) -> str:
        found = self.sources.get(id(content))
        if found is None:
            found = self.sources[id(content)] = content.get_relative_source_path()
        return found

    def site_list(self, value: Any) -> str:
        """A whole-site list beside a paginated listing, digested by its essays' sources.

        Pelican hands every archive, tag and category page the same list object (all_articles:
        every essay), and digesting its thousand sources again for each of a few hundred pages
        was half the time the keys took, spent while the other cores waited. Generators do not
        change these lists while pages are written, so one digest per list object serves."""
        if not isinstance(value, list):
            return self.value([self.source(item) for item in value])
        found = self.site_lists.get(id(value))
        if found is None or found[0] is not value or found[1] != len(value):
            digest = self.value([self.source(item) for item in value])
            found = self.site_lists[id(value)] = (value, len(value), digest)
        return found[2]

    def paginated(self, page: PaginatedPage) -> str:
        items = [self.value(item) for item in page.object_list]
        return plain_digest((page.number, page.base_url, items))

    def value(self, value: Any) -> str:
        for kind, rule in self.rules:
            if isinstance(value, kind):
                return rule(value)
        if _frozen_dataclass(value):
            return self.frozen_value(value)
        return plain_digest(value)

    def frozen_value(self, value: Any) -> str:
        """A frozen dataclass (a newsletter issue), digested once per object: each issue's page
        is handed every issue, so digesting them page by page grew with the square of their
        number, in the main process while the other cores waited."""
        found = self.frozen.get(id(value))
        if found is None or found[0] is not value:
            found = self.frozen[id(value)] = (value, plain_digest(value))
        return found[1]

    def key(self, template_name: str, localcontext: Mapping[str, Any]) -> str | None:
        """The page's key, or None when one of its values has no rule (render it every time)."""
        paginated = "articles_page" in localcontext or "dates_page" in localcontext
        own = []
        for name, value in sorted(localcontext.items()):
            if self.context.get(name, _MISSING) is value:
                continue  # the site's own value: in the site's inputs
            try:
                if name in SITE_LISTS and paginated:
                    own.append((name, self.site_list(value)))  # outlines: in the site's inputs
                else:
                    own.append((name, self.value(value)))
            except Unkeyable:
                return None
        inputs = PageInputs(
            fingerprint=self.fingerprint,
            site=self.site,
            template=template_name,
            output=str(localcontext.get("output_file", "")),
            own=tuple(own),
        )
        return page_key(inputs)
