"""The plain-text form of an issue (email.txt): wrapped at 72 columns, links as numbered references.

A URL too long for one line is written the way RFC 3986 (appendix C) suggests: inside angle
brackets, broken after a slash, so that readers and clients can join it again.
"""

from __future__ import annotations

import textwrap

import lxml.html

from letterpress.html_urls import absolutize

from .formats import EmailSite, long_date
from .model import Issue

WIDTH = 72
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "hr"}


class References:
    """Numbered links, each URL numbered once, in order of first use."""

    def __init__(self):
        self.urls: list[str] = []

    def mark(self, url: str) -> str:
        if url not in self.urls:
            self.urls.append(url)
        return f"[{self.urls.index(url) + 1}]"

    def lines(self) -> list[str]:
        out = []
        for number, url in enumerate(self.urls, start=1):
            out += reference_lines(f"[{number}]", url)
        return out


def reference_lines(label: str, url: str, width: int = WIDTH) -> list[str]:
    """'[3] https://…', or the URL in <…> broken after slashes when it does not fit."""
    single = f"{label} {url}"
    if len(single) <= width:
        return [single]
    lines, current = [], f"{label} <"
    indent = " " * (len(label) + 1)
    for piece in _url_pieces(url):
        if len(current) + len(piece) > width and current.strip() not in (f"{label} <", ""):
            lines.append(current)
            current = indent
        current += piece
    lines.append(current + ">")
    return [line if len(line) <= width else line[:width] for line in lines]


def _url_pieces(url: str) -> list[str]:
    """The URL cut after each slash (and in fixed lengths where a segment is very long)."""
    pieces, start = [], 0
    for index, char in enumerate(url):
        if char == "/" or index - start >= 40:
            pieces.append(url[start : index + 1])
            start = index + 1
    if start < len(url):
        pieces.append(url[start:])
    return pieces


def wrap(text: str, prefix: str = "", hanging: str | None = None) -> list[str]:
    """One paragraph, wrapped to WIDTH columns including its prefix."""
    text = " ".join(text.split())
    if not text:
        return []
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=prefix,
        subsequent_indent=prefix if hanging is None else hanging,
        break_long_words=True,
        break_on_hyphens=False,
    )


def _inline(element, refs: References) -> str:
    """The running text of an element, with links turned into 'text [n]'."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            pass  # comments and processing instructions carry no text
        elif child.tag == "a" and child.get("href"):
            parts.append(f"{_inline(child, refs)} {refs.mark(child.get('href'))}")
        elif child.tag == "img":
            parts.append(child.get("alt", ""))
        elif child.tag == "br":
            parts.append(" ")
        else:
            parts.append(_inline(child, refs))
        parts.append(child.tail or "")
    return "".join(parts)


def html_blocks(fragment: str, refs: References, prefix: str = "") -> list[list[str]]:
    """An HTML fragment as paragraphs of wrapped lines."""
    if not fragment.strip():
        return []
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return _blocks(root, refs, prefix)


def _blocks(root, refs: References, prefix: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    loose = [root.text or ""]  # inline content between block elements

    def flush():
        text = "".join(loose).strip()
        if text:
            blocks.append(wrap(text, prefix))
        loose.clear()

    for child in root:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag not in _BLOCKS:
            fake = lxml.html.Element("span")
            fake.append(_copy(child))
            loose.append(_inline(fake, refs))
            continue
        flush()
        if tag in ("ul", "ol"):
            items = []
            for number, item in enumerate(child.iterfind("li"), start=1):
                bullet = f"{number}. " if tag == "ol" else "- "
                items += wrap(_inline(item, refs), prefix + bullet, prefix + " " * len(bullet))
            blocks.append(items)
        elif tag == "blockquote":
            blocks += _blocks(child, refs, prefix + "> ")
        elif tag == "pre":
            blocks.append(
                [line for raw in child.text_content().splitlines() for line in wrap(raw, prefix)]
            )
        elif tag == "hr":
            blocks.append([prefix + "* * *"])
        elif tag.startswith("h"):
            blocks.append(wrap(_inline(child, refs).upper(), prefix))
        else:
            blocks.append(wrap(_inline(child, refs), prefix))
        loose.append(child.tail or "")
    flush()
    return [block for block in blocks if block]


def _copy(element):
    clone = lxml.html.fromstring(lxml.html.tostring(element, encoding="unicode"))
    clone.tail = element.tail
    return clone


def heading(title: str) -> list[str]:
    return [title.upper(), "-" * min(len(title), WIDTH)]


def render_text(issue: Issue, site: EmailSite) -> str:
    """The issue as plain text for the text/plain part of the e-mail."""
    refs = References()
    blocks: list[list[str]] = []
    blocks.append(wrap(f"{site.name} · {issue.month.name}"))
    blocks.append(wrap(f"Read this issue on the web {refs.mark(site.absolute(issue.url))}"))
    if issue.has_note:
        blocks.append(heading("From the editor"))
        blocks += html_blocks(absolutize(issue.note_html, site.url + "/"), refs)
    if issue.essays:
        blocks.append(heading("New essays" if len(issue.essays) > 1 else "New essay"))
        for essay in issue.essays:
            blocks.append(
                wrap(f"{essay.title} {refs.mark(site.absolute(essay.url))}")
                + wrap(f"{long_date(essay.date)} · {essay.minutes} min read")
            )
            blocks.append(wrap(essay.summary, "  "))
    if issue.workshops:
        blocks.append(heading("Workshops open for registration"))
        for workshop in issue.workshops:
            facts = [workshop.when, workshop.city, workshop.price]
            if workshop.state == "waitlist":
                facts.append("full: join the waiting list")
            blocks.append(
                wrap(f"{workshop.title} {refs.mark(site.absolute(workshop.url))}")
                + wrap(" · ".join(f for f in facts if f))
            )
            if workshop.summary:
                blocks.append(wrap(workshop.summary, "  "))
    if issue.threads:
        blocks.append(heading("From the comments"))
        for thread in issue.threads:
            talk = (
                f"{thread.comments} comment{'s' if thread.comments != 1 else ''} from "
                f"{thread.people} {'people' if thread.people != 1 else 'person'} this month"
            )
            blocks.append(
                wrap(f"{thread.essay_title} {refs.mark(site.absolute(thread.essay_url))}")
                + wrap(talk)
            )
            if thread.reply_excerpt:
                blocks.append(wrap(f"“{thread.reply_excerpt}”", "  > "))
                blocks.append(
                    wrap(
                        f"{thread.reply_author}, replying "
                        f"{refs.mark(site.absolute(thread.reply_url))}",
                        "    ",
                    )
                )
    footer = [
        "Unsubscribe: *|UNSUB|*",
        "Update your preferences: *|UPDATE_PROFILE|*",
        "*|LIST_ADDRESS|*",
    ]
    blocks.append(
        ["--", *wrap(f"You receive this because you subscribed to {site.name}."), *footer]
    )
    blocks.append(["Links:", *refs.lines()])
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"
