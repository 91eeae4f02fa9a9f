"""The fast path of `make serve`: an edited essay, comment or workshop rendered at once.

Pelican glue, with Pelican's public API only. The last finished build's generators and context
are caught with the all_generators_finalized signal; an edited file is read again with the
generator's own readers, and when its outline (what other pages show: letterpress.dev_server.
outline) is unchanged, the pages that show it in full are rendered from that context with the
site's templates and written. The complete rebuild follows (commands/serve.py), so feeds,
listings and search catch up and output/ ends equal to a clean build (tests/serve check it).

Each function returns the output files it wrote (relative to the output folder), or None when
the edit needs the complete rebuild instead (changed outline, a file it cannot place, an error:
the rebuild then reports it as a build does).
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import os
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator, Generator
from pelican.readers import Readers
from pelican.writers import Writer

from letterpress import context_keys
from letterpress.comments import (
    MAX_DEPTH,
    CommentError,
    check_comments,
    essay_comment_fields,
    read_comment,
)
from letterpress.dev_server.changes import Edit, Kind
from letterpress.dev_server.outline import outline_changes

logger = logging.getLogger(__name__)


class LastBuild:
    """The generators of the last build that finished (None before the first, or after a
    failure: a half-made context is no base to render from)."""

    def __init__(self) -> None:
        self.generators: Sequence[Generator] | None = None
        self._caught: Sequence[Generator] | None = None
        signals.all_generators_finalized.connect(self._catch)

    def _catch(self, generators: Sequence[Generator]) -> None:
        self._caught = list(generators)

    def starting(self) -> None:
        self._caught = None

    def finished(self, ok: bool) -> None:
        self.generators = self._caught if ok else None
        self._caught = None

    def close(self) -> None:
        signals.all_generators_finalized.disconnect(self._catch)

    def essays(self) -> ArticlesGenerator | None:
        for generator in self.generators or ():
            if isinstance(generator, ArticlesGenerator):
                return generator
        return None

    def holding(self, attribute: str) -> Generator | None:
        """The generator that keeps `attribute` (the workshops generator keeps `workshops`)."""
        for generator in self.generators or ():
            if hasattr(generator, attribute):
                return generator
        return None


def render(last: LastBuild, edit: Edit) -> list[str] | None:
    """Render the pages that show `edit`'s file in full; None when the rebuild must do it."""
    if last.generators is None:
        return None
    try:
        if edit.kind is Kind.ESSAY:
            return _essay(last, edit.path)
        if edit.kind is Kind.COMMENT:
            return _comments(last, edit.path.parent)
        return _workshop(last, edit.path)
    except Exception as error:  # the complete rebuild reports it, as a build does
        logger.debug("Fast path gave up on %s: %s", edit.path, error)
        return None


# == essays ==


def _all_essays(generator: ArticlesGenerator) -> Iterator[Article]:
    yield from generator.translations
    yield from generator.articles
    yield from generator.hidden_translations
    yield from generator.hidden_articles


def _essay_at(generator: ArticlesGenerator, path: Path) -> Article | None:
    wanted = os.path.realpath(path)
    for essay in _all_essays(generator):
        if os.path.realpath(essay.source_path) == wanted:
            return essay
    return None


def _outline(essay: Article) -> dict[str, object]:
    """What listings, feeds, neighbours and the site's links show of an essay."""
    facts: dict[str, object] = dict(essay.metadata)
    facts.pop("reader", None)  # which reader class read it: no page shows that
    facts["summary"] = str(essay.summary)
    facts["url"] = essay.url
    facts["save_as"] = essay.save_as
    facts["status"] = essay.status
    facts["reading_minutes"] = getattr(essay, "reading_minutes", None)
    return facts


def _computed_on_use(cls: type, name: str) -> bool:
    return isinstance(getattr(cls, name, None), (cached_property, property))


def _adopt(new: Article, old: Article) -> None:
    """Give the freshly read essay what the plugins attached to the old one after reading
    (comments, share links, related essays...): with the outline unchanged, those still hold.
    Values a property works out on first use are left for the new essay to work out."""
    kept = vars(new)
    for name, value in vars(old).items():
        if name not in kept and not _computed_on_use(type(new), name):
            setattr(new, name, value)


