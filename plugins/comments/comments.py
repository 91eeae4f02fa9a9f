"""Attaches each essay's approved comments, as a list and as a thread, for the templates.

Reads content/comments/<essay-slug>/*.md once the essays are known (article_generator_finalized),
stops the build with a message naming the file when a comment is wrong, and sets on each essay:
comment_list (oldest first), comment_count, comment_ids, comment_thread, comments_open.
Every comment of the site goes into the context under LETTERPRESS_COMMENTS.

Each file is read through the build engine's services when the engine plugin is there
(letterpress/build_services.py): read once per change, the files to read shared among cores.
"""

import logging
from pathlib import Path

from pelican import signals

from letterpress import context_keys
from letterpress.build_services import services_in
from letterpress.comments import (
    MAX_DEPTH,
    CommentError,
    check_comments,
    essay_comment_fields,
    read_comments,
)

logger = logging.getLogger(__name__)

DEFAULTS = {"COMMENTS_DIR": "comments", "COMMENTS_MAX_DEPTH": MAX_DEPTH}


class CommentBuildError(Exception):
    """Stops the build; Pelican prints the message (each line names a file) and exits non-zero."""


def _settings(generator) -> dict:
    return dict(DEFAULTS, **{k: v for k, v in generator.settings.items() if k in DEFAULTS})


def _comments_dir(generator) -> Path:
    return Path(generator.path) / _settings(generator)["COMMENTS_DIR"]


def attach_comments(generator) -> None:
    settings = _settings(generator)
    essays = [*generator.articles, *generator.translations, *generator.hidden_articles]
    try:
        by_essay = read_comments(_comments_dir(generator), services_in(generator.context))
        # A scheduled essay or a draft keeps its comments in the repository, unpublished.
        for slug in generator.context.get(context_keys.WITHHELD_SLUGS, ()):
            if by_essay.pop(slug, None):
                logger.info("Comments held back until %s is published", slug)
        check_comments(by_essay, (essay.slug for essay in essays))
    except CommentError as error:
        raise CommentBuildError(f"Comments: {error}") from None

    for essay in essays:
        every = tuple(by_essay.get(essay.slug, ()))
        fields = essay_comment_fields(every, essay.metadata, settings["COMMENTS_MAX_DEPTH"])
        for name, value in fields.items():
            setattr(essay, name, value)
    everything = [c for comments in by_essay.values() for c in comments if not c.removed]
    generator.context[context_keys.COMMENTS] = sorted(everything, key=lambda c: (c.date, c.id))


def register():
    signals.article_generator_finalized.connect(attach_comments)
