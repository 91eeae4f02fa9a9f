"""Leaves scheduled essays (dated after the build date) and drafts out of the whole site.

It runs at `article_generator_pretaxonomy`: Pelican has read every essay but has not yet built the
categories, tags, archives or pagination, nor shared the list with the other generators and plugins,
so an essay removed here appears nowhere: not on a page, in a listing, an archive, a feed, the
sitemap, the search index or the manifest.
"""

import logging

from pelican import signals

from letterpress import context_keys
from letterpress.clock import build_date
from letterpress.schedule import publication_day, split_by_schedule

logger = logging.getLogger(__name__)


def withhold_unpublished(generator) -> None:
    timezone = generator.settings["TIMEZONE"]
    today = build_date(timezone)
    generator.articles, scheduled = split_by_schedule(generator.articles, today, timezone)
    generator.translations, scheduled_translations = split_by_schedule(
        generator.translations, today, timezone
    )
    withheld = {
        essay.get_relative_source_path(): (
            f"scheduled for {publication_day(essay.date, timezone).isoformat()}"
        )
        for essay in (*scheduled, *scheduled_translations)
    }
    # Drafts are never written (DRAFT_SAVE_AS is empty); dropping them keeps them out of the
    # context that feeds, the sitemap and the manifest read.
    drafts = (*generator.drafts, *generator.drafts_translations)
    for draft in drafts:
        withheld[draft.get_relative_source_path()] = "a draft"
    generator.context[context_keys.WITHHELD_SLUGS] = frozenset(
        essay.slug for essay in (*scheduled, *scheduled_translations, *drafts)
    )
    generator.drafts, generator.drafts_translations = [], []

    # Without this, a {filename} link to a left-out essay would resolve to a page never written.
    for path in withheld:
        generator.context["generated_content"].pop(path, None)
    generator.context[context_keys.WITHHELD] = withheld
    for essay in scheduled:
        logger.info(
            "Scheduled, not published yet: %s (%s)",
            essay.slug,
            withheld[essay.get_relative_source_path()],
        )


def register():
    signals.article_generator_pretaxonomy.connect(withhold_unpublished)
