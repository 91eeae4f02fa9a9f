"""Stops the build on content that would publish a broken site, naming the file to fix.

Pelican itself stops on a missing title or date, an unparsable date and a duplicate slug (under
`--fatal warnings`, which `invoke build` always passes), and names the file. This plugin adds what
it leaves unclear: `{filename}`/`{static}` links to files that do not exist (checked as each file is
read), and links to essays the build leaves out (scheduled or draft), checked once the schedule
plugin has decided which those are.
"""

import logging
import os

from pelican import signals
from pelican.contents import Article, Page

from letterpress import context_keys
from letterpress.content_checks import links_to_withheld, missing_targets

logger = logging.getLogger(__name__)


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
    signals.content_object_init.connect(check_link_targets)
    signals.article_generator_finalized.connect(check_essay_links)
    signals.page_generator_finalized.connect(check_page_links)
