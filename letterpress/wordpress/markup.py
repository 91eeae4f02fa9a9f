"""WordPress post and comment HTML -> the Markdown our essays and comment files hold.

The steps: WordPress's own markup (block comments, shortcodes, auto-embeds) becomes finished
blocks (shortcodes.py); a classic-editor post gets WordPress's automatic paragraphs (wpautop:
a blank line ends a paragraph, a single newline is a line break); addresses with unsafe schemes
are removed (safety.py); embedded players and block-editor embeds become bare video URLs; a
top-level block Markdown cannot say stays clean HTML (islands.py); then markdownify writes
Markdown for the rest.

markdownify (MIT, maintained, built on Beautiful Soup) was chosen over html2text (GPL, its own
parser): it converts the Beautiful Soup tree we have already cleaned, and each tag's conversion
can be overridden by a method when one needs to change. Ours differ from its defaults in three
ways: text that would read as Markdown (`#word`, `1.`, `[x](y)`, `*`) is escaped in the forms
both Python-Markdown and markdown-it understand; inline elements Markdown has no syntax for
(`del`, `sub`, `abbr`, `kbd`, …) stay as HTML tags; and emphasis written right against other
emphasis (`<em>a</em><em>b</em>`) is joined or kept as tags, never `*a**b*`.
"""

import gc
import html as entities
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypedDict
from urllib.parse import quote

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

from letterpress.soup import attribute_text

from .islands import clean_html, follows_list, keep_meaningful_classes, needs_html
from .safety import remove_unsafe_addresses
from .shortcodes import BLOCK_COMMENT, SHORTCODE, Blocks, Media, expand, figure_html, video_url

_BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|"
    "figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|iframe|li|map|math|menu|nav|ol|p|"
    "pre|section|style|summary|table|tbody|td|tfoot|th|thead|tr|ul|video|audio|object|script"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCK_TAGS})>)", re.IGNORECASE)
_STARTS_BLOCK = re.compile(rf"^</?(?:{_BLOCK_TAGS})[\s/>]", re.IGNORECASE)
_RAW = re.compile(r"<(pre|script|style)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
_PLACEHOLDER_PARAGRAPH = re.compile(r"^<p>LPWPBLOCK\d+X</p>$")
# Inline elements Markdown has no syntax for: kept as tags (strike, obsolete, becomes s), with
# the attributes that carry meaning.
INLINE_HTML = {
    "del": ("cite", "datetime"), "ins": ("cite", "datetime"), "s": (), "strike": (), "u": (),
    "sub": (), "sup": (), "abbr": ("title",), "acronym": ("title",), "kbd": (), "var": (),
    "q": ("cite",), "mark": (), "small": (), "samp": (), "dfn": ("title",), "cite": (),
    "time": ("datetime",), "bdi": (), "bdo": ("dir",),
}  # fmt: skip
_RENAMED = {"strike": "s", "acronym": "abbr"}
_EMPHASIS = ("em", "i", "strong", "b")


@dataclass
class Findings:
    """What a conversion met that the report lists: counted, or by address for the line."""

    unknown_shortcodes: Counter = field(default_factory=Counter)
    removed_links: Counter = field(default_factory=Counter)  # by scheme
    images_without_alt: list[str] = field(default_factory=list)  # their src
    embeds_as_links: list[str] = field(default_factory=list)  # players we could only link to


def autop(text: str) -> str:
    """WordPress's wpautop, in the part that changes meaning: paragraphs from blank lines, line
    breaks from single newlines, nothing inside <pre>, nothing around block-level tags."""
    raw: list[str] = []

    def keep(match: re.Match) -> str:
        raw.append(match.group(0))
        return f"\n\nLPWPRAW{len(raw) - 1}X\n\n"

    text = _RAW.sub(keep, text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _BLOCK_CLOSE.sub(r"\1\n\n", _BLOCK_OPEN.sub(r"\n\n\1", text))
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_BLOCK.match(chunk) or re.fullmatch(r"LPWPRAW\d+X", chunk):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + re.sub(r"\s*\n\s*", "<br />\n", chunk) + "</p>")
    joined = "\n\n".join(paragraphs)
    return re.sub(r"LPWPRAW(\d+)X", lambda m: raw[int(m.group(1))], joined)


# Markdown-looking text, escaped with backslashes both readers take (Python-Markdown escapes only
# \ ` * _ { } [ ] ( ) > # + - . !); '<' and '&' that would read as a tag or entity become
# entities instead.
_ALWAYS = re.compile(r"([\\`*_{}\[\]])")
_LINE_START = re.compile(r"^(\s*)([#>+-])", re.MULTILINE)
_ORDERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)", re.MULTILINE)
_WORD_HASH = re.compile(r"(?<=\s)#")
_RULE_LINE = re.compile(r"^(\s*)-(?=[=\s-]*$)", re.MULTILINE)
_EQUALS_LINE = re.compile(r"^(\s*)=(?=[=\s-]*$)", re.MULTILINE)
_DEFINITION = re.compile(r"^(\s*):", re.MULTILINE)
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")


