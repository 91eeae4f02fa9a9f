"""WordPress post and comment HTML -> the Markdown our essays and comment files hold.

The steps: WordPress's own markup (block comments, shortcodes, auto-embeds) becomes finished
blocks (shortcodes.py); a classic-editor post gets WordPress's automatic paragraphs (wpautop:
a blank line ends a paragraph, a single newline is a line break); embedded players and
block-editor embeds become bare video URLs; then markdownify writes Markdown.

markdownify (MIT, maintained, built on Beautiful Soup) was chosen over html2text (GPL, its own
parser): it converts the Beautiful Soup tree we have already cleaned, and each tag's conversion
can be overridden by a method when one needs to change.
"""

import re
from collections import Counter
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

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


class _Converter(MarkdownConverter):
    """markdownify, with block placeholders kept as their own paragraphs."""

    def convert_p(self, el, text, parent_tags):
        if _PLACEHOLDER_PARAGRAPH.match(str(el)):
            return f"\n\n{text.strip()}\n\n"
        return super().convert_p(el, text, parent_tags)


_OPTIONS = {
    "heading_style": "ATX",
    "bullets": "-",
    "code_language": "",
    # Two trailing spaces: the hard line break both Python-Markdown (essays) and markdown-it
    # (comments) understand; a backslash is CommonMark only.
    "newline_style": "spaces",
    "strip": ["script", "style", "noscript", "form", "input", "button"],
}


def _players_to_urls(soup: BeautifulSoup, blocks: Blocks) -> None:
    """<iframe> players and block-editor embed figures -> a bare video URL (or a plain link)."""
    for embed in soup.select("figure.wp-block-embed, figure[class*=wp-block-embed]"):
        wrapper = embed.select_one(".wp-block-embed__wrapper") or embed
        url = wrapper.get_text(" ", strip=True).split(" ")[0]
        video = video_url(url) if url else None
        if video:
            embed.replace_with(_placeholder(soup, blocks, video))
        elif url.startswith("http"):
            link = soup.new_tag("a", attrs={"href": url})
            link.string = url
            paragraph = soup.new_tag("p")
            paragraph.append(link)
            embed.replace_with(paragraph)
    for frame in soup.find_all(["iframe", "embed", "object"]):
        src = frame.get("src") or frame.get("data") or ""
        video = video_url(src) if src else None
        if video:
            frame.replace_with(_placeholder(soup, blocks, video))
        elif src.startswith("http"):
            link = soup.new_tag("a", attrs={"href": src})
            link.string = frame.get("title") or src
            frame.replace_with(link)
        else:
            frame.decompose()


def _describe_images(soup: BeautifulSoup) -> None:
    """Give every image a text alternative: Pelican (and readers of screens) need one. The
    figure's caption, the image's title or its file name stand in for a missing one."""
    for image in soup.find_all("img"):
        if (image.get("alt") or "").strip():
            continue
        figure = image.find_parent("figure")
        caption = figure.find("figcaption") if figure else None
        name = PurePosixPath(urlsplit(image.get("src", "")).path).stem
        fallback = caption.get_text(" ", strip=True) if caption else image.get("title", "")
        image["alt"] = fallback or re.sub(r"[-_]+", " ", unquote(name)).strip() or "image"


def _figures_to_blocks(soup: BeautifulSoup, blocks: Blocks) -> None:
    """Block-editor image figures keep their caption as <figure> HTML."""
    for figure in soup.find_all("figure"):
        caption = figure.find("figcaption")
        images = figure.find_all("img")
        if images and caption is not None:
            block = figure_html(images, caption.decode_contents())
            figure.replace_with(_placeholder(soup, blocks, block))


def _placeholder(soup: BeautifulSoup, blocks: Blocks, text: str) -> Tag:
    paragraph = soup.new_tag("p")
    paragraph.string = blocks.add(text)
    return paragraph


def _tidy(markdown: str) -> str:
    # Trailing spaces go, except the two that make a hard line break.
    lines = [
        line.rstrip() + ("  " if line.endswith("  ") and line.strip() else "")
        for line in markdown.replace("\r\n", "\n").split("\n")
    ]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return text + "\n" if text else ""


def to_markdown(html: str, media: Media | None = None, unknown: Counter | None = None) -> str:
    """Markdown for a post's HTML, as WordPress would have shown it."""
    blocks = Blocks()
    unknown = unknown if unknown is not None else Counter()
    text = expand(html or "", blocks, media or Media(), unknown)
    # The block editor writes its own <p> tags; wpautop is only for classic posts (as in WordPress).
    if "<!-- wp:" not in (html or ""):
        text = autop(text)
    soup = BeautifulSoup(text, "html.parser")
    _players_to_urls(soup, blocks)
    _describe_images(soup)
    _figures_to_blocks(soup, blocks)
    markdown = _Converter(**_OPTIONS).convert_soup(soup)
    return _tidy(blocks.restore(markdown))


def comment_markdown(html: str) -> str:
    """Markdown for a comment's HTML: paragraphs and inline markup; no shortcodes, no embeds."""
    soup = BeautifulSoup(autop(html or ""), "html.parser")
    for tag in soup.find_all(["img", "iframe", "embed", "object"]):
        tag.decompose()
    return _tidy(_Converter(**_OPTIONS).convert_soup(soup))


def one_line(html: str) -> str:
    """Markdown on a single line, for a metadata field such as Summary."""
    text = BeautifulSoup(html or "", "html.parser")
    markdown = _Converter(**_OPTIONS).convert_soup(text)
    return re.sub(r"\s+", " ", markdown).strip()


def excerpt(html: str, words: int = 55) -> str:
    """WordPress's automatic excerpt: the first `words` words of the text, shortcodes and
    block comments removed, on one line."""
    text = SHORTCODE.sub(" ", BLOCK_COMMENT.sub(" ", html or ""))
    found = BeautifulSoup(text, "html.parser").get_text(" ").split()
    return " ".join(found[:words]) + (" …" if len(found) > words else "")
