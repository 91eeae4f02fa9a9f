"""Stops the build on content that would publish a broken site, naming the file to fix.

Pelican itself stops on a missing title or date, an unparsable date and a duplicate slug (under
`--fatal warnings`, which `invoke build` always passes), and names the file. This plugin adds what
it leaves unclear: `{filename}`/`{static}` links to files that do not exist (checked as each file is
read), `javascript:`, `data:` and `vbscript:` addresses in any essay or page, and links to essays
the build leaves out (scheduled or draft), checked once the schedule plugin has decided which
those are.

Some things are for the author to fix later and must not stop a build (an imported archive always
builds): an image without alt text is listed, with the file and line, as advice. Pelican's own
warning for it ("Empty alt attribute", fatal under `--fatal warnings`, naming no line) is
replaced by that listing.
"""

import logging
import os
import sys

from pelican import signals
from pelican.contents import Article, Page

from letterpress import context_keys
from letterpress.content_checks import (
    images_without_alt,
    links_to_withheld,
    missing_targets,
    unsafe_links,
)

logger = logging.getLogger(__name__)
# Advice is printed, never fatal: it is logged below WARNING, on a handler of its own, so it shows
# whatever level and handler Pelican was started with.
ADVICE = "letterpress.advice"
# Pelican's message, and the one its log filter puts in its place after the fifth.
_PELICAN_EMPTY_ALT = ("Empty alt attribute for image", "Other images have empty alt attributes")


def advice_logger() -> logging.Logger:
    advice = logging.getLogger(ADVICE)
    if not advice.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("Advice (not stopping the build): %(message)s"))
        advice.addHandler(handler)
        advice.setLevel(logging.INFO)
        advice.propagate = False
    return advice


class _EmptyAltListedByUs(logging.Filter):
    """Drops Pelican's empty-alt warning: check_content lists the same images, with lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_PELICAN_EMPTY_ALT)


def _source(content) -> str:
    return content.get_relative_source_path()


def check_link_targets(content) -> None:
    """As each essay or page is read: every {filename}/{static}/{attach} target must exist.

    Drafts are skipped: they are never built, and a half-written draft should not stop a build.
    """
    if not isinstance(content, (Article, Page)) or content.status == "draft":
        return
    root = content.settings["PATH"]
    for problem in missing_targets(
        _source(content),
        content._content,
        lambda target: os.path.isfile(os.path.join(root, target)),
    ):
        logger.error(problem)


def _written(content) -> str:
    try:
        with open(content.source_path, encoding="utf-8", errors="replace") as file:
            return file.read()
    except OSError:
        return ""


def check_content(content) -> None:
    """As each essay or page is read, drafts included (they are committed, and published later):
    unsafe addresses stop the build; images without alt text are listed as advice."""
    if not isinstance(content, (Article, Page)):
        return
    html = content._content or ""
    text = _written(content)
    for problem in unsafe_links(_source(content), html, text):
        logger.error(problem)
    for advice in images_without_alt(_source(content), html, text):
        advice_logger().info(advice)


def _check_withheld_links(generator, contents) -> None:
    withheld = generator.context.get(context_keys.WITHHELD, {})
    if not withheld:
        return
    for content in contents:
        for problem in links_to_withheld(_source(content), content._content, withheld):
            logger.error(problem)


def check_essay_links(generator) -> None:
    _check_withheld_links(
        generator, [*generator.articles, *generator.translations, *generator.hidden_articles]
    )


def check_page_links(generator) -> None:
    _check_withheld_links(
        generator, [*generator.pages, *generator.translations, *generator.hidden_pages]
    )


def register():
    pelican_readers = logging.getLogger("pelican.readers")
    if not any(isinstance(f, _EmptyAltListedByUs) for f in pelican_readers.filters):
        pelican_readers.addFilter(_EmptyAltListedByUs())
    signals.content_object_init.connect(check_link_targets)
    signals.content_object_init.connect(check_content)
    signals.article_generator_finalized.connect(check_essay_links)
    signals.page_generator_finalized.connect(check_page_links)
