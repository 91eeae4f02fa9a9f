"""Pages rendered again only when what they show has changed: a Writer that remembers.

Pelican renders every page on every build; while the author writes (`make serve`), an edit to one
essay changes a handful of them. This Writer gives Pelican each template wrapped so that
`render` first works out the page's key from its named inputs (page_inputs.py, over
letterpress/engine/page_keys.py), and answers with the HTML rendered last time under that key
(BUILD_PATH/cache/pages/) when there is one, or with nothing at all when the output file already
holds it.

Why a subclass of Pelican's Writer: Pelican has no hook between rendering a page and writing its
file, and the engine must decide both (keep a file whose key is unchanged; render the rest later,
on every core; write a file only when its bytes differ). The subclass overrides `write_file` (to
wrap the template) and `_open_w` (Pelican's opener, so the rendered text comes back here instead of
going to disk); both keep Pelican's own checks and call Pelican's code for everything else.
"""

import os
from typing import Any, TypeVar

from pelican.contents import Content
from pelican.generators import Generator
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from letterpress.context_keys import BUILD_SERVICES
from letterpress.engine.services import Engine
from letterpress.paths import cache_path

from .page_inputs import PageKeys, site_inputs

# Below this many pages to render, forking costs more than it saves (an edit under make serve).
PARALLEL_THRESHOLD = 40
# Pelican's memo of essays' HTML is emptied this often while pages are rendered together: an
# essay's full text shows on its own page only, and a thousand of them are 10 MB.
FORGET_EVERY = 100
# The context key holding this build's fingerprint (plugin.py sets it when the build starts).
FINGERPRINT = "LETTERPRESS_ENGINE_FINGERPRINT"


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

    def __init__(self, _text: str = "") -> None:
        super().__init__()
        self.template: Any = None
        self.context: dict[str, Any] = {}
        self.localsiteurl: str | None = None
        self.own: dict[str, Any] = {}

    def localcontext(self) -> dict[str, Any]:
        return {**self.context, **self.own}


PageKind = TypeVar("PageKind", bound=PageText)


def _page_text(kind: type[PageKind], text: str, key: str) -> PageKind:
    page = kind(text)
    page.key = key
    return page


class RememberingTemplate:
    """A Jinja template whose render answers from the cache when the page's key is known."""

    def __init__(self, template, writer: "RememberingWriter", context: dict[str, Any]):
        self.template, self.writer, self.context = template, writer, context

    def __getattr__(self, name):
        return getattr(self.template, name)

    def render(self, localcontext) -> str:
        writer = self.writer
        assert writer.keys is not None  # made by write_file before it renders
        key = writer.keys.key(self.template.name, localcontext)
        if key is None:  # a value no rule digests: rendered every time
            return self.template.render(localcontext)
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
        self.writer, self.path = writer, path
        self.parts: list[str] = []

    def write(self, text) -> None:
        self.parts.append(text)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.writer.finish(self.path, self.parts)


class RememberingWriter(Writer):
    """Pelican's Writer, rendering through RememberingTemplate (one instance per build).

    It writes through the engine's `files` (letterpress/engine/output_files.py), shared by the
    builds of one Pelican:
    under `make serve` a file is written only when its bytes changed. While `deferring` (from its
    start until the essays' generator is done: plugin.py), pages that must be rendered are kept
    aside and rendered together by `render_pending`, shared among the cores. Pelican's
    content_written signal is sent for them before their file exists; no plugin of ours listens
    to it.
    """

    keys: PageKeys | None = None

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.engine: Engine = settings[BUILD_SERVICES]
        self.files = self.engine.files
        # Pelican makes the Writer just before the first file is written: from now on, what
        # the output folder holds and this build did not write is left over (plugin.py).
        self.files.start_build()
        self.used: set[str] = set()
        self.folder = cache_path(settings) / "pages"
        self.pending: list[tuple[str, DeferredPage]] = []
        self.deferring = self.engine.workers > 1

    def write_file(self, name, template, context, *args, **kwargs):
        fingerprint = context.get(FINGERPRINT)
        if not fingerprint or not self.engine.keep:
            return super().write_file(name, template, context, *args, **kwargs)
        if self.keys is None:
            # Generators may pass a copy of the context (period archives); its values are the
            # same objects, so the first one seen serves the whole build.
            site = site_inputs(context, self.settings, self.engine.declared)
            self.keys = PageKeys(context, fingerprint, site)
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
        for path, record in self.engine.in_shares(self._render_share, pending, PARALLEL_THRESHOLD):
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
