"""Three related essays under each essay, chosen at build time (letterpress.related).

It runs at `article_generator_finalized`: the schedule plugin has already left out scheduled
essays and drafts, so only published essays are compared and suggested. Each essay gets
`related_essays`, a list of articles, for partials/related_essays.html. The choice is kept in the
build cache while what is compared stays the same.
"""

import logging
import time

from pelican import signals

from letterpress.build_services import services_in
from letterpress.related import COUNT, Essay, inputs_digest, related

logger = logging.getLogger(__name__)


def choose_related(generator) -> None:
    essays = list(generator.articles)
    started = time.process_time()
    compared = [
        Essay(
            key=essay.slug,
            date=essay.date,
            tags=[str(tag) for tag in getattr(essay, "tags", ())],
            category=str(getattr(essay, "category", "") or ""),
            text=f"{essay.title} {essay.summary}",
        )
        for essay in essays
    ]
    # The choice depends only on what is compared: an edit to an essay's body keeps it, and it
    # is remembered by the build engine until a title, summary, tag,
    # category or date changes, or an essay comes or goes.
    chosen = services_in(generator.context).remember(
        "related", inputs_digest(compared, COUNT), lambda: related(compared, count=COUNT)
    )
    by_slug = {essay.slug: essay for essay in essays}
    for essay in essays:
        essay.related_essays = [by_slug[slug] for slug in chosen[essay.slug]]
    logger.debug(
        "Chose related essays for %d essays in %.2f s", len(essays), time.process_time() - started
    )


def register():
    signals.article_generator_finalized.connect(choose_related)
