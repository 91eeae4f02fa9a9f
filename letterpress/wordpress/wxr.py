"""Reading a WordPress export (WXR 1.0–1.2) as a stream of plain records.

`read_export(path)` yields one `Channel` (the site, its authors, categories and tags), then one
`Item` per post, page, attachment or other post type, each with its comments. It parses with
`lxml.etree.iterparse` and drops every item once it is yielded, so memory stays flat
however large the file. A file that is not WXR, or is not well-formed XML (an export cut off
half-way), raises `WxrError` naming the file and the line.
"""

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from letterpress.errors import LetterpressError

from .repair import RepairingReader, Repairs

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
# WordPress has written its namespaces with http:// and, lately, https://; the excerpt namespace
# carries the WXR version too. Content and Dublin Core never changed.
_NAMESPACES = (
    (re.compile(r"https?://wordpress\.org/export/(\d+\.\d+)/excerpt/"), "excerpt"),
    (re.compile(r"https?://wordpress\.org/export/(\d+\.\d+)/"), "wp"),
    (re.compile(r"http://purl\.org/rss/1\.0/modules/content/"), "content"),
    (re.compile(r"http://purl\.org/dc/elements/1\.1/"), "dc"),
)


class WxrError(LetterpressError):
    """The file is not a WordPress export we can read; the message names the file and line."""


@dataclass(frozen=True)
class Author:
    id: int
    login: str
    email: str
    display_name: str


@dataclass(frozen=True)
class Term:
    """A category or tag declared at the top of the export."""

    taxonomy: str  # "category" or "post_tag"
    slug: str
    name: str
    parent: str = ""  # the parent category's slug


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    version: str = ""
    authors: list[Author] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)


@dataclass(frozen=True)
class WpComment:
    id: int
    author: str
    # Kept in memory only, to recognise the essay's author and to scrub the address from text;
    # never written anywhere.
    author_email: str
    author_url: str
    date_gmt: str
    date: str
    content: str
    approved: str
    type: str
    parent: int
    user_id: int


@dataclass
class Item:
    line: int
    title: str = ""
    link: str = ""
    id: int = 0
    type: str = ""
    status: str = ""
    name: str = ""
    parent: int = 0
    date: str = ""
    date_gmt: str = ""
    modified: str = ""
    modified_gmt: str = ""
    pub_date: str = ""  # RSS's pubDate (RFC 822), the last date an export offers
    creator: str = ""
    password: str = ""
    content: str = ""
    excerpt: str = ""
    attachment_url: str = ""
    # (taxonomy, slug, name) as the item lists them: "category", "post_tag", "post_format", ...
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WpComment] = field(default_factory=list)


def _tag(element: etree._Element) -> str:
    """An element's tag as text: lxml's type allows a QName too, a parsed element has text."""
    return str(element.tag)


@functools.cache
def _name(tag: str) -> str:
    """'{https://wordpress.org/export/1.2/}post_id' -> 'wp:post_id'; unknown namespaces stay."""
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    for pattern, prefix in _NAMESPACES:
        if pattern.fullmatch(uri):
            return f"{prefix}:{local}"
    return tag


@functools.cache
def _version(tag: str) -> str | None:
    if tag.startswith("{"):
        match = _NAMESPACES[1][0].fullmatch(tag[1:].partition("}")[0])
        if match:
            return match.group(1)
    return None


def _text(element) -> str:
    return (element.text or "") if element is not None else ""


def _int(value: str) -> int:
    try:
        return int(value.strip() or 0)
    except ValueError:
        return 0


def _fields(element) -> dict[str, str]:
    """The first text of each direct child by its short name (wp:post_id, title, ...)."""
    found: dict[str, str] = {}
    for child in element:
        if isinstance(child.tag, str):
            found.setdefault(_name(child.tag), child.text or "")
    return found


_ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "dc:creator": "creator",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_type": "type",
    "wp:status": "status",
    "wp:post_name": "name",
    "wp:post_date": "date",
    "wp:post_date_gmt": "date_gmt",
    "pubDate": "pub_date",
    "wp:post_modified": "modified",
    "wp:post_modified_gmt": "modified_gmt",
    "wp:post_password": "password",
    "wp:attachment_url": "attachment_url",
}


def _comment(element) -> WpComment:
    f = _fields(element)
    return WpComment(
        id=_int(f.get("wp:comment_id", "")),
        author=f.get("wp:comment_author", ""),
        author_email=f.get("wp:comment_author_email", ""),
        author_url=f.get("wp:comment_author_url", ""),
        date_gmt=f.get("wp:comment_date_gmt", ""),
        date=f.get("wp:comment_date", ""),
        content=f.get("wp:comment_content", ""),
        approved=f.get("wp:comment_approved", "").strip(),
        type=f.get("wp:comment_type", "").strip(),
        parent=_int(f.get("wp:comment_parent", "")),
        user_id=_int(f.get("wp:comment_user_id", "")),
    )


def _item(element, line: int, bodies: bool = True) -> Item:
    item = Item(line=line)
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = _name(child.tag)
        if name in _ITEM_FIELDS:
            if bodies or name != "content:encoded":
                setattr(item, _ITEM_FIELDS[name], child.text or "")
        elif name == "wp:post_id":
            item.id = _int(child.text or "")
        elif name == "wp:post_parent":
            item.parent = _int(child.text or "")
        elif name == "category":
            item.terms.append((child.get("domain", ""), child.get("nicename", ""), _text(child)))
        elif name == "wp:postmeta":
            f = _fields(child)
            item.meta.setdefault(f.get("wp:meta_key", ""), f.get("wp:meta_value", ""))
        elif name == "wp:comment":
            item.comments.append(_comment(child))
    item.type, item.status = item.type.strip(), item.status.strip()
    return item


