"""Connects the build engine (letterpress/engine) to Pelican.

One `Engine` per Pelican, made at `initialized` and kept in its settings under BUILD_SERVICES, so
every build's context (a copy of the settings) hands it to the features (letterpress/
build_services.py) and to this plugin's Writer; `make serve` keeps one Pelican, so the engine's
stores and its record of the output folder last from one rebuild to the next. Each build starts
at the first generator made (the fingerprint is worked out then) and ends at `finalized`.

What it does: essays' and pages' Markdown converted once per change, on every core
(markdown_reader.py); pages rendered again only when their key changes (pages.py); compiled
templates shared (templates.py); the output folder kept between the rebuilds of one Pelican,
written only where bytes changed. BUILD_CACHE = False keeps nothing between builds.
"""

import ctypes
import os
from pathlib import Path

from pelican import signals

import letterpress
from letterpress.clock import build_date
from letterpress.context_keys import BUILD_SERVICES
from letterpress.engine.fingerprint import fingerprint
from letterpress.engine.output_files import remove_stale
from letterpress.engine.parallel import timeout_for, workers_for
from letterpress.engine.services import Engine
from letterpress.paths import cache_path

from .markdown_reader import CachingMarkdownReader
from .pages import FINGERPRINT, ForgetUnusedPages, RememberingWriter, forget_memoised_html
from .templates import share_compiled_templates


def start(pelican) -> None:
    settings = pelican.settings
    keep = bool(settings.get("BUILD_CACHE", True))
    if keep:
        share_compiled_templates(settings)
    settings[BUILD_SERVICES] = Engine(
        cache_folder=cache_path(settings),
        workers=workers_for(settings),
        timeout=timeout_for(settings),
        keep=keep,
    )
    # Connected once every plugin has registered, so this generator runs after all of theirs.
    signals.get_generators.connect(get_last_generator)


def engine_of(generator) -> Engine | None:
    return generator.settings.get(BUILD_SERVICES)


def start_build(generator) -> None:
    """generator_init: the first generator of a build starts the engine's build."""
    engine, context = engine_of(generator), generator.context
    if engine is None or FINGERPRINT in context:
        return
    settings = generator.settings
    code = [Path(settings["THEME"]), Path(letterpress.__file__).parent]
    code += [Path(folder) for folder in settings.get("PLUGIN_PATHS", ())]
    today = build_date(settings["TIMEZONE"]).isoformat()
    context[FINGERPRINT] = fingerprint(settings, code, today).digest()
    engine.start_build(context[FINGERPRINT])


def _install(generator, kind: str, paths_key: str, excludes_key: str) -> None:
    engine = engine_of(generator)
    if engine is None:
        return
    reader = CachingMarkdownReader(generator.settings, engine, f"markdown-{kind}")
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


def essays_init(generator) -> None:
    _install(generator, "essays", "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def pages_init(generator) -> None:
    _install(generator, "pages", "PAGE_PATHS", "PAGE_EXCLUDES")


def get_writer(pelican):
    return RememberingWriter if BUILD_SERVICES in pelican.settings else None


def get_last_generator(pelican):
    return ForgetUnusedPages


def render_pending(generator, writer) -> None:
    """The essays' generator has asked for all its pages: render those kept aside, on every core."""
    if isinstance(writer, RememberingWriter):
        writer.render_pending()
    # Every essay's page is written: the HTML Pelican memoised for them is not needed again
    # (the feeds' few full texts are made again), and the rest of the build can reuse the room.
    forget_memoised_html()


def keep_output_for_the_next_build(pelican, engine: Engine) -> None:
    """After a build, the next one by the same Pelican (`make serve`) keeps the output folder.

    Pelican empties it before every build when DELETE_OUTPUT_DIRECTORY is set. The first build of
    a process still does (a cold build, `make publish`); the rebuilds that follow write only the
    files whose bytes changed, then remove what they did not produce, which leaves the folder as
    the emptying would (tests/engine compares it with a clean build).
    """
    if not pelican.settings.get("DELETE_OUTPUT_DIRECTORY"):
        return
    if not pelican.delete_outputdir:  # this build kept the folder: clear what it left behind
        remove_stale(
            Path(os.path.abspath(pelican.output_path)),
            engine.files.started_ns,
            engine.files.touched,
            pelican.settings.get("OUTPUT_RETENTION", ()),
        )
    pelican.delete_outputdir = not engine.keep


def release_freed_memory() -> None:
    """Hand back to the system the memory the build freed (glibc's malloc_trim).

    A build allocates and frees hundreds of megabytes (stores unpickled, pages and feeds made,
    lxml trees); glibc keeps freed pages in its arenas, so under `make serve` the resident size
    climbed for several rebuilds before levelling off. Without glibc there is nothing to do.
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def end_of_build(pelican) -> None:
    engine = pelican.settings.get(BUILD_SERVICES)
    if engine is None:
        return
    engine.end_build()
    keep_output_for_the_next_build(pelican, engine)
    forget_memoised_html()
    release_freed_memory()


def register():
    signals.initialized.connect(start)
    signals.generator_init.connect(start_build)
    signals.get_writer.connect(get_writer)
    signals.article_generator_init.connect(essays_init)
    signals.page_generator_init.connect(pages_init)
    signals.article_writer_finalized.connect(render_pending)
    signals.finalized.connect(end_of_build)
