"""The keys our Pelican plugins share in the build's context, and who provides each.

A plugin that reads another's key names it from here, never as a string of its own. Most readers
wait until every generator has filled the context (generate_output), so the order of PLUGINS
does not matter to them. Where one handler of a signal reads what another handler of the same
signal provides (the feeds read the newsletter's issues, both at all_generators_finalized), the
order of PLUGINS decides, and the reader declares it with `check_plugin_order()`, which fails the
build with a sentence naming PLUGINS instead of building pages with the key silently missing.
"""

from collections.abc import Iterable, Sequence

from letterpress.errors import LetterpressError

# plugins/build_engine: what the build engine does for features (letterpress/build_services.py);
# absent without the engine plugin, when features use the plain services.
BUILD_SERVICES = "LETTERPRESS_BUILD_SERVICES"
# plugins/schedule: essays left out of this build (path -> why), and their slugs.
WITHHELD = "LETTERPRESS_WITHHELD"
WITHHELD_SLUGS = "LETTERPRESS_WITHHELD_SLUGS"
# plugins/comments: every approved comment, oldest first.
COMMENTS = "LETTERPRESS_COMMENTS"
# plugins/workshops: the workshops, their manifest entries for the inbox, and their addresses.
WORKSHOPS = "LETTERPRESS_WORKSHOPS"
WORKSHOPS_MANIFEST = "LETTERPRESS_WORKSHOPS_MANIFEST"
WORKSHOP_BLOCK = "WORKSHOP_BLOCK"
WORKSHOPS_INDEX_URL = "WORKSHOPS_INDEX_URL"
WORKSHOPS_CALENDAR_URL = "WORKSHOPS_CALENDAR_URL"
# plugins/newsletter: the published issues and the archive's address.
NEWSLETTER_ISSUES = "LETTERPRESS_NEWSLETTER_ISSUES"
NEWSLETTER_ARCHIVE_URL = "NEWSLETTER_ARCHIVE_URL"
# plugins/feeds: every feed, for the templates' <link rel="alternate"> and subscribe page.
FEEDS = "LETTERPRESS_FEEDS"


class PluginOrderError(LetterpressError):
    """PLUGINS lists a plugin before one whose results it reads."""


def plugin_name(entry) -> str:
    """'comments' for 'comments', 'plugins.comments' or the imported module."""
    return str(getattr(entry, "__name__", entry)).rsplit(".", 1)[-1]


def check_plugin_order(plugins: Iterable, plugin: str, reads_from: Sequence[str]) -> None:
    """Raise PluginOrderError unless each of `reads_from` that PLUGINS lists comes before
    `plugin` (a plugin left out is fine: its part is simply absent from the site)."""
    names = [plugin_name(entry) for entry in plugins]
    if plugin not in names:
        return
    late = [name for name in reads_from if name in names[names.index(plugin) :]]
    if late:
        raise PluginOrderError(
            f"PLUGINS in pelicanconf.py lists {plugin!r} before {', '.join(map(repr, late))}, "
            f"whose results it reads: move {plugin!r} after them."
        )
