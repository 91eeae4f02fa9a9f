"""Gives each essay its share links (letterpress.sharing) for partials/share_links.html.

The links carry the essay's canonical URL (SITE_CANONICAL_URL, as plugins/seo uses): a shared
link must work for whoever receives it, whatever SITEURL a development build has.
"""

from pelican import signals

from letterpress.seo import absolute_url, canonical_base_from
from letterpress.sharing import share_links


def add_share_links(generator) -> None:
    base = canonical_base_from(generator.settings)
    for essay in generator.articles:
        essay.share_links = share_links(
            essay.title,
            absolute_url(base, essay.url),
            generator.settings.get("INBOX_URL") or "",
        )


def register():
    signals.article_generator_finalized.connect(add_share_links)
