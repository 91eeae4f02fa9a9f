"""Templates compiled once per process, not once per generator and build.

Pelican makes a Jinja environment for each generator of each build (13 a build here), and each
compiles the templates it renders: base.html a dozen times a build, again on every rebuild of
`make serve` (about 0.25 s a rebuild). Jinja's bytecode cache, shared by those environments,
keeps each compiled template in memory; Jinja checks the template's source checksum before
using it, so an edited template is compiled again.
"""

from jinja2.bccache import Bucket, BytecodeCache


class ProcessBytecodeCache(BytecodeCache):
    """Compiled templates kept in this process's memory, by template and source checksum."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.compiled.clear()


def share_compiled_templates(settings: dict) -> None:
    """Give every Jinja environment Pelican makes from `settings` the same bytecode cache."""
    environment = settings.setdefault("JINJA_ENVIRONMENT", {})
    if "bytecode_cache" not in environment:
        settings["JINJA_ENVIRONMENT"] = {**environment, "bytecode_cache": ProcessBytecodeCache()}
