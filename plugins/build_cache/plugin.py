"""Connects the build cache (letterpress.build_cache) to Pelican: the essays' and pages' Markdown
is converted once per change, in parallel, and kept in BUILD_PATH/cache/ between builds and
between the rebuilds of `make serve`.

Pages are rendered again only when what they show has changed (pages.py). Everything is filed
under the build's fingerprint (settings, theme, plugins, library, package
versions, build date), worked out once a build and kept in the build's context, so a changed
setting or template is seen everywhere. BUILD_CACHE = False turns it off.
"""

import ctypes
import os
import weakref
from pathlib import Path

from pelican import signals

import letterpress
from letterpress.build_cache import Store, cache_folder, fingerprint
from letterpress.clock import build_date
from letterpress.context_keys import BUILD_FINGERPRINT as FINGERPRINT
from letterpress.output_files import OutputFiles, remove_stale

from .markdown_reader import CachingMarkdownReader
from .pages import ForgetUnusedPages, RememberingWriter, forget_memoised_html
from .templates import share_compiled_templates


def build_fingerprint(generator) -> str:
    """The build's fingerprint, worked out by the first generator that asks."""
    context = generator.context
    if FINGERPRINT not in context:
        settings = generator.settings
        code = [Path(settings["THEME"]), Path(letterpress.__file__).parent]
        code += [Path(folder) for folder in settings.get("PLUGIN_PATHS", ())]
        today = build_date(settings["TIMEZONE"]).isoformat()
        context[FINGERPRINT] = fingerprint(settings, code, today)
    return context[FINGERPRINT]


def _install(generator, kind: str, paths_key: str, excludes_key: str) -> None:
    if not generator.settings.get("BUILD_CACHE", True):
        return
    store = Store(
        cache_folder(generator.settings), f"markdown-{kind}", build_fingerprint(generator)
    )
    reader = CachingMarkdownReader(generator.settings, store)
    for extension in reader.file_extensions:
        if extension in generator.readers.readers:
            generator.readers.readers[extension] = reader
    files = generator.get_files(
        generator.settings[paths_key], exclude=generator.settings[excludes_key]
    )
    root = Path(generator.path)
    reader.prefetch(
        [str(root / f) for f in sorted(files) if f.rsplit(".", 1)[-1] in reader.file_extensions]
    )


def _save(generator) -> None:
    for reader in generator.readers.readers.values():
        if isinstance(reader, CachingMarkdownReader):
            reader.store.save()
            return


def essays_init(generator) -> None:
    _install(generator, "essays", "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def pages_init(generator) -> None:
    _install(generator, "pages", "PAGE_PATHS", "PAGE_EXCLUDES")


# Each Pelican's writer class, carrying what its builds wrote (`make serve` keeps one Pelican).
_writers: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def get_writer(pelican):
    return _writers.get(pelican, RememberingWriter)


def get_last_generator(pelican):
    return ForgetUnusedPages


def start(pelican) -> None:
    if pelican.settings.get("BUILD_CACHE", True):
        share_compiled_templates(pelican.settings)
    files = OutputFiles()
    _writers[pelican] = type("RememberingWriter", (RememberingWriter,), {"files": files})
    # Connected once every plugin has registered, so this generator runs after all of theirs.
    signals.get_generators.connect(get_last_generator)


def render_pending(generator, writer) -> None:
    """The essays' generator has asked for all its pages: render those kept aside, on every core."""
    if isinstance(writer, RememberingWriter):
        writer.render_pending()
    # Every essay's page is written: the HTML Pelican memoised for them is not needed again
    # (the feeds' few full texts are made again), and the rest of the build can reuse the room.
    forget_memoised_html()


def keep_output_for_the_next_build(pelican) -> None:
    """After a build, the next one by the same Pelican (`make serve`) keeps the output folder.

    Pelican empties it before every build when DELETE_OUTPUT_DIRECTORY is set. The first build of
    a process still does (a cold build, `make publish`); the rebuilds that follow write only the
    files whose bytes changed, then remove what they did not produce, which leaves the folder as
    the emptying would (tests/build_speed compares it with a clean build).
    """
    writer = _writers.get(pelican)
    if writer is None or not pelican.settings.get("DELETE_OUTPUT_DIRECTORY"):
        return
    if not pelican.delete_outputdir:  # this build kept the folder: clear what it left behind
        output = os.path.abspath(pelican.output_path)
        remove_stale(
            Path(output),
            writer.files.started_ns,
            writer.files.touched,
            pelican.settings.get("OUTPUT_RETENTION", ()),
        )
    pelican.delete_outputdir = not pelican.settings.get("BUILD_CACHE", True)


def release_freed_memory() -> None:
    """Hand back to the system the memory the build freed (glibc's malloc_trim).

    A build allocates and frees hundreds of megabytes (stores unpickled, pages and feeds made,
    lxml trees); glibc keeps freed pages in its arenas, so under `make serve` the resident size
    climbed for several rebuilds before levelling off, about 35 MB above what a rebuild uses at
    250 essays. Without glibc (musl, macOS) there is nothing to do.
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def end_of_build(pelican) -> None:
    keep_output_for_the_next_build(pelican)
    forget_memoised_html()
    release_freed_memory()


def register():
    signals.finalized.connect(end_of_build)
    signals.get_writer.connect(get_writer)
    signals.initialized.connect(start)
    signals.article_writer_finalized.connect(render_pending)
    signals.article_generator_init.connect(essays_init)
    signals.page_generator_init.connect(pages_init)
    signals.article_generator_finalized.connect(_save)
    signals.page_generator_finalized.connect(_save)