def escape_markdown(text: str) -> str:
    text = _ALWAYS.sub(r"\\\1", text)
    text = _ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;")
    text = _ORDERED.sub(r"\1\\\2", text)
    text = _RULE_LINE.sub(r"\1\\-", text)
    text = _EQUALS_LINE.sub(r"\1&#61;", text)  # '=' has no backslash escape in Python-Markdown
    text = _LINE_START.sub(r"\1\\\2", text)
    text = _WORD_HASH.sub(r"\\#", text)
    return _DEFINITION.sub(r"\1&#58;", text)


def _attributes(element: Tag, names) -> str:
    return "".join(
        f' {name}="{entities.escape(str(element[name]), quote=True)}"'
        for name in names
        if element.has_attr(name)
    )


class _Converter(MarkdownConverter):
    """markdownify with our escaping, inline HTML, emphasis, links and images (see the module)."""

    def __init__(self, inline_html: bool = True, **options):
        super().__init__(**options)
        self.inline_html = inline_html

    def escape(self, text, parent_tags):
        return escape_markdown(text) if text else ""

    def convert_p(self, el, text, parent_tags):
        if _PLACEHOLDER_PARAGRAPH.match(str(el)):
            return f"\n\n{text.strip()}\n\n"
        # markdownify's stub omits the convert_* methods its class has.
        return super().convert_p(el, text, parent_tags)  # type: ignore[misc]

    def _emphasis(self, el, text, parent_tags, markdown):
        glued = [s for s in (el.previous_sibling, el.next_sibling) if isinstance(s, Tag)]
        if self.inline_html and any(s.name in _EMPHASIS for s in glued):
            # `*a***b**` reads wrong in every Markdown; the tags say it exactly.
            tag = {"i": "em", "b": "strong"}.get(el.name, el.name)
            return f"<{tag}>{text}</{tag}>" if text.strip() else text
        return markdown(self, el, text, parent_tags)

    def convert_em(self, el, text, parent_tags):
        # markdownify's stub omits the convert_* methods its class has.
        return self._emphasis(el, text, parent_tags, MarkdownConverter.convert_em)  # type: ignore[attr-defined]

    convert_i = convert_em

    def convert_strong(self, el, text, parent_tags):
        # markdownify's stub omits the convert_* methods its class has.
        return self._emphasis(el, text, parent_tags, MarkdownConverter.convert_strong)  # type: ignore[attr-defined]

    convert_b = convert_strong

    def _inline_html(self, el, text, parent_tags):
        if not self.inline_html or "_noformat" in parent_tags or not text.strip():
            return text
        tag = _RENAMED.get(el.name, el.name)
        return f"<{tag}{_attributes(el, INLINE_HTML[el.name])}>{text}</{tag}>"

    def convert_a(self, el, text, parent_tags):
        href = el.get("href")
        if href:
            # Spaces and parentheses would end a Markdown link target early.
            el["href"] = quote(href.strip(), safe="/:?&=#%~+,;@!$'*[]{}")
        # markdownify's stub omits the convert_* methods its class has.
        return super().convert_a(el, text, parent_tags)  # type: ignore[misc]

    def convert_img(self, el, text, parent_tags):
        special = el.get("class") or el.has_attr("width") or el.has_attr("height")
        if self.inline_html and special:
            names = ("src", "alt", "title", "class", "width", "height")
            if el.get("class"):
                el["class"] = " ".join(el["class"])
            return f"<img{_attributes(el, names)} />"
        if el.get("src"):
            el["src"] = quote(el["src"].strip(), safe="/:?&=#%~+,;@!$'*[]{}")
        # markdownify's stub omits the convert_* methods its class has.
        return super().convert_img(el, text, parent_tags)  # type: ignore[misc]


