"""WordPress's own markup in post text: block-editor comments, shortcodes and auto-embeds.

Each recognised construct becomes a *block*: finished Markdown or HTML that must reach the essay
exactly as made (a video URL alone on its line, a <figure>). The HTML converter would escape or
reflow it, so `Blocks` hands out a placeholder word to put in its place and swaps the real text
back in after conversion.
"""

import html
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->\s*", re.DOTALL)
# <!--more--> and <!--nextpage--> split a post for WordPress's own listings; here they mean nothing.
SPLIT_COMMENT = re.compile(r"<!--\s*(more|nextpage|noteaser)\b.*?-->", re.DOTALL)
SHORTCODE = re.compile(
    r"\[(?P<name>[a-z][a-z0-9_-]*)(?P<attrs>(?:\s[^\]]*)?)\]"
    r"(?:(?P<inner>.*?)\[/(?P=name)\])?",
    re.DOTALL | re.IGNORECASE,
)
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)


@dataclass
class Blocks:
    """Finished pieces of an essay, each standing in the text as a placeholder word."""

    texts: list[str] = field(default_factory=list)

    def add(self, text: str) -> str:
        self.texts.append(text.strip("\n"))
        # Letters and digits only: no converter escapes or reflows it.
        return f"LPWPBLOCK{len(self.texts) - 1}X"

    def paragraph(self, text: str) -> str:
        """The placeholder as a paragraph of its own."""
        return f"\n\n<p>{self.add(text)}</p>\n\n"

    def restore(self, markdown: str) -> str:
        return re.sub(r"LPWPBLOCK(\d+)X", lambda m: self.texts[int(m.group(1))], markdown)


def video_url(url: str) -> str | None:
    """The canonical watch URL of a YouTube or Vimeo video (page, short link or player), or None.

    The essay page turns such a URL, alone on its line, into a click-to-load player."""
    parts = urlsplit(html.unescape(url.strip()))
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    video = ""
    if host in ("youtube.com", "youtube-nocookie.com"):
        if segments[:1] == ["watch"]:
            video = parse_qs(parts.query).get("v", [""])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "v", "live"):
            video = segments[1]
        if re.fullmatch(r"[\w-]{6,20}", video):
            return f"https://www.youtube.com/watch?v={video}"
    elif host == "youtu.be" and segments:
        if re.fullmatch(r"[\w-]{6,20}", segments[0]):
            return f"https://www.youtube.com/watch?v={segments[0]}"
    elif host in ("vimeo.com", "player.vimeo.com"):
        numbers = [s for s in segments if s.isdigit()]
        if numbers:
            return f"https://vimeo.com/{numbers[0]}"
    return None


def attributes(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(next(g for g in m.groups()[1:] if g is not None))
        for m in ATTRIBUTE.finditer(text)
    }


