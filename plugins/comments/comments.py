"""Attaches each essay's approved comments, as a list and as a thread, for the templates.

Reads content/comments/<essay-slug>/*.md once the essays are known (article_generator_finalized),
stops the build with a message naming the file when a comment is wrong, and sets on each essay:
comment_list (oldest first), comment_count, comment_ids, comment_thread, comments_open.
Every comment of the site goes into the context under LETTERPRESS_COMMENTS.

When 50 files or more are not in the build cache (a cold build), a forked child reads and renders
them from the moment the essays' generator is made (generator_init), alongside build_cache's
Markdown pool; attach_comments puts what it read into the cache, then reads as always. A file the
child could not read is read again here, so every message is the same; if the child fails, its
files are read here, as they were before it existed.
"""

import contextlib
import logging
import weakref
from dataclasses import dataclass
from pathlib import Path

from pelican import signals
from pelican.generators import ArticlesGenerator

from letterpress import context_keys
from letterpress.build_cache import Store, open_store
from letterpress.comments import (
    MAX_DEPTH,
    CommentError,
    build_thread,
    check_comments,
    comment_files,
    comments_open,
    files_not_stored,
    read_comments,
    read_for_store,
    store_read,
)
from letterpress.forked import Forked, ForkedError, workers_for

logger = logging.getLogger(__name__)

DEFAULTS = {"COMMENTS_DIR": "comments", "COMMENTS_MAX_DEPTH": MAX_DEPTH}
# Fewer files to read than this are read in the build process: a fork would cost more. So are all
# of them when the build is to use one core (BUILD_WORKERS = 1).
READ_ASIDE_FROM = 50


class CommentBuildError(Exception):
    """Stops the build; Pelican prints the message (each line names a file) and exits non-zero."""


@dataclass
class _Aside:
    """One build's comments store, opened early, and the child reading the files it lacks."""

    generator: weakref.ref
    store: Store
    child: Forked | None


_aside: _Aside | None = None


def _settings(generator) -> dict:
    return dict(DEFAULTS, **{k: v for k, v in generator.settings.items() if k in DEFAULTS})


def _comments_dir(generator) -> Path:
    return Path(generator.path) / _settings(generator)["COMMENTS_DIR"]


def read_aside(generator) -> None:
    """generator_init: start reading the comment files the cache lacks in a forked child."""
    global _aside
    if not isinstance(generator, ArticlesGenerator):
        return
    if _aside is not None:  # left by a build that failed before its comments (`make serve`)
        _wait_quietly(_aside.child)
        _aside = None
    store = _early_store(generator)
    if store is None:
        return
    paths = comment_files(_comments_dir(generator))
    # A rebuild finds nearly every file in the store: not worth a stat of each to learn which.
    if len(paths) - len(store.entries) >= READ_ASIDE_FROM:
        paths = files_not_stored(paths, store)
    else:
        paths = []
    aside = len(paths) >= READ_ASIDE_FROM and workers_for(generator.settings) > 1
    child = Forked(read_for_store, paths) if aside else None
    _aside = _Aside(weakref.ref(generator), store, child)


def _early_store(generator) -> Store | None:
    """The comments store before build_cache has worked out the build's fingerprint (at
    article_generator_init, next): worked out here by build_cache's own function, which keeps it
    in the context for every later use. None when the build keeps nothing: BUILD_CACHE off, or
    the build_cache plugin not loaded (nothing then sets a fingerprint)."""
    if not generator.settings.get("BUILD_CACHE", True):
        return None
    try:
        from build_cache.plugin import build_fingerprint  # loaded by Pelican (PLUGIN_PATHS)
    except ImportError:
        return None
    build_fingerprint(generator)
    return open_store(generator.settings, generator.context, "comments")


def _collect(generator) -> Store | None:
    """The store opened by read_aside for this generator, holding what the child read."""
    global _aside
    aside, _aside = _aside, None
    if aside is None:
        return None
    if aside.generator() is not generator:
        _wait_quietly(aside.child)
        return None
    if aside.child is not None:
        try:
            store_read(aside.store, aside.child.result())
        except ForkedError as error:
            logger.warning("Comments: reading them in another process failed, read here: %s", error)
    return aside.store


def _wait_quietly(child: Forked | None) -> None:
    """Let an unwanted child end and be reaped (it waits for its result to be read)."""
    if child is not None:
        with contextlib.suppress(ForkedError):
            child.result()


def attach_comments(generator) -> None:
    settings = _settings(generator)
    essays = [*generator.articles, *generator.translations, *generator.hidden_articles]
    try:
        # Each file is parsed and rendered once per change (BUILD_PATH/cache/comments-*).
        store = _collect(generator)
        if store is None:
            store = open_store(generator.settings, generator.context, "comments")
        by_essay = read_comments(_comments_dir(generator), store)
        if store is not None:
            store.save()
        # A scheduled essay or a draft keeps its comments in the repository, unpublished.
        for slug in generator.context.get(context_keys.WITHHELD_SLUGS, ()):
            if by_essay.pop(slug, None):
                logger.info("Comments held back until %s is published", slug)
        check_comments(by_essay, (essay.slug for essay in essays))
    except CommentError as error:
        raise CommentBuildError(f"Comments: {error}") from None

    for essay in essays:
        every = tuple(by_essay.get(essay.slug, ()))
        # A removed comment's placeholder keeps its replies' place in the thread and nothing
        # else: it is no comment to count, list, feed or quote.
        comments = tuple(c for c in every if not c.removed)
        essay.comment_list = comments
        essay.comment_count = len(comments)
        essay.comment_ids = tuple(c.id for c in every)
        essay.comment_thread = build_thread(every, settings["COMMENTS_MAX_DEPTH"])
        essay.comments_open = comments_open(essay.metadata)
    everything = [c for comments in by_essay.values() for c in comments if not c.removed]
    generator.context[context_keys.COMMENTS] = sorted(everything, key=lambda c: (c.date, c.id))


def register():
    signals.generator_init.connect(read_aside)
    signals.article_generator_finalized.connect(attach_comments)