for _name in INLINE_HTML:
    setattr(_Converter, f"convert_{_name}", _Converter._inline_html)


class _Options(TypedDict):
    heading_style: str
    bullets: str
    code_language: str
    newline_style: str
    strip: list[str]


_OPTIONS: _Options = {
    "heading_style": "ATX",
    "bullets": "-",
    "code_language": "",
    # Two trailing spaces: the hard line break both Python-Markdown (essays) and markdown-it
    # (comments) understand; a backslash is CommonMark only.
    "newline_style": "spaces",
    "strip": ["script", "style", "noscript", "form", "input", "button", "textarea", "select"],
}


# Made once: markdownify compiles its patterns for each new converter, and a converter holds
# nothing between calls but its options and its cache of conversion methods.
POST_CONVERTER = _Converter(**_OPTIONS)
TEXT_CONVERTER = _Converter(inline_html=False, **_OPTIONS)


def _join_adjacent_emphasis(soup: BeautifulSoup) -> None:
    """<em>Note</em><em>: this</em> -> <em>Note: this</em>: one span, as the reader saw it."""
    for element in soup.find_all(_EMPHASIS):
        if element.decomposed or element.parent is None:
            continue
        following = element.next_sibling
        while isinstance(following, Tag) and following.name == element.name:
            for child in list(following.contents):
                element.append(child.extract())
            following.decompose()
            following = element.next_sibling


def _players_to_urls(soup: BeautifulSoup, blocks: Blocks, findings: Findings) -> None:
    """<iframe> players and block-editor embed figures -> a bare video URL (or a plain link)."""
    for embed in soup.select("figure.wp-block-embed, figure[class*=wp-block-embed]"):
        if embed.decomposed or embed.parent is None:
            continue
        wrapper = embed.select_one(".wp-block-embed__wrapper") or embed
        url = wrapper.get_text(" ", strip=True).split(" ")[0]
        video = video_url(url) if url else None
        if re.fullmatch(r"LPWPBLOCK\d+X", url):
            # Its URL, alone on its line, was already made a video block by expand().
            paragraph = soup.new_tag("p")
            paragraph.string = url
            embed.replace_with(paragraph)
        elif video:
            embed.replace_with(_placeholder(soup, blocks, video))
        elif url.startswith("http"):
            findings.embeds_as_links.append(url)
            link = soup.new_tag("a", attrs={"href": url})
            link.string = url
            paragraph = soup.new_tag("p")
            paragraph.append(link)
            caption = embed.find("figcaption")
            if caption is not None:
                paragraph.append(soup.new_tag("br"))
                paragraph.append(caption.get_text(" ", strip=True))
            embed.replace_with(paragraph)
    for frame in soup.find_all(["iframe", "embed", "object"]):
        if frame.decomposed or frame.parent is None:
            continue  # inside a player already replaced
        src = attribute_text(frame, "src") or attribute_text(frame, "data")
        video = video_url(src) if src else None
        if video:
            frame.replace_with(_placeholder(soup, blocks, video))
        elif src.startswith("http"):
            findings.embeds_as_links.append(src)
            link = soup.new_tag("a", attrs={"href": src})
            link.string = attribute_text(frame, "title") or src
            frame.replace_with(link)
        else:
            frame.decompose()


def _figures_to_blocks(soup: BeautifulSoup, blocks: Blocks) -> None:
    """Block-editor image figures (one image) keep their caption, link and alignment."""
    for figure in soup.find_all("figure"):
        if figure.decomposed or figure.find_parent("figure") is not None:
            continue
        images = figure.find_all("img")
        caption = figure.find("figcaption")
        if len(images) != 1 or figure.find(("ul", "ol", "figure", "video", "audio")):
            continue
        image = images[0]
        link = image.find_parent("a")
        keep_meaningful_classes(figure)
        classes = " ".join(figure.get("class") or [])
        block = figure_html(
            [image],
            caption.decode_contents() if caption is not None else "",
            classes,
            link=attribute_text(link, "href") if link is not None else "",
        )
        figure.replace_with(_placeholder(soup, blocks, clean_html(block)))


