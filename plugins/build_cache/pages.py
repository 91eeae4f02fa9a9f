"""Pages rendered again only when what they show has changed: a Writer that remembers.

Pelican renders every page on every build; while the author writes (`make serve`), an edit to one
essay changes a handful of them. This Writer gives Pelican each template wrapped so that
`render` first works out a key for the page, and answers with the HTML rendered last time under
that key (BUILD_PATH/cache/pages/) when there is one. Pelican still writes every file, so the
output folder is always whole; only the rendering is spared.

The key of a page is a hash of:
- the build's fingerprint (settings, theme, plugins, library, packages, build date);
- the site's outline: every content file except essays and comments, by its bytes, and for every
  essay what any page may show of it elsewhere (title, address, dates, category, tags, summary,
  metadata): so a new title, a new essay or a new workshop renders everything again;
- the page's own values, those the generator passed for this page only: an essay in full (its
  HTML, its comments), each essay of a listing in full (reading time, comment count), and any
  other value by its repr. A value whose repr names a memory address changes every build, so the
  page is rendered: an unknown value can cost time, never correctness.
"""

import hashlib
from collections.abc import Mapping
from pathlib import Path

from pelican.contents import Content
from pelican.generators import Generator
from pelican.paginator import Page as PaginatedPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper
from pelican.writers import Writer

from letterpress.build_cache import file_digest

# Whole-site values every page has; their content is in the site's outline.
SITE_WIDE = ("articles", "dates", "all_articles")


def _hash(*parts: str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def outline(content: Content) -> str:
    """What a page other than its own may show of an essay or page."""
    metadata = sorted(
        (key, str(value)) for key, value in content.metadata.items() if key != "summary"
    )
    return repr(
        (
            content.get_relative_source_path(),
            content.url,
            getattr(content, "save_as", ""),
            str(getattr(content, "title", "")),
            str(getattr(content, "summary", "")),
            getattr(content, "locale_date", ""),
            getattr(content, "status", ""),
            metadata,
        )
    )


def in_full(content: Content) -> str:
    """Everything the content's own page shows of it."""
    return _hash(
        outline(content),
        content._content,
        repr(getattr(content, "comment_list", ())),
        repr(getattr(content, "comments_open", None)),
    )


class PageKeys:
    """Works out page keys for one build; made once, when the first page is written."""

    def __init__(self, context: Mapping, fingerprint: str, settings: Mapping):
        self.context = context
        self.full: dict[int, str] = {}
        root = Path(settings["PATH"])
        # Essays and comments count through the outline and each page's own values; every other
        # content file (pages, workshops, notes, static files, redirects) by its bytes.
        apart = {*settings.get("ARTICLE_PATHS", ()), settings.get("COMMENTS_DIR", "comments")}
        sources = []
        for top in sorted(root.iterdir()):
            if top.name in apart:
                continue
            for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
                if path.is_file():
                    sources.append(f"{path.relative_to(root).as_posix()}={file_digest(path)}")
        everything = [
            *context.get("articles", ()),
            *context.get("hidden_articles", ()),
            *context.get("pages", ()),
            *context.get("hidden_pages", ()),
        ]
        feeds = context.get("LETTERPRESS_FEEDS")
        self.site = _hash(
            fingerprint,
            *sources,
            *(outline(item) for item in everything),
            repr(sorted(getattr(feeds, "_feeds", {}))),
        )

    def value(self, value) -> str:
        if isinstance(value, Content):
            found = self.full.get(id(value))
            if found is None:
                found = self.full[id(value)] = in_full(value)
            return found
        if isinstance(value, URLWrapper):
            return repr((type(value).__name__, value.name, value.slug, value.url))
        if isinstance(value, PaginatedPage):
            return repr((value.number, value.url, [self.value(v) for v in value.object_list]))
        if isinstance(value, Paginator):
            return repr((value.count, value.num_pages))
        if isinstance(value, list | tuple):
            return "[" + ",".join(self.value(v) for v in value) + "]"
        if isinstance(value, Mapping):
            return "{" + ",".join(f"{k!r}:{self.value(v)}" for k, v in sorted(value.items())) + "}"
        return repr(value)

    def key(self, template_name: str, localcontext: Mapping) -> str:
        own = []
        # A listing page shows its own slice (articles_page); the whole list it is cut from is
        # passed too, and shows only in the outline's terms (titles, counts).
        paginated = "articles_page" in localcontext
        for name, value in sorted(localcontext.items()):
            if self.context.get(name, _MISSING) is value:
                continue  # the site's own value: in the outline
            if name in SITE_WIDE and (
                paginated or len(value) == len(self.context.get("articles", ()))
            ):
                continue  # in the outline
            own.append(f"{name}={self.value(value)}")
        return _hash(self.site, template_name, *own)


_MISSING = object()


class RememberingTemplate:
    """A Jinja template whose render answers from the cache when the page's key is known."""

    def __init__(self, template, keys: PageKeys, folder: Path, used: set):
        self.template, self.keys, self.folder, self.used = template, keys, folder, used

    def __getattr__(self, name):
        return getattr(self.template, name)

    def render(self, localcontext) -> str:
        key = self.keys.key(self.template.name, localcontext)
        self.used.add(key)
        path = self.folder / f"{key}.html"
        if path.is_file():
            return path.read_text("utf-8")
        html = self.template.render(localcontext)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(html, "utf-8")
        partial.replace(path)
        return html


class RememberingWriter(Writer):
    """Pelican's Writer, rendering through RememberingTemplate (one instance per build)."""

    keys: PageKeys | None = None

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.used: set[str] = set()
        self.folder = Path(settings.get("BUILD_PATH") or "build") / "cache" / "pages"

    def write_file(self, name, template, context, *args, **kwargs):
        fingerprint = context.get("LETTERPRESS_BUILD_FINGERPRINT")
        if not fingerprint or not self.settings.get("BUILD_CACHE", True):
            return super().write_file(name, template, context, *args, **kwargs)
        if self.keys is None:
            # Generators may pass a copy of the context (period archives); its values are the
            # same objects, so the first one seen serves the whole build.
            self.keys = PageKeys(context, fingerprint, self.settings)
        remembering = RememberingTemplate(template, self.keys, self.folder, self.used)
        return super().write_file(name, remembering, context, *args, **kwargs)

    def forget_unused(self) -> None:
        """Remove cached pages this build did not ask for (old versions, deleted essays)."""
        if not self.keys or not self.folder.is_dir():
            return
        for path in self.folder.glob("*.html"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)


class ForgetUnusedPages(Generator):
    """Runs after every generator that writes pages: drops the cached pages nobody asked for."""

    def generate_output(self, writer):
        if isinstance(writer, RememberingWriter):
            writer.forget_unused()
