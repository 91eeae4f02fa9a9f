"""Deciding which WordPress comments become comment files, in which thread, marked how.

Pure: one post's comments in, our `Comment` records and the counts of those left out. Approved
comments are kept; a reply whose parent was left out (spam, pending) moves up to the nearest
kept ancestor, so every thread stays whole. The essay author's replies get `Role: author`.
No e-mail address or IP leaves this module: the format has no field for them, and an e-mail or IP
address a commenter typed into their name or text, and every mailto: link, is removed and
counted (safety.py).
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bs4 import NavigableString

from letterpress.comments import Comment, clean_text, is_web_url
from letterpress.soup import attribute_text

from .markup import comment_markdown, comment_soup, plain_text_markdown
from .plan import site_date
from .safety import EMAIL_REMOVED, redact, remove_mailto_links
from .wxr import Author, WpComment

# comment_approved -> why a comment is left out; "1" is approved.
UNAPPROVED = {"0": "pending", "spam": "spam", "trash": "trashed", "post-trashed": "trashed"}
LINKBACKS = ("pingback", "trackback")
REMOVED = EMAIL_REMOVED


@dataclass(frozen=True)
class Outcome:
    comments: list[Comment]
    skipped: Counter  # reason -> how many
    redacted: Counter  # "e-mail addresses", "IP addresses", "mailto links" -> how many


def _reason(comment: WpComment, pingbacks: bool) -> str:
    if comment.type in LINKBACKS and not pingbacks:
        return "pingbacks and trackbacks"
    if comment.approved != "1":
        return UNAPPROVED.get(comment.approved, f"status {comment.approved or 'unknown'}")
    return ""


def _kept_parent(comment: WpComment, by_id: Mapping[int, WpComment], kept: set[int]) -> int:
    """The nearest ancestor that is kept, or 0 (the comment then answers the essay)."""
    parent, seen = comment.parent, {comment.id}
    while parent and parent not in kept and parent not in seen:
        seen.add(parent)
        parent = by_id[parent].parent if parent in by_id else 0
    return parent if parent in kept else 0


def _is_by_author(comment: WpComment, author: Author | None) -> bool:
    if author is None:
        return False
    if comment.user_id and comment.user_id == author.id:
        return True
    email = comment.author_email.strip().lower()
    return bool(email) and email == author.email.strip().lower()


def _body(comment: WpComment, redacted: Counter) -> str:
    if comment.type in LINKBACKS:
        # Kept with --pingbacks: a link to the page that linked here, not its excerpt.
        title = redact(clean_text(comment.author), redacted) or comment.author_url
        url = comment.author_url.strip()
        return f"Linked from [{title}](<{url}>)\n" if is_web_url(url) else ""
    if "<" not in comment.content and "&" not in comment.content:
        # Plain text, most comments: no HTML to parse.
        return plain_text_markdown(redact(comment.content, redacted)) or ""
    soup = comment_soup(comment.content)
    remove_mailto_links(soup, redacted)
    # Addresses are found in the text as written, before Markdown escapes it.
    for text in soup.find_all(string=True):
        if "@" in text or "." in text or ":" in text:
            text.replace_with(NavigableString(redact(str(text), redacted)))
    for link in soup.find_all("a", href=True):
        link["href"] = redact(attribute_text(link, "href"), redacted)
    return comment_markdown(soup)


def plan_comments(
    comments: Iterable[WpComment],
    essay: str,
    post_author: Author | None,
    timezone: str,
    pingbacks: bool = False,
) -> Outcome:
    """The comment records for one essay (slug `essay`), oldest first, and what was left out."""
    comments = list(comments)
    by_id = {c.id: c for c in comments}
    skipped: Counter = Counter()
    redacted: Counter = Counter()
    kept: dict[int, tuple[WpComment, dt.datetime, str]] = {}
    for comment in comments:
        reason = _reason(comment, pingbacks)
        date = site_date(comment.date_gmt, comment.date, timezone)
        body = "" if reason else _body(comment, redacted)
        if not reason and date is not None and comment.id > 0 and body.strip():
            kept[comment.id] = (comment, date, body)
        else:
            skipped[reason or "without an id, a date or any text"] += 1
    records = []
    for comment, date, body in kept.values():
        name = redact(clean_text(comment.author), redacted).strip() or "Anonymous"
        url = comment.author_url.strip()
        parent = _kept_parent(comment, by_id, set(kept))
        records.append(
            Comment(
                # WordPress's own number keeps old links to #comment-123 pointing at the comment.
                id=str(comment.id),
                essay=essay,
                author=name,
                date=date,
                body=body,
                reply_to=str(parent) if parent else None,
                url=url if is_web_url(url) and "@" not in url else "",
                role="author" if _is_by_author(comment, post_author) else "",
            )
        )
    return Outcome(sorted(records, key=lambda c: (c.date, c.id)), skipped, redacted)
