"""Per-essay values worked out once a build, however many pages, feeds and issues show them.

An essay's address is asked for on every page that links to it (listings, tags, related essays,
the search page, the sitemap, feeds, the newsletter): Pelican formats it anew each time, about
45 times an essay on a large site. Its reading time was counted on every listing that shows it.
Each essay becomes a `SettledArticle`: Pelican's Article, remembering both on first use.
"""

from functools import cached_property

from pelican import signals
from pelican.contents import Article

from letterpress.text import reading_minutes


class SettledArticle(Article):
    """An Article whose `url` and `reading_minutes` are computed once.

    The URL comes from metadata that is settled when the essay is read. The reading time counts
    the words of the HTML as read: {filename} links sit inside tags, which are not words, so it
    equals the count on any page's rendering of the essay.
    """

    @cached_property
    def url(self) -> str:
        return super().url

    @cached_property
    def reading_minutes(self) -> int:
        return reading_minutes(self._content)


def remember_facts(content) -> None:
    # Only plain Articles: a page, a static file or another plugin's subclass is left as it is.
    if type(content) is Article:
        content.__class__ = SettledArticle


def register():
    signals.content_object_init.connect(remember_facts)