def _channel_child(channel: Channel, element) -> None:
    name = _name(element.tag)
    if name in ("title", "link") and not getattr(channel, name):
        setattr(channel, name, (element.text or "").strip())
    elif name == "wp:base_site_url":
        channel.base_site_url = (element.text or "").strip()
    elif name == "wp:base_blog_url":
        channel.base_blog_url = (element.text or "").strip()
    elif name == "wp:wxr_version":
        channel.version = (element.text or "").strip()
    elif name == "wp:author":
        f = _fields(element)
        channel.authors.append(
            Author(
                id=_int(f.get("wp:author_id", "")),
                login=f.get("wp:author_login", ""),
                email=f.get("wp:author_email", ""),
                display_name=f.get("wp:author_display_name", ""),
            )
        )
    elif name == "wp:category":
        f = _fields(element)
        channel.terms.append(
            Term("category", f.get("wp:category_nicename", ""), f.get("wp:cat_name", ""),
                 f.get("wp:category_parent", ""))
        )  # fmt: skip
    elif name == "wp:tag":
        f = _fields(element)
        channel.terms.append(Term("post_tag", f.get("wp:tag_slug", ""), f.get("wp:tag_name", "")))


def _check_channel(
    path: Path, channel: Channel, line: int, seen: str = "", repairs: Repairs | None = None
) -> None:
    if not channel.version and seen and repairs is not None:
        # Some tools write <wp:version> or nothing; the wp: namespace still names the version.
        channel.version = seen
        repairs.note(f"no <wp:wxr_version>: read as WXR {seen}, as its wp: namespace says", line)
    if not channel.version:
        raise WxrError(
            f"{path}: line {line}: no <wp:wxr_version> before the first item, so this is not a "
            "WordPress export (WXR); export it from WordPress with Tools → Export"
        )
    if channel.version not in SUPPORTED_VERSIONS:
        raise WxrError(
            f"{path}: line {line}: WXR version {channel.version} is not one this importer reads "
            f"({', '.join(SUPPORTED_VERSIONS)})"
        )


def read_export(
    path: Path,
    on_progress: Callable[[int], None] | None = None,
    repairs: Repairs | None = None,
    bodies: bool = True,
) -> Iterator[Channel | Item]:
    """Yield the Channel, then each Item, of the export at `path`; raise WxrError for a file that
    is not WXR or not well-formed (the error comes when the stream reaches the fault, so read
    the whole stream before acting on it). The defects real exports have are mended as the file
    streams in (repair.py) and noted in `repairs`. `on_progress(bytes_read)` is called as it
    goes. Without `bodies`, items come without their content (a survey needs none)."""
    path = Path(path)
    repairs = repairs if repairs is not None else Repairs()
    channel = Channel()
    channel_element = None
    announced = False
    try:
        with open(path, "rb") as raw:
            events = etree.iterparse(
                RepairingReader(raw, repairs, on_progress),
                events=("start", "end"),
                # An export is data: no DTD, no external entities, no network, however large.
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=True,
                remove_comments=True,
                remove_pis=True,
            )
            depth = 0
            seen = ""  # the WXR version the wp: namespace names, for an export that gives none
            for event, element in events:
                if event == "start":
                    depth += 1
                    seen = seen or _version(_tag(element)) or ""
                    _check_start(path, element, depth)
                    if depth == 2 and _name(_tag(element)) == "channel":
                        channel_element = element
                    continue
                depth -= 1
                if depth != 2 or channel_element is None:
                    continue
                if _name(_tag(element)) == "item":
                    line = element.sourceline or 0
                    if not announced:
                        _check_channel(path, channel, line, seen, repairs)
                        announced = True
                        yield channel
                    item = _item(element, line, bodies)
                    # Its text is in the Item now: a huge post is not held twice.
                    element.clear()
                    yield item
                else:
                    _channel_child(channel, element)
                # Done with it: drop it from the tree so memory does not grow with the file.
                channel_element.remove(element)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        if path.stat().st_size == 0:
            raise WxrError(f"{path}: the file is empty; export it again") from None
        line = max(line, 1)  # lxml says line 0 when it found no element at all
        raise WxrError(
            f"{path}: line {line}, column {column}: the XML is broken ({_reason(error)}), in a "
            "way the importer cannot mend. Nothing was imported. If the file ends early, it was "
            "cut off: export it again; otherwise open it at that line, fix the markup there, "
            "and run the import again"
        ) from None
    except OSError as error:
        raise WxrError(f"{path}: cannot read the export ({error.strerror or error})") from None
    if channel_element is None:
        raise WxrError(f"{path}: line 1: this is not a WordPress export (WXR): no <channel>")
    if not announced:
        _check_channel(path, channel, 1, seen, repairs)
        yield channel


def _check_start(path: Path, element, depth: int) -> None:
    if depth == 1 and _name(element.tag) != "rss":
        raise WxrError(
            f"{path}: line {element.sourceline}: this is not a WordPress export (WXR): it starts "
            f"with <{etree.QName(element).localname}>, not <rss>"
        )
    version = _version(element.tag)
    if version and version not in SUPPORTED_VERSIONS:
        raise WxrError(
            f"{path}: line {element.sourceline}: WXR version {version} is not one this importer "
            f"reads ({', '.join(SUPPORTED_VERSIONS)})"
        )


def _reason(error: etree.XMLSyntaxError) -> str:
    """lxml's message without the position it repeats at its end."""
    return re.sub(r",? line \d+, column \d+$", "", error.msg or "not well-formed")