def _placeholder(soup: BeautifulSoup, blocks: Blocks, text: str) -> Tag:
    paragraph = soup.new_tag("p")
    paragraph.string = blocks.add(text)
    return paragraph


_ISLAND_SIGNS = frozenset(
    {"table", "dl", "audio", "video", "details", "figure", "ul", "ol", "pre", "code"}
)


def _islands(soup: BeautifulSoup, blocks: Blocks) -> None:
    """Top-level blocks Markdown cannot say -> clean HTML, kept as they are."""
    if not _ISLAND_SIGNS & {element.name for element in soup.find_all(True)}:
        return  # paragraphs and inline markup only: all Markdown
    for element in list(soup.children):
        if not isinstance(element, Tag) or _PLACEHOLDER_PARAGRAPH.match(str(element)):
            continue
        if needs_html(element) or follows_list(element):
            keep_meaningful_classes(element)
            for old, new in _RENAMED.items():
                for found in element.find_all(old):
                    found.name = new
            element.replace_with(_placeholder(soup, blocks, clean_html(element.decode())))


def _tidy(markdown: str) -> str:
    """Trailing spaces go (except the two of a hard line break) and runs of blank lines become
    one, outside fenced code and <pre>, whose every line and blank line is kept."""
    out, fence, blank = [], "", False
    for line in markdown.replace("\r\n", "\n").split("\n"):
        if fence:
            out.append(line)
            if line.strip() == fence or (fence == "</pre>" and "</pre>" in line):
                fence = ""
            continue
        stripped = line.rstrip() + ("  " if line.endswith("  ") and line.strip() else "")
        if not stripped:
            if not blank:
                out.append("")
            blank = True
            continue
        blank = False
        out.append(stripped)
        opener = re.match(r"\s*(`{3,}|~{3,})", line)
        if opener:
            fence = opener.group(1)
        elif "<pre" in line and "</pre>" not in line:
            fence = "</pre>"
    text = "\n".join(out).strip("\n")
    return text + "\n" if text else ""


def _missing_alt(soup: BeautifulSoup, findings: Findings) -> None:
    """Every image without alt text in `soup`."""
    for image in soup.find_all("img"):
        if not attribute_text(image, "alt").strip():
            findings.images_without_alt.append(attribute_text(image, "src"))


# A post longer than this is converted a stretch at a time (whole top-level blocks each), so a
# huge post costs a few times its size in memory rather than a tree of millions of nodes.
PIECE = 64 * 1024
_BREAK_OR_BLOCK_TAG = re.compile(
    rf"<(?P<close>/?)(?P<tag>{_BLOCK_TAGS})\b[^>]*?(?P<self>/?)>|\n[ \t]*\n", re.IGNORECASE
)


def pieces(text: str, size: int = PIECE) -> Iterator[str]:
    """`text` cut into stretches of about `size` at blank lines outside any block element
    (a paragraph, a list, a <pre>): each stretch gets the same paragraphs from wpautop and the
    same tree from the parser as it would inside the whole."""
    if len(text) <= size:
        yield text
        return
    start, depth = 0, 0
    for match in _BREAK_OR_BLOCK_TAG.finditer(text):
        if match.group("tag") is None:  # a blank line
            if depth == 0 and match.start() - start >= size:
                yield text[start : match.start()]
                start = match.start()
            continue
        if match.group("tag").lower() in ("hr", "col") or match.group("self"):
            continue
        depth = max(0, depth - 1) if match.group("close") else depth + 1
        # Right after a top-level block closes is a paragraph end for wpautop too.
        if depth == 0 and match.group("close") and match.end() - start >= size:
            yield text[start : match.end()]
            start = match.end()
    yield text[start:]


def _convert(text: str, blocks: Blocks, findings: Findings) -> str:
    soup = BeautifulSoup(text, "html.parser")
    remove_unsafe_addresses(soup, findings.removed_links)
    _join_adjacent_emphasis(soup)
    _players_to_urls(soup, blocks, findings)
    _missing_alt(soup, findings)
    _figures_to_blocks(soup, blocks)
    _islands(soup, blocks)
    return POST_CONVERTER.convert_soup(soup)


