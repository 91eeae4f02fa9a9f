"""Three related essays under each essay, chosen at build time (letterpress.related).

It runs at `article_generator_finalized`: the schedule plugin has already left out scheduled
essays and drafts, so only published essays are compared and suggested. Each essay gets
`related_essays`, a list of articles, for partials/related_essays.html.
"""

import logging
import time

from pelican import signals

from letterpress.related import COUNT, Essay, related

logger = logging.getLogger(__name__)


def choose_related(generator) -> None:
    essays = list(generator.articles)
    started = time.process_time()
    chosen = related(
        [
            Essay(
                key=essay.slug,
                date=essay.date,
                tags=[str(tag) for tag in getattr(essay, "tags", ())],
                category=str(getattr(essay, "category", "") or ""),
                text=f"{essay.title} {essay.summary}",
            )
            for essay in essays
        ],
        count=COUNT,
    )
    by_slug = {essay.slug: essay for essay in essays}
    for essay in essays:
        essay.related_essays = [by_slug[slug] for slug in chosen[essay.slug]]
    logger.debug(
        "Chose related essays for %d essays in %.2f s", len(essays), time.process_time() - started
    )


def register():
    signals.article_generator_finalized.connect(choose_related)
