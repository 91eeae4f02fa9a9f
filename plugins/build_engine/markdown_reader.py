"""Essays' Markdown converted once per change, on every core: a reader Pelican reads through.

Pelican reads the essays one by one on one core, and again on every build. Before Pelican asks,
this reader has the engine convert every essay it has not converted under this build's
fingerprint (the engine's `remember_each`, shared among the build's processes); then Pelican reads
each essay as usual (its signals, metadata rules and Content objects are untouched) and gets the
HTML from here. A conversion is plain strings only: the HTML, the raw metadata and the formatted
fields (Summary) as HTML; metadata is turned into dates, tags and categories here, in Pelican's
process, as Pelican's MarkdownReader does.

Why a subclass of MarkdownReader: a reader class is how Pelican lets a plugin read a format.
`_metadata` repeats the few lines of MarkdownReader._parse_metadata that turn raw metadata into
Pelican's values because that method converts the formatted fields itself, with a Markdown
instance made for each file; here they arrive converted.
"""

from __future__ import annotations

import logging
from typing import Any

from markdown import Markdown
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.utils import pelican_open

from letterpress.engine.fingerprint import file_digest
from letterpress.engine.services import Engine

logger = logging.getLogger(__name__)

# Below this many essays to convert, forking costs more than it saves (one edited essay).
PARALLEL_FROM = 8

Converted = tuple[str, dict[str, list[str]], dict[str, str]]


def convert(markdown_settings: dict[str, Any], formatted_fields: list[str], path: str) -> Converted:
    """(HTML, raw metadata, {field: HTML}) for one file, as Pelican's MarkdownReader makes them."""
    md = Markdown(**markdown_settings)
    with pelican_open(path) as text:
        content = md.convert(text)
    meta = getattr(md, "Meta", {})
    md.preprocessors.deregister("meta")
    formatted = {}
    for name, value in meta.items():
        if name.lower() in formatted_fields:
            md.reset()
            formatted[name] = md.convert("\n".join(value))
    return content, meta, formatted


class CachingMarkdownReader(MarkdownReader):
    """Pelican's MarkdownReader, answering from what the engine converted (`kind`: one store)."""

    def __init__(self, settings: dict[str, Any], engine: Engine, kind: str):
        super().__init__(settings)
        self.engine, self.kind = engine, kind
        self.converted: dict[str, Converted] = {}

    def _job(self, path: str) -> str:
        return f"{path}:{file_digest(path)}"

    def _convert(self, path: str) -> Converted:
        fields = [f.lower() for f in self.settings["FORMATTED_FIELDS"]]
        return convert(self.settings["MARKDOWN"], fields, path)

    def prefetch(self, paths: list[str]) -> None:
        """Convert (or find) every file of `paths` now, the conversions shared among cores."""
        jobs = {self._job(path): path for path in paths}
        found = self.engine.remember_each(self.kind, jobs, self._convert, PARALLEL_FROM)
        self.converted = {jobs[key]: value for key, value in found.items()}

    def read(self, source_path):
        self._source_path = source_path
        found = self.converted.pop(source_path, None)
        if found is None:  # not among the files prefetched
            found = self.engine.remember(
                self.kind, self._job(source_path), lambda: self._convert(source_path)
            )
        content, meta, formatted = found
        return content, self._metadata(meta, formatted)

    def _metadata(self, meta, formatted):
        """MarkdownReader._parse_metadata, with the formatted fields already converted."""
        output = {}
        for name, value in meta.items():
            key = name.lower()
            if name in formatted:
                output[key] = self.process_metadata(key, formatted[name])
            elif not DUPLICATES_DEFINITIONS_ALLOWED.get(key, True):
                if len(value) > 1:
                    logger.warning(
                        "Duplicate definition of `%s` for %s. Using first one.",
                        key,
                        self._source_path,
                    )
                output[key] = self.process_metadata(key, value[0])
            elif len(value) > 1:
                output[key] = self.process_metadata(key, value)
            else:
                output[key] = self.process_metadata(key, value[0])
        return output
