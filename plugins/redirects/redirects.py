"""Turns content/redirects.csv into redirect pages, `_redirects` and an nginx map in output/.

Runs as the last of our generators, after every page, feed and listing is written, so it can
leave alone an old address that a page of this build now uses. Each target is resolved against
this build: `{filename}` to the essay or page built from that file, `{category}`/`{tag}` to its
listing. A `{filename}` naming no file stops the build with the table's line; one naming a draft
or a scheduled essay is skipped until that essay is published.
"""

import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from letterpress import context_keys
from letterpress.content_checks import resolve_target
from letterpress.redirects import RedirectError, Resolved, read_table, write_redirects

logger = logging.getLogger(__name__)

DEFAULTS = {"table": "redirects.csv", "netlify": "_redirects", "nginx": "nginx-redirects.map"}


class RedirectBuildError(Exception):
    """Stops the build; the message names content/redirects.csv and the line to fix."""


def _site_path(url: str) -> str:
    return url if url.startswith(("http://", "https://", "/")) else "/" + url


class RedirectsGenerator(Generator):
    def _listing(self, key: str, name: str, index: str) -> tuple[str, str]:
        for term, _ in self.context.get(key, ()):
            if name in (term.name, term.slug):
                return term.url, term.name
        # A category or tag with no published essay (yet): its index page stands in.
        logger.info("Redirects: %s %r has no published essay; using its index page", key, name)
        return self.settings[index], ""

    def _resolve(self, target: str, where: str) -> tuple[str, str] | None:
        """(URL, title) for a target, or None for a withheld essay."""
        if target.startswith("{filename}"):
            source = resolve_target("", target.removeprefix("{filename}"))
            if source in self.context.get(context_keys.WITHHELD, {}):
                return None
            content = self.context["generated_content"].get(source)
            if content is None:
                raise RedirectBuildError(
                    f"{where}: {target} names no essay or page in the content folder; "
                    "fix the path or remove the line"
                )
            return content.url, content.title
        if target.startswith("{category}"):
            return self._listing("categories", target.removeprefix("{category}"), "CATEGORIES_URL")
        if target.startswith("{tag}"):
            return self._listing("tags", target.removeprefix("{tag}"), "TAGS_URL")
        return target, ""

    def generate_output(self, writer):
        options = dict(DEFAULTS, **self.settings.get("REDIRECTS", {}))
        path = Path(self.path) / options["table"]
        try:
            table = read_table(path)
        except RedirectError as error:
            raise RedirectBuildError(str(error)) from None
        if not table:
            return
        resolved = []
        for redirect in table:
            found = self._resolve(redirect.target, f"{path}: line {redirect.line}")
            if found:
                url, title = found
                resolved.append(Resolved(redirect.source, _site_path(url), title))
        try:
            written = write_redirects(
                Path(self.output_path),
                resolved,
                canonical_root=self.settings.get("SITE_CANONICAL_URL") or self.settings["SITEURL"],
                lang=self.settings.get("DEFAULT_LANG", "en"),
                netlify=options["netlify"],
                nginx=options["nginx"],
            )
        except RedirectError as error:
            raise RedirectBuildError(f"{path}: {error}") from None
        logger.info("Redirects: %d pages, %d rules", len(written.pages), written.rules)


def get_generators(pelican):
    return RedirectsGenerator


def register():
    signals.get_generators.connect(get_generators)
