"""Commenters' Markdown to safe HTML: a restricted Markdown, then an allow-list sanitiser.

Two independent walls: markdown-it-py with raw HTML off and only the rules a comment needs
(paragraphs, emphasis, links, lists, quotes, code), then nh3 keeping only the tags those rules
produce. Either alone should stop script; together a bug in one is not a hole.
"""

import re

import nh3
from markdown_it import MarkdownIt

from letterpress.fields import clean_line

LINK_REL = "nofollow ugc noopener"

BLOCK_RULES = ["paragraph", "blockquote", "list", "code", "fence"]
INLINE_RULES = ["emphasis", "link", "autolink", "backticks", "escape", "newline", "entity"]

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Bidirectional overrides and isolates can make a link or a name read differently from what it is.
_INVISIBLE_CONTROLS = re.compile("[\u0000\u202a-\u202e\u2066-\u2069\ufeff]")

# Built once and reused: both are configured here and never changed afterwards.
_MARKDOWN = (
    MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    .enable(BLOCK_RULES)
    .enable(INLINE_RULES)
)
_SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel=LINK_REL,
    strip_comments=True,
)


def render_markdown(source: str) -> str:
    """The comment body as sanitised HTML. Pure: the same source always gives the same HTML."""
    return sanitise_html(_MARKDOWN.render(_INVISIBLE_CONTROLS.sub("", source)))


def sanitise_html(html: str) -> str:
    """Only the tags, attributes and URL schemes a comment may have; links get LINK_REL."""
    return _SANITISER.clean(html).strip()


def clean_text(text: str) -> str:
    """A one-line value (a name) without line breaks or invisible characters: the inbox's own
    cleaning (letterpress.fields.clean_line), so a name reads the same wherever it came from."""
    return clean_line(text)
