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

from letterpress.soup import attribute_text

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
    """[caption align=…]<a><img …></a> Text[/caption] -> <figure class=align…><a><img …></a>
    <figcaption>Text</figcaption></figure>."""
    soup = _soup_fragment(inner)
    image = soup.find("img")
    if image is None:
        return inner
    caption_text = attrs.get("caption", "")
    # The caption is the text after the image (or its link), unless given as an attribute.
    link = image.find_parent("a")
    (link or image).extract()
    caption_html = caption_text or soup.decode().strip()
    align = attrs.get("align", "")
    figure = figure_html(
        [image], caption_html, align if _ALIGN.fullmatch(align) else "",
        link=attribute_text(link, "href") if link is not None else "",
    )  # fmt: skip
    return blocks.paragraph(_clean(figure))


_ALIGN = re.compile(r"align(?:left|right|center|none)")


def _clean(markup: str) -> str:
    from .islands import clean_html  # islands imports nothing from here; this keeps it so

    return clean_html(markup)


def figure_html(images: list, caption_html: str = "", css_class: str = "", link: str = "") -> str:
    """A <figure> of the images (src, alt, and their alignment) with an optional caption (HTML);
    with `link`, each image links there."""
    soup = _soup_fragment("")
    figure = soup.new_tag("figure")
    if css_class:
        figure["class"] = css_class
    for image in images:
        attrs = {"src": image.get("src", ""), "alt": image.get("alt", "")}
        element = soup.new_tag("img", attrs=attrs)
        if link:
            anchor = soup.new_tag("a", attrs={"href": link})
            anchor.append(element)
            element = anchor
        figure.append(element)
    if caption_html:
        caption = soup.new_tag("figcaption")
        caption.append(_soup_fragment(caption_html))
        figure.append(caption)
    return figure.decode()


def _gallery(attrs: dict, inner: str, blocks: Blocks, media: "Media") -> str:
    """[gallery ids=… columns=3 link=file|none] -> a figure of figures, each image with its
    caption (the attachment's), linked to the file unless link=none, in its columns."""
    ids = [int(i) for i in re.findall(r"\d+", attrs.get("ids", attrs.get("include", "")))]
    chosen = [media.attachments[i] for i in ids if i in media.attachments]
    if not ids:
        chosen = list(media.children)
    if not chosen:
        return ""
    columns = attrs.get("columns", "3").strip()
    columns = columns if columns.isdigit() and 0 < int(columns) < 10 else "3"
    linked = attrs.get("link", "").strip() != "none"
    soup = _soup_fragment("")
    gallery = soup.new_tag("figure", attrs={"class": f"gallery gallery-columns-{columns}"})
    for found in chosen:
        url, alt, caption = (*found, "")[:3]
        image = soup.new_tag("img", attrs={"src": url, "alt": alt})
        item = _soup_fragment(
            figure_html([image], html.escape(caption), "gallery-item", url if linked else "")
        )
        gallery.append(item)
    return blocks.paragraph(_clean(gallery.decode()))


def _embed(attrs: dict, inner: str, blocks: Blocks, media: "Media") -> str:
    url = (inner or attrs.get("src", "") or attrs.get("url", "")).strip()
    return _url_block(url, blocks) if url else ""


AUDIO_KEYS = ("src", "mp3", "m4a", "ogg", "oga", "wav", "wma", "flac")
VIDEO_KEYS = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")


def player_html(kind: str, url: str, poster: str = "") -> str:
    """A <figure> with an <audio> or <video> player for the file, and a link to it for readers
    (and feeds) without one."""
    soup = _soup_fragment("")
    figure = soup.new_tag("figure", attrs={"class": kind})
    player = soup.new_tag(kind, attrs={"controls": "", "src": url, "preload": "metadata"})
    if poster:
        player["poster"] = poster
    link = soup.new_tag("a", attrs={"href": url})
    link.string = url.rsplit("/", 1)[-1] or url
    player.append(link)
    figure.append(player)
    return figure.decode()


def _media(attrs: dict, inner: str, blocks: Blocks, media: "Media", kind: str) -> str:
    """[audio mp3=…], [video mp4=… poster=…]: a player (a YouTube or Vimeo URL stays the
    click-to-load video)."""
    keys = AUDIO_KEYS if kind == "audio" else VIDEO_KEYS
    url = next((attrs[k] for k in keys if attrs.get(k)), "") or inner.strip()
    if not url:
        return ""
    if video_url(url):
        return _url_block(url, blocks)
    return blocks.paragraph(_clean(player_html(kind, url, attrs.get("poster", ""))))


def _audio(attrs: dict, inner: str, blocks: Blocks, media: "Media") -> str:
    return _media(attrs, inner, blocks, media, "audio")


def _video(attrs: dict, inner: str, blocks: Blocks, media: "Media") -> str:
    return _media(attrs, inner, blocks, media, "video")


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
    "video": _video,
    "audio": _audio,
    "youtube": _embed,
    "vimeo": _embed,
    "code": _code,
    "sourcecode": _code,
    "playlist": _drop,
}


@dataclass(frozen=True)
class Media:
    """What galleries draw on: attachments by id as (url, alt, caption), and this post's own in
    order."""

    attachments: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    children: tuple[tuple[str, ...], ...] = ()


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
