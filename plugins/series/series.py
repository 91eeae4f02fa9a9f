"""Series of essays: "Part 2 of 5" on each part, and a page per series listing its parts.

Glue only: letterpress.series groups and orders. The generator runs after the essays are read and
the schedule plugin has left out scheduled essays and drafts, so a series holds only what this
build publishes. Each essay gets `series_place` (None outside a series) for the essay template.
"""

from pelican import signals
from pelican.generators import Generator

from letterpress.options import merge_options
from letterpress.series import (
    INDEX_URL,
    URL_PATTERN,
    SeriesError,
    build_series,
    part_from_headers,
    places,
)

SERIES_KEY = "LETTERPRESS_SERIES"
DEFAULTS = {"url": URL_PATTERN, "index_url": INDEX_URL}


class SeriesGenerator(Generator):
    """Finds the series in generate_context; writes their pages in generate_output."""

    def generate_context(self):
        self.options = merge_options("SERIES", DEFAULTS, self.settings.get("SERIES"), SeriesError)
        essays = self.context.get("articles", [])
        parts = (
            part_from_headers(
                essay.slug,
                essay.title,
                essay.url,
                essay.date,
                essay.metadata,
                essay.get_relative_source_path(),
            )
            for essay in essays
        )
        self.series = build_series([p for p in parts if p], self.options["url"])
        found = places(self.series)
        self.essays_by_slug = {essay.slug: essay for essay in essays}
        for essay in essays:
            essay.series_place = found.get(essay.slug)
        self.context[SERIES_KEY] = self.series
        self.context["SERIES_INDEX_URL"] = self.options["index_url"] if self.series else ""

    def generate_output(self, writer):
        if not self.series:
            return
        relative = self.settings["RELATIVE_URLS"]
        template = self.get_template("series")
        for series in self.series:
            writer.write_file(
                series.url + "index.html",
                template,
                self.context,
                relative_urls=relative,
                series=series,
                series_essays=[self.essays_by_slug[part.key] for part in series.parts],
            )
        writer.write_file(
            self.options["index_url"] + "index.html",
            self.get_template("series_index"),
            self.context,
            relative_urls=relative,
            all_series=self.series,
        )


def get_generators(pelican):
    return SeriesGenerator


def register():
    signals.get_generators.connect(get_generators)
