"""Writes sitemap.xml and robots.txt from what the other generators finally hold."""

from pathlib import Path

from pelican.generators import Generator

from letterpress import context_keys as keys
from letterpress.seo import (
    absolute_url,
    canonical_base_from,
    robots_txt,
    sitemap_entries,
    sitemap_xml,
    url_path_for_file,
)

SITEMAP_FILE = "sitemap.xml"
ROBOTS_FILE = "robots.txt"


def last_change(content):
    return getattr(content, "modified", None) or getattr(content, "date", None)


def newest(articles):
    dates = [last_change(a) for a in articles if last_change(a) is not None]
    return max(dates, default=None)


def site_pages(context, settings):
    """(URL path, last change) for every page a reader can reach from the site's listings."""
    articles = list(context.get("articles", []))
    latest = newest(articles)
    for article in articles:
        yield article.url, last_change(article)
    # Hidden pages (the 404 page) are in context["hidden_pages"], so they never come here.
    for page in context.get("pages", []):
        yield page.url, last_change(page)
    for template in settings.get("DIRECT_TEMPLATES", []):
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        if save_as:
            yield url_path_for_file(save_as), latest
    for taxonomy in ("categories", "tags"):
        for term, term_articles in context.get(taxonomy, []):
            yield term.url, newest(term_articles)
    for periods in context.get("period_archives", {}).values():
        for period in periods:
            yield period["url"], newest(period["articles"])
    for workshop in context.get(keys.WORKSHOPS, []):
        yield workshop.url, None


class SitemapGenerator(Generator):
    """Runs after the article and page generators, so scheduled essays are already gone."""

    def generate_output(self, writer):
        base = canonical_base_from(self.settings)
        entries = sitemap_entries(base, site_pages(self.context, self.settings))
        output = Path(self.output_path)
        output.mkdir(parents=True, exist_ok=True)
        (output / SITEMAP_FILE).write_bytes(sitemap_xml(entries))
        sitemap_url = absolute_url(base, SITEMAP_FILE)
        (output / ROBOTS_FILE).write_text(robots_txt(sitemap_url), encoding="utf-8")
