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
import os
from collections.abc import Mapping
from pathlib import Path

from pelican.contents import Content
from pelican.generators import Generator
from pelican.paginator import Page as PaginatedPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from letterpress.build_cache import file_digest
from letterpress.forked import in_shares, workers_for
from letterpress.output_files import OutputFiles

# Below this many pages to render, forking costs more than it saves (an edit under make serve).
PARALLEL_THRESHOLD = 40
# Pelican's memo of essays' HTML is emptied this often while pages are rendered together: an
# essay's full text shows on its own page only, and a thousand of them are 10 MB.
FORGET_EVERY = 100


def forget_memoised_html() -> None:
    """Empty Pelican's memo of every essay's HTML per SITEURL.

    Pelican memoises Content.get_content and get_summary on the class, keyed by the essay and
    the page's SITEURL, and never forgets: under `make serve` each rebuild kept the last one's
    essays alive (about 60 MB a rebuild for 1,000 essays), and a cold build holds every essay's
    HTML twice until its end.
    """
    for name in ("get_content", "get_summary"):
        memo = Content.__dict__.get(name)
        if hasattr(memo, "cache"):
            memo.cache.clear()


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


class PageText(str):
    """A page's HTML as the template answered it, with the key it was filed under."""

    key = ""


class KeptPage(PageText):
    """The output file already holds this page (same key, untouched since): nothing to write."""


class DeferredPage(PageText):
    """A page to render later with the others, on every core (RememberingWriter.render_pending).

    It keeps only the values its page has of its own (`own`): a copy of the whole context for
    each of 1,700 pages would be 8 MB held until they are rendered.
    """

    def __init__(self, _text=""):
        super().__init__()
        self.template = self.context = self.localsiteurl = None
        self.own: dict = {}

    def localcontext(self) -> dict:
        return {**self.context, **self.own}


def _page_text(kind: type, text: str, key: str) -> PageText:
    page = kind(text)
    page.key = key
    return page


class RememberingTemplate:
    """A Jinja template whose render answers from the cache when the page's key is known."""

    def __init__(self, template, writer: "RememberingWriter", context: Mapping):
        self.template, self.writer, self.context = template, writer, context

    def __getattr__(self, name):
        return getattr(self.template, name)

    def render(self, localcontext) -> str:
        writer = self.writer
        key = writer.keys.key(self.template.name, localcontext)
        writer.used.add(key)
        target = sanitised_join(writer.output_path, localcontext["output_file"])
        if writer.files.unchanged(target, key):
            return _page_text(KeptPage, "", key)
        path = writer.folder / f"{key}.html"
        if path.is_file():
            return _page_text(PageText, path.read_text("utf-8"), key)
        if writer.deferring:
            page = _page_text(DeferredPage, "", key)
            # Pelican sets the site's localsiteurl just before rendering: essays' links are
            # made relative to the page being written, so the deferred render must see it too.
            page.template, page.context = self.template, self.context
            page.localsiteurl = self.context.get("localsiteurl")
            page.own = {
                name: value
                for name, value in localcontext.items()
                if self.context.get(name, _MISSING) is not value
            }
            return page
        return _page_text(PageText, writer.render_and_keep(self.template, localcontext, key), key)


class PendingFile:
    """What Pelican writes a page into: handed to the writer when closed, written if it differs."""

    def __init__(self, writer: "RememberingWriter", path: str):
        self.writer, self.path, self.parts = writer, path, []

    def write(self, text) -> None:
        self.parts.append(text)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.writer.finish(self.path, self.parts)


class RememberingWriter(Writer):
    """Pelican's Writer, rendering through RememberingTemplate (one instance per build).

    It writes through `files` (letterpress.output_files), shared by the builds of one Pelican:
    under `make serve` a file is written only when its bytes changed. While `deferring` (from its
    start until the essays' generator is done: plugin.py), pages that must be rendered are kept
    aside and rendered together by `render_pending`, shared among the cores. Pelican's
    content_written signal is sent for them before their file exists; no plugin of ours listens
    to it.
    """

    keys: PageKeys | None = None
    files = OutputFiles()  # replaced by a class per Pelican instance (plugin.py)

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.used: set[str] = set()
        self.folder = Path(settings.get("BUILD_PATH") or "build") / "cache" / "pages"
        self.files.start_build()
        self.pending: list[tuple[str, DeferredPage]] = []
        self.workers = workers_for(settings)
        self.deferring = self.workers > 1

    def write_file(self, name, template, context, *args, **kwargs):
        fingerprint = context.get("LETTERPRESS_BUILD_FINGERPRINT")
        if not fingerprint or not self.settings.get("BUILD_CACHE", True):
            return super().write_file(name, template, context, *args, **kwargs)
        if self.keys is None:
            # Generators may pass a copy of the context (period archives); its values are the
            # same objects, so the first one seen serves the whole build.
            self.keys = PageKeys(context, fingerprint, self.settings)
        remembering = RememberingTemplate(template, self, context)
        return super().write_file(name, remembering, context, *args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        """Pelican's checks against writing a file twice, then a PendingFile for `filename`."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
                )
            return PendingFile(self, os.devnull)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already written to it '
                "previously (set `override=True` if intended)"
            )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return PendingFile(self, filename)

    def finish(self, path: str, parts: list) -> None:
        if path == os.devnull:
            return
        page = parts[0] if len(parts) == 1 else None
        if isinstance(page, KeptPage):
            return
        if isinstance(page, DeferredPage):
            self.pending.append((path, page))
            return
        key = page.key if isinstance(page, PageText) else ""
        self.files.write(path, "".join(parts).encode("utf-8"), key)

    def render_and_keep(self, template, localcontext, key: str) -> str:
        html = template.render(localcontext)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f"{key}.partial"
        partial.write_text(html, "utf-8")
        partial.replace(self.folder / f"{key}.html")
        return html

    def render_pending(self) -> None:
        """Render the pages kept aside, a share on each core, and write them; pages asked for
        after this are rendered at once (generators after the essays' one, and the redirects,
        read the output folder to know which pages exist)."""
        self.deferring = False
        pending, self.pending = self.pending, []
        workers = self.workers if len(pending) >= PARALLEL_THRESHOLD else 1
        for path, record in in_shares(self._render_share, pending, workers):
            self.files.remember(path, record)

    def _render_share(self, share: list[tuple[str, DeferredPage]]) -> list:
        written = []
        for number, (path, page) in enumerate(share, 1):
            if page.localsiteurl:
                page.context["localsiteurl"] = page.localsiteurl
            html = self.render_and_keep(page.template, page.localcontext(), page.key)
            if number % FORGET_EVERY == 0:
                forget_memoised_html()
            written.append((path, self.files.write(path, html.encode("utf-8"), page.key)))
        return written

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
            writer.render_pending()
            writer.forget_unused()