def _essay(last: LastBuild, path: Path) -> list[str] | None:
    generator = last.essays()
    if generator is None:
        return None
    old = _essay_at(generator, path)
    if old is None:
        return None
    # Pelican's own readers, made afresh: a reader a plugin put in the generator may answer from
    # what it read for the last build.
    new = Readers(generator.settings).read_file(
        base_path=generator.path,
        path=os.path.relpath(path, generator.path),
        content_class=Article,
        context=generator.context,
        preread_signal=signals.article_generator_preread,
        preread_sender=generator,
        context_signal=signals.article_generator_context,
        context_sender=generator,
    )
    if not isinstance(new, Article) or not new.is_valid():
        return None
    changed = outline_changes(_outline(old), _outline(new))
    if changed:
        logger.debug("%s: outline changed (%s): the complete rebuild", path, ", ".join(changed))
        return None
    _adopt(new, old)
    return [_write_essay(generator, new)]


def _write_essay(generator: ArticlesGenerator, essay: Article) -> str:
    """Write the essay's page as ArticlesGenerator.generate_articles does."""
    signals.article_generator_write_article.send(generator, content=essay)
    writer = Writer(generator.output_path, settings=generator.settings)
    writer.write_file(
        essay.save_as,
        generator.get_template(essay.template),
        generator.context,
        relative_urls=generator.settings["RELATIVE_URLS"],
        article=essay,
        category=getattr(essay, "category", None),
        override_output=hasattr(essay, "override_save_as"),
        url=essay.url,
        blog=True,
    )
    return str(essay.save_as)


# == comments ==


def _comments(last: LastBuild, folder: Path) -> list[str] | None:
    """An essay's comments changed (content/comments/<slug>/): its page, with them as they are.

    The comments are set on a copy of the essay by the rule plugins/comments applies
    (letterpress.comments.essay_comment_fields); tests/serve compare the page with the complete
    rebuild's."""
    generator = last.essays()
    if generator is None:
        return None
    slug = folder.name
    essays = [e for e in _all_essays(generator) if e.slug == slug]
    if len(essays) != 1:  # withheld, a translation pair, or no such essay: the rebuild decides
        return None
    essay = copy.copy(essays[0])
    every = sorted((read_comment(p) for p in sorted(folder.glob("*.md"))), key=_oldest_first)
    try:
        check_comments({slug: every}, [slug])
    except CommentError:
        return None
    depth = generator.settings.get("COMMENTS_MAX_DEPTH") or MAX_DEPTH
    for name, value in essay_comment_fields(every, essay.metadata, depth).items():
        setattr(essay, name, value)
    # Listings that count comments catch up with the complete rebuild that follows.
    return [_write_essay(generator, essay)]


def _oldest_first(comment: Any) -> tuple[Any, str]:
    return (comment.date, comment.id)


# == workshops ==


def _workshop_outline(generator: Any) -> dict[str, object]:
    """What pages other than a workshop's own show of the workshops: all but their bodies, and
    which one the block below every essay shows."""
    facts: dict[str, object] = {
        w.slug: dataclasses.replace(w, body="") for w in generator.workshops
    }
    block = generator.context.get(context_keys.WORKSHOP_BLOCK)
    facts["(block)"] = block.workshop.slug if block is not None else None
    return facts


def _workshop(last: LastBuild, path: Path) -> list[str] | None:
    """A workshop changed: its generator runs again on a copy of the last context, and writes
    its few pages and calendars when no other page would show the change."""
    old = last.holding("workshops")
    if old is None:
        return None
    fresh = type(old)(
        context=dict(old.context),
        settings=old.settings,
        path=old.path,
        theme=old.theme,
        output_path=old.output_path,
    )
    fresh.generate_context()
    changed = outline_changes(_workshop_outline(old), _workshop_outline(fresh))
    if changed:
        return None
    output = os.path.realpath(old.output_path)
    written: list[str] = []

    def note(path: str, context: object = None) -> None:
        written.append(Path(os.path.relpath(os.path.realpath(path), output)).as_posix())

    # The pages, as Writer announces them; the calendars beside them reach the browser with the
    # complete rebuild that follows.
    signals.content_written.connect(note)
    try:
        fresh.generate_output(Writer(old.output_path, settings=old.settings))
    finally:
        signals.content_written.disconnect(note)
    return sorted(written)
