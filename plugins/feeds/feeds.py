"""Writes every feed (plugins/feeds): gathers the site's facts from Pelican, plans, renders.

The plan is made at `all_generators_finalized`, when every generator has filled the shared context
(essays, comments, workshops, newsletter issues) and no page has been written yet, so templates can
advertise exactly the feeds that will exist. The files are written in `generate_output`, feedgen
serialising on every core; under `make serve`, a feed whose entries and head are those of the last
build (and whose files are as it left them) is neither serialised nor written again.
"""

from collections.abc import Sequence
from functools import partial

from pelican import signals
from pelican.generators import Generator
from pelican.utils import sanitised_join

from letterpress import context_keys as keys
from letterpress.build_services import OutputJob, services_in
from letterpress.clock import build_date
from letterpress.context_keys import check_plugin_order
from letterpress.feeds import (
    Essay,
    SiteFacts,
    Term,
    feed_digest,
    feed_paths,
    plan_feeds,
    render_feed,
    site_authority,
)
from letterpress.feeds.links import FeedIndex
from letterpress.feeds.table import Feed
from letterpress.seo import absolute_url, canonical_base_from

# The newest essays of each essay feed carry their whole text; older entries, their summary.
DEFAULT_FULL_TEXT_ITEMS = 10
# Below this many feeds to write, forking costs more than it saves (an edit under make serve).
PARALLEL_THRESHOLD = 40


def essay_facts(article, base: str) -> Essay:
    """An essay as the feeds see it; its full HTML is rendered only if a feed needs it."""

    def term(taxonomy) -> Term:
        return Term(str(taxonomy), taxonomy.slug, absolute_url(base, taxonomy.url))

    return Essay(
        slug=article.slug,
        title=article.title,
        url=absolute_url(base, article.url),
        published=article.date,
        updated=getattr(article, "modified", None) or article.date,
        author=str(article.author) if getattr(article, "author", None) else "",
        summary_html=article.summary,
        category=term(article.category) if getattr(article, "category", None) else None,
        tags=tuple(term(tag) for tag in sorted(getattr(article, "tags", []), key=str)),
        # Set by plugins/comments; without it there are no comment feeds to decide about.
        comments_open=getattr(article, "comments_open", True),
        pinned_id=article.metadata.get("feed-id") or None,
        # Pelican turns {filename} and {static} links into absolute ones for this base.
        content_html=lambda: article.get_content(base),
    )


def site_facts(context, settings) -> SiteFacts:
    # The same absolute root as canonical links (plugins/seo): relative URLs in development
    # would lead nowhere in a feed reader.
    base = canonical_base_from(settings)
    return SiteFacts(
        base=base,
        authority=site_authority(base, settings.get("FEED_ID_AUTHORITY")),
        title=settings["SITENAME"],
        subtitle=settings.get("SITESUBTITLE", ""),
        author=settings.get("AUTHOR", ""),
        language=settings.get("DEFAULT_LANG", "en"),
        timezone=settings["TIMEZONE"],
        today=build_date(settings["TIMEZONE"]),
        essays=tuple(essay_facts(a, base) for a in context.get("articles", ())),
        comments=_optional(context.get(keys.COMMENTS)),
        workshops=_optional(context.get(keys.WORKSHOPS)),
        issues=_optional(context.get(keys.NEWSLETTER_ISSUES)),
        workshops_url=absolute_url(base, context.get(keys.WORKSHOPS_INDEX_URL, "")),
        newsletter_url=absolute_url(base, context.get(keys.NEWSLETTER_ARCHIVE_URL, "")),
    )


def _optional(items):
    return None if items is None else tuple(items)


class FeedsGenerator(Generator):
    """Plans the feeds once the context is complete, then writes each in Atom and RSS."""

    feeds: Sequence[Feed] = ()
    site: SiteFacts | None = None

    def plan(self) -> None:
        self.site = site_facts(self.context, self.settings)
        paths = feed_paths(self.settings.get("FEED_PATHS"))
        self.feeds = plan_feeds(
            self.site,
            paths,
            self.settings.get("FEED_MAX_ITEMS"),
            self.settings.get("FEED_FULL_TEXT_ITEMS", DEFAULT_FULL_TEXT_ITEMS),
        )
        self.context[keys.FEEDS] = FeedIndex(self.feeds)
        # Pages link to the feeds that exist (an essay's comment feed, once it has comments).
        planned = sorted(path for feed in self.feeds for path in feed.paths.values())
        services_in(self.context).site_input("feeds", "\n".join(planned))

    def generate_output(self, writer):
        site = self.site
        if site is None:  # plan() runs at all_generators_finalized, before any output
            return
        # Under `make serve`, the engine leaves alone a feed whose entries and head are those
        # of the last build; the others are serialised by feedgen on every core.
        jobs = [
            OutputJob(
                key=feed_digest(feed, site),
                paths={
                    fmt: sanitised_join(self.output_path, path) for fmt, path in feed.paths.items()
                },
                make=partial(render_feed, feed, site),
            )
            for feed in self.feeds
        ]
        services_in(self.context).write_outputs(jobs, PARALLEL_THRESHOLD)


def get_generators(pelican):
    return FeedsGenerator


def plan_feeds_for_templates(generators):
    for generator in generators:
        if isinstance(generator, FeedsGenerator):
            generator.plan()


def check_order(pelican) -> None:
    # The newsletter chooses its issues at all_generators_finalized too; handlers of one signal
    # run in the order of PLUGINS, and the feeds must see the issues.
    check_plugin_order(pelican.settings["PLUGINS"], "feeds", ("newsletter",))


def register():
    signals.initialized.connect(check_order)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(plan_feeds_for_templates)