def to_markdown(html: str, media: Media | None = None, findings: Findings | None = None) -> str:
    """Markdown for a post's HTML, as WordPress would have shown it."""
    blocks = Blocks()
    findings = findings if findings is not None else Findings()
    text = expand(html or "", blocks, media or Media(), findings.unknown_shortcodes)
    for block in blocks.texts:
        if "<img" in block:  # images the shortcodes made (captions, galleries)
            _missing_alt(BeautifulSoup(block, "html.parser"), findings)
    # The block editor writes its own <p> tags; wpautop is only for classic posts (as in WordPress).
    classic = "<!-- wp:" not in (html or "")
    # Each stretch tidied on its own: no fence or <pre> runs across two.
    converted = []
    for piece in pieces(text):
        converted.append(
            _tidy(blocks.restore(_convert(autop(piece) if classic else piece, blocks, findings)))
        )
        if len(piece) >= PIECE:
            # A parsed tree is a web of parent and child links that only the cycle collector
            # frees: collected now, a long post's stretches do not pile up waiting for it.
            gc.collect()
    markdown = "\n".join(converted)
    del converted
    return _tidy(markdown) if len(markdown) <= PIECE else markdown


def plain_text_markdown(text: str) -> str | None:
    """Markdown for a comment that is plain text (no tag, no entity), as comment_markdown would
    write it, without parsing HTML: most comments are plain, and a large archive has a hundred
    thousand of them. None for any other text."""
    if "<" in text or "&" in text:
        return None
    paragraphs = []
    for chunk in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [re.sub(r"\s+", " ", line).strip() for line in chunk.split("\n")]
        lines = [escape_markdown(line) for line in lines if line]
        if lines:
            paragraphs.append("  \n".join(lines))
    return _tidy("\n\n".join(paragraphs))


def comment_soup(html: str) -> BeautifulSoup:
    """A comment's HTML with WordPress's paragraphs, no images and no embeds."""
    soup = BeautifulSoup(autop(html or ""), "html.parser")
    for tag in soup.find_all(["img", "iframe", "embed", "object", "video", "audio"]):
        tag.decompose()
    return soup


def comment_markdown(soup: BeautifulSoup | str) -> str:
    """Markdown for a comment: paragraphs and inline markup; no shortcodes, no embeds, no HTML
    (comments are read with raw HTML turned off)."""
    soup = comment_soup(soup) if isinstance(soup, str) else soup
    remove_unsafe_addresses(soup, Counter())
    _join_adjacent_emphasis(soup)
    return _tidy(TEXT_CONVERTER.convert_soup(soup))


def one_line(html: str) -> str:
    """Markdown on a single line, for a metadata field such as Summary."""
    soup = BeautifulSoup(html or "", "html.parser")
    remove_unsafe_addresses(soup, Counter())
    markdown = TEXT_CONVERTER.convert_soup(soup)
    return re.sub(r"\s+", " ", markdown).strip()


def excerpt(html: str, words: int = 55) -> str:
    """WordPress's automatic excerpt: the first `words` words of the text, shortcodes and
    block comments removed, on one line."""
    # The first stretch is enough for 55 words, and a huge post is not parsed whole for them.
    text = SHORTCODE.sub(" ", BLOCK_COMMENT.sub(" ", (html or "")[: 64 * 1024]))
    found = BeautifulSoup(text, "html.parser").get_text(" ").split()
    return " ".join(found[:words]) + (" …" if len(found) > words else "")


def inline_title(html: str) -> str:
    """A post title with its inline markup (em, code, sub, …) kept as clean HTML on one line
    (Pelican shows the title as HTML and strips the tags where only text will do); a title
    without markup is plain text, as before."""
    if "<" not in entities.unescape(html or ""):
        text = BeautifulSoup(entities.unescape(html or ""), "html.parser").get_text()
        return re.sub(r"\s+", " ", text).strip()
    soup = BeautifulSoup(html if "<" in (html or "") else entities.unescape(html), "html.parser")
    remove_unsafe_addresses(soup, Counter())
    allowed = {"em", "strong", "i", "b", "code", *INLINE_HTML}
    for element in soup.find_all(True):
        if element.name not in allowed:
            element.unwrap()
        else:
            element.name = _RENAMED.get(element.name, element.name)
            keep = INLINE_HTML.get(element.name, ())
            element.attrs = {k: v for k, v in element.attrs.items() if k in keep}
    text = soup.decode(formatter="minimal")
    return re.sub(r"\s+", " ", text).strip()
