"""Parts of a post that Markdown cannot say, kept as clean HTML in the Markdown file.

Python-Markdown (the essays' reader) has no way to write a list that starts at 8, a list nested
inside a list item holding paragraphs, a definition list whose terms look like headings, a table
whose cells hold `|` or lists, a player, or a gallery with columns. Such a top-level block of the
post stays HTML, cleaned to an allow-list of elements and attributes (nh3, no scripts, no styles,
only safe addresses), and Python-Markdown passes it through as it is. Everything else becomes
Markdown.
"""

import re

import nh3
from bs4 import Tag
from bs4.element import AttributeValueList

from letterpress.soup import attribute_text

ALLOWED_TAGS = {
    "a", "abbr", "audio", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "samp", "small", "source", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "track", "u", "ul", "var",
    "video",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"class", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "audio": {"src", "controls", "loop", "preload", "muted"},
    "video": {"src", "controls", "loop", "preload", "muted", "poster", "width", "height"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label"},
}
# Classes that carry meaning a reader sees (alignment, gallery columns); the rest is WordPress's
# styling for its own themes and goes.
KEPT_CLASS = re.compile(
    r"align(?:left|right|center|none|wide|full)|gallery(?:-columns-\d+|-item|-caption)?|"
    r"columns-\d+|wp-caption(?:-text)?|wp-block-(?:gallery|audio|video|image|table|quote)|"
    r"audio|video"
)
_LIST = ("ul", "ol")
_BLOCK_INSIDE = ("p", "div", "blockquote", "pre", "table", "figure", "dl", "h1", "h2", "h3",
                 "h4", "h5", "h6", *_LIST)  # fmt: skip
_ALWAYS_HTML = ("table", "dl", "audio", "video", "details", "figure")


def keep_meaningful_classes(tag: Tag) -> None:
    for element in [tag, *tag.find_all(True)]:
        classes = [c for c in element.get_attribute_list("class") if KEPT_CLASS.fullmatch(c)]
        if classes:
            element["class"] = AttributeValueList(classes)
        elif element.has_attr("class"):
            del element["class"]


def clean_html(markup: str) -> str:
    """`markup` with only the allowed elements and attributes, and safe addresses."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


def _list_needs_html(element: Tag) -> bool:
    if element.name == "ol":
        start = attribute_text(element, "start").strip() or "1"
        if start != "1" or element.has_attr("reversed") or element.has_attr("type"):
            return True
    for item in element.find_all("li"):
        if item.has_attr("value") or item.find(_BLOCK_INSIDE):
            return True
    return False


def needs_html(element: Tag) -> bool:
    """True when this top-level block of a post cannot be said in Markdown as it is."""
    if element.name in _ALWAYS_HTML or element.find(_ALWAYS_HTML):
        return True
    lists = [element] if element.name in _LIST else []
    lists += element.find_all(_LIST)
    if any(_list_needs_html(found) for found in lists):
        return True
    if element.name == "blockquote" and element.find(("pre", *_LIST)):
        return True
    for pre in [element] if element.name == "pre" else element.find_all("pre"):
        # A preformatted block with markup in it (bold lines, links) is no fenced code block.
        if pre is not element or pre.find(lambda t: t.name not in ("code", "br", "span")):
            return True
    for code in element.find_all("code"):
        if code.find_parent("pre") is None and ("\n" in code.get_text() or code.find("br")):
            return True
    return False


def follows_list(element: Tag) -> bool:
    """True for a list right after another list: Markdown would join the two into one."""
    if element.name not in _LIST:
        return False
    previous = element.find_previous_sibling(True)
    return previous is not None and previous.name in _LIST
