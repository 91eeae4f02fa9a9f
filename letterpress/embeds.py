"""Click-to-load videos: a paragraph holding only a YouTube or Vimeo link becomes a poster.

The author writes, on a line of its own, one of:

    https://www.youtube.com/watch?v=M7lc1UVf-VE
    [Title of the talk](https://youtu.be/M7lc1UVf-VE)
    [![Title of the talk]({static}/images/poster.jpg)](https://vimeo.com/76979871)

and the essay gets a <figure class="video"> holding a plain link to the video's page (with the
poster image, or a placeholder showing the title), a play sign and a note saying where the video
loads from. Nothing is requested from the video's site until the reader clicks: the theme's
script then swaps the link for the privacy-enhanced player named in `data-video`
(youtube-nocookie.com, or Vimeo with dnt=1). Without the script, and in feeds and e-mail, the
figure stays what its markup is: a link, with the poster if the author gave one. Feeds carry
`away_from_page(html)`: the same link, titled, without the note about clicking, which only the
page (where the script runs) can keep.

The markup is built as ElementTree elements inside Python-Markdown, which escapes every value.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import lxml.html
from lxml.html import builder as E
from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from letterpress.html_urls import inner_html

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{3,12}$")
_VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com"}
YOUTUBE_HOSTS |= {"www.youtube-nocookie.com"}
# YouTube paths that end in the video's id.
YOUTUBE_PATHS = ("/embed/", "/shorts/", "/live/", "/v/")
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


@dataclass(frozen=True)
class Video:
    """A video the site can show without loading anything from its host before a click."""

    provider: str  # "YouTube" or "Vimeo", as readers know them
    video_id: str
    watch_url: str  # the video's own page: the link readers follow without JavaScript
    player_url: str  # the privacy-enhanced player, loaded only on a click
    start: int = 0  # seconds

    @property
    def player_host(self) -> str:
        return urlsplit(self.player_url).hostname or ""


def seconds(value: str) -> int:
    """'90', '90s', '1m30s' or '1h2m3s' -> seconds; 0 for anything else."""
    match = _DURATION.match(value.strip().lower())
    if not value.strip() or not match:
        return 0
    hours, minutes, secs = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + secs


def _youtube(host: str, path: str, query: dict[str, list[str]]) -> Video | None:
    if host == "youtu.be":
        video_id = path.strip("/")
    elif path == "/watch":
        video_id = query.get("v", [""])[0]
    else:
        prefix = next((p for p in YOUTUBE_PATHS if path.startswith(p)), None)
        video_id = path[len(prefix) :].strip("/") if prefix else ""
    if not _YOUTUBE_ID.match(video_id):
        return None
    start = seconds(query.get("t", query.get("start", [""]))[0])
    watch = {"v": video_id, **({"t": f"{start}s"} if start else {})}
    player = {"autoplay": "1", **({"start": str(start)} if start else {})}
    return Video(
        "YouTube",
        video_id,
        f"https://www.youtube.com/watch?{urlencode(watch)}",
        f"https://www.youtube-nocookie.com/embed/{video_id}?{urlencode(player)}",
        start,
    )


def _vimeo(host: str, path: str, query: dict[str, list[str]], fragment: str) -> Video | None:
    parts = [p for p in path.split("/") if p]
    if host == "player.vimeo.com":
        parts = parts[1:] if parts[:1] == ["video"] else []
    # vimeo.com/ID, vimeo.com/ID/HASH (unlisted), vimeo.com/channels/NAME/ID, .../videos/ID
    ids = [i for i, part in enumerate(parts) if _VIMEO_ID.match(part)]
    if not ids:
        return None
    video_id = parts[ids[-1]]
    after = parts[ids[-1] + 1 : ids[-1] + 2]
    unlisted = after[0] if after and _VIMEO_HASH.match(after[0]) else query.get("h", [""])[0]
    unlisted = unlisted if _VIMEO_HASH.match(unlisted) else ""
    start = seconds(fragment.removeprefix("t=")) if fragment.startswith("t=") else 0
    player = {**({"h": unlisted} if unlisted else {}), "dnt": "1", "autoplay": "1"}
    watch = f"https://vimeo.com/{video_id}" + (f"/{unlisted}" if unlisted else "")
    return Video(
        "Vimeo",
        video_id,
        watch + (f"#t={start}s" if start else ""),
        f"https://player.vimeo.com/video/{video_id}?{urlencode(player)}"
        + (f"#t={start}s" if start else ""),
        start,
    )


def parse_video_url(url: str) -> Video | None:
    """The video a YouTube or Vimeo URL points at, or None for any other URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    host, query = parts.hostname.lower(), parse_qs(parts.query)
    if host in YOUTUBE_HOSTS or host == "youtu.be":
        return _youtube(host, parts.path, query)
    if host in VIMEO_HOSTS:
        return _vimeo(host, parts.path, query, parts.fragment)
    return None


