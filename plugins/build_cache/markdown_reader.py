"""Essays' Markdown converted once per change, on every core: a reader Pelican reads through.

Pelican reads the essays one by one on one core, and again on every build. This reader converts,
before Pelican asks, every essay whose bytes it has not converted under this build's fingerprint
(letterpress.build_cache), in a pool of processes, one per core; then Pelican reads each essay
as usual (its signals, metadata rules and Content objects are untouched) and gets the HTML
from here. A worker returns plain strings only: the HTML, the raw metadata and the formatted
fields (Summary) as HTML; metadata is turned into dates, tags and categories here, in Pelican's
process, exactly as Pelican's MarkdownReader does.
"""

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from markdown import Markdown
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.utils import pelican_open

from letterpress.build_cache import Store, file_digest

logger = logging.getLogger(__name__)

# Below this many essays to convert, a pool costs more than it saves (one edited essay).
POOL_THRESHOLD = 8


def convert(markdown_settings: dict, formatted_fields, path: str):
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


def _convert_in_worker(job):
    markdown_settings, formatted_fields, path = job
    return convert(markdown_settings, formatted_fields, path)


class CachingMarkdownReader(MarkdownReader):
    """Pelican's MarkdownReader, answering from `store` (one entry per file, by its bytes)."""

    def __init__(self, settings, store: Store):
        super().__init__(settings)
        self.store = store
        self.digests: dict[str, str] = {}

    def _entry(self, path: str):
        digest = self.digests.get(path) or file_digest(path)
        self.digests[path] = digest
        return digest, self.store.get(path, digest)

    def prefetch(self, paths) -> int:
        """Convert every file of `paths` not in the store, on every core; the number converted."""
        missing = [path for path in paths if self._entry(path)[1] is None]
        if len(missing) < POOL_THRESHOLD:
            return 0
        settings = self.settings["MARKDOWN"]
        fields = [f.lower() for f in self.settings["FORMATTED_FIELDS"]]
        jobs = [(settings, fields, path) for path in missing]
        workers = min(os.cpu_count() or 1, len(missing))
        # fork: the workers start with Pelican, the extensions and the settings already loaded.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            chunk = max(1, len(jobs) // (workers * 8))
            for path, result in zip(
                missing, pool.map(_convert_in_worker, jobs, chunksize=chunk), strict=True
            ):
                self.store.put(path, self.digests[path], result)
        return len(missing)

    def read(self, source_path):
        self._source_path = source_path
        digest, found = self._entry(source_path)
        if found is None:
            fields = [f.lower() for f in self.settings["FORMATTED_FIELDS"]]
            found = convert(self.settings["MARKDOWN"], fields, source_path)
            self.store.put(source_path, digest, found)
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
