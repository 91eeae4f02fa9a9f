"""Writes output/letterpress.json, the list of essays and workshops the inbox may accept."""

from pelican import signals
from pelican.generators import Generator

from letterpress import context_keys as keys
from letterpress.clock import build_date
from letterpress.comments import comments_open
from letterpress.manifest import EssayEntry, make_manifest, write_manifest


def essay_entry(article) -> EssayEntry:
    return EssayEntry(
        slug=article.slug,
        title=article.title,
        url=article.url,
        comments_open=comments_open(article.metadata),
        # Set by plugins/comments: the ids of the approved comments on this essay.
        comment_ids=tuple(getattr(article, "comment_ids", ())),
    )


class ManifestGenerator(Generator):
    """Runs after the article and page generators, so their context is complete."""

    def generate_output(self, writer):
        manifest = make_manifest(
            site_url=self.settings["SITEURL"],
            build_date=build_date(self.settings["TIMEZONE"]).isoformat(),
            essays=[essay_entry(a) for a in self.context["articles"]],
            workshops=self.context.get(keys.WORKSHOPS_MANIFEST, {}),
            timezone=self.settings["TIMEZONE"],
            author=self.settings.get("AUTHOR") or "",
        )
        write_manifest(manifest, self.output_path)


def get_generators(pelican):
    return ManifestGenerator


def register():
    signals.get_generators.connect(get_generators)