def video_figure(video: Video, title: str = "", poster: str = "") -> etree.Element:
    """The figure that stands for `video`: a link to its page, the poster (or a placeholder with
    the title), a play sign, and where it plays from. `poster` is an image URL or ''."""
    title = title.strip() or f"A video on {video.provider}"
    figure = etree.Element("figure", {"class": "video", "data-video": video.player_url})
    figure.set("data-title", title)
    link = etree.SubElement(figure, "a", {"href": video.watch_url})
    if poster:
        etree.SubElement(link, "img", {"src": poster, "alt": "", "loading": "lazy"})
    play = etree.SubElement(link, "span", {"class": "video-play", "aria-hidden": "true"})
    play.text = "▶"
    label = etree.SubElement(link, "span", {"class": "video-title"})
    hidden = etree.SubElement(label, "span", {"class": "visually-hidden"})
    hidden.text = "Play the video: "
    hidden.tail = title
    caption = etree.SubElement(figure, "figcaption")
    caption.text = (
        f"Plays from {video.provider} ({video.player_host}) when you click; "
        "nothing loads from there before."
    )
    return figure


def away_from_page(html: str) -> str:
    """`html` (an essay's) for readers away from its page, such as feeds: each video figure
    becomes a plain link to the video's page, titled, with its poster if it has one. The page's
    caption ("Plays from … when you click") is left out: there, nothing plays on a click."""
    if 'class="video"' not in html:
        return html
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    for figure in wrapper.xpath('.//figure[@class="video"][a[@href]]'):
        plain = _plain_video(figure)
        plain.tail = figure.tail
        figure.getparent().replace(figure, plain)
    return inner_html(wrapper)


def _plain_video(figure: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The figure as a link to the video's page titled "Title (a video on YouTube)", under its
    poster when it has one."""
    watch_url = figure.xpath("string(a/@href)")
    video = parse_video_url(watch_url)
    untitled = f"A video on {video.provider}" if video else "A video"
    title = figure.get("data-title") or untitled
    link = E.A(title, href=watch_url)
    if title != untitled:
        link.tail = f" ({untitled[0].lower()}{untitled[1:]})"
    poster = figure.xpath("string(a/img/@src)")
    if not poster:
        return E.P(link)
    return E.FIGURE(E.A(E.IMG(src=poster, alt=""), href=watch_url), E.FIGCAPTION(link))


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def video_in_paragraph(paragraph: etree.Element) -> etree.Element | None:
    """The figure for a paragraph holding only a video link (bare, [title](url) or a linked
    poster image), else None."""
    children = list(paragraph)
    if not children:
        text = (paragraph.text or "").strip()
        video = parse_video_url(text) if text and " " not in text else None
        return video_figure(video) if video else None
    if len(children) != 1 or children[0].tag != "a" or not _blank(paragraph.text):
        return None
    link = children[0]
    if not _blank(link.tail):
        return None
    video = parse_video_url(link.get("href", ""))
    if video is None:
        return None
    inner = list(link)
    if len(inner) == 1 and inner[0].tag == "img" and _blank(link.text) and _blank(inner[0].tail):
        image = inner[0]
        return video_figure(video, image.get("alt", ""), image.get("src", ""))
    text = " ".join("".join(link.itertext()).split())
    # An autolink (<https://...>) shows its URL, which is no title.
    return video_figure(video, "" if text == link.get("href") else text)


class VideoTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag != "p":
                    continue
                figure = video_in_paragraph(child)
                if figure is not None:
                    figure.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, figure)


class VideoEmbedExtension(Extension):
    """Python-Markdown extension: `letterpress.embeds:VideoEmbedExtension` in MARKDOWN."""

    def extendMarkdown(self, md):
        # After the inline patterns (priority 20) have turned [text](url) into links.
        md.treeprocessors.register(VideoTreeprocessor(md), "letterpress-video", 15)


def makeExtension(**kwargs):
    return VideoEmbedExtension(**kwargs)