def _soup_fragment(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def _caption(attrs: dict, inner: str, blocks: Blocks, media: "Media") -> str:
    """[caption]<img …> Text[/caption] -> <figure><img …><figcaption>Text</figcaption></figure>."""
    soup = _soup_fragment(inner)
    image = soup.find("img")
    if image is None:
        return inner
    caption_text = attrs.get("caption", "")
    # The caption is the text after the image (or its link), unless given as an attribute.
    (image.find_parent("a") or image).extract()
    caption_html = caption_text or soup.decode().strip()
    figure = figure_html([image], caption_html)
    return blocks.paragraph(figure)


def figure_html(images: list, caption_html: str = "", css_class: str = "") -> str:
    """A <figure> of the images (only their src and alt) with an optional caption (HTML)."""
    soup = _soup_fragment("")
    figure = soup.new_tag("figure")
    if css_class:
        figure["class"] = css_class
    for image in images:
        attrs = {"src": image.get("src", ""), "alt": image.get("alt", "")}
        figure.append(soup.new_tag("img", attrs=attrs))
    if caption_html:
        caption = soup.new_tag("figcaption")
        caption.append(_soup_fragment(caption_html))
        figure.append(caption)
    return figure.decode()


def _gallery(attrs: dict, inner: str, blocks: Blocks, media: "Media") -> str:
    ids = [int(i) for i in re.findall(r"\d+", attrs.get("ids", attrs.get("include", "")))]
    chosen = [media.attachments[i] for i in ids if i in media.attachments]
    if not ids:
        chosen = list(media.children)
    if not chosen:
        return ""
    soup = _soup_fragment("")
    images = [soup.new_tag("img", attrs={"src": url, "alt": alt}) for url, alt in chosen]
    return blocks.paragraph(figure_html(images, css_class="gallery"))


def _embed(attrs: dict, inner: str, blocks: Blocks, media: "Media") -> str:
    url = (inner or attrs.get("src", "") or attrs.get("url", "")).strip()
    return _url_block(url, blocks) if url else ""


def _media_link(attrs: dict, inner: str, blocks: Blocks, media: "Media") -> str:
    """[audio src=…], [video mp4=…]: a link to the file (a video service URL stays a video)."""
    keys = ("src", "mp3", "m4a", "ogg", "wav", "mp4", "webm", "ogv", "m4v", "wmv", "flv")
    url = next((attrs[k] for k in keys if attrs.get(k)), "")
    return _url_block(url, blocks) if url else ""


def _code(attrs: dict, inner: str, blocks: Blocks, media: "Media") -> str:
    language = attrs.get("language") or attrs.get("lang") or ""
    code = html.unescape(inner.strip("\n"))
    fence = "~~~" if "```" in code else "```"
    return blocks.paragraph(f"{fence}{language}\n{code}\n{fence}")


def _drop(attrs: dict, inner: str, blocks: Blocks, media: "Media") -> str:
    return ""


def _url_block(url: str, blocks: Blocks) -> str:
    video = video_url(url)
    if video:
        return blocks.paragraph(video)
    soup = _soup_fragment("")
    link = soup.new_tag("a", attrs={"href": url})
    link.string = url
    return f"\n\n<p>{link.decode()}</p>\n\n"


Handler = Callable[[dict, str, Blocks, "Media"], str]
# Shortcode name -> what it becomes. Others are left in the text as written, and counted.
HANDLERS: Mapping[str, Handler] = {
    "caption": _caption,
    "wp_caption": _caption,
    "gallery": _gallery,
    "embed": _embed,
    "video": _media_link,
    "audio": _media_link,
    "youtube": _embed,
    "vimeo": _embed,
    "code": _code,
    "sourcecode": _code,
    "playlist": _drop,
}


@dataclass(frozen=True)
class Media:
    """What galleries draw on: attachments by id as (url, alt), and this post's own in order."""

    attachments: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    children: tuple[tuple[str, str], ...] = ()


def expand(text: str, blocks: Blocks, media: Media, unknown: Counter) -> str:
    """Remove block-editor comments and turn shortcodes and bare video URLs into blocks.
    Shortcodes with no handler stay as written; their names are counted in `unknown`."""
    text = SPLIT_COMMENT.sub("", BLOCK_COMMENT.sub("", text))

    def replace(match: re.Match) -> str:
        name = match.group("name").lower()
        handler = HANDLERS.get(name)
        if handler is None:
            # Only bracketed words that look like shortcodes (attributes or a closing tag) count:
            # "[sic]" and "[1]" are prose.
            if match.group("inner") is not None or "=" in match.group("attrs"):
                unknown[name] += 1
            return match.group(0)
        inner = match.group("inner") or ""
        return handler(attributes(match.group("attrs")), inner, blocks, media)

    text = SHORTCODE.sub(replace, text)
    # WordPress embeds a video URL that stands alone on its line; so do we.
    return URL_LINE.sub(
        lambda m: blocks.paragraph(video) if (video := video_url(m.group(1))) else m.group(0), text
    )
