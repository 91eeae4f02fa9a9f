"""Deciding what each WordPress post becomes: an essay, a page, a draft, or nothing (and why).

Pure: it takes the survey of the whole export (`Post` records, small, read in a first pass) and
the slugs already used in content/, and returns a `Plan`: each imported post's slug, file and
status, the posts left out with their reasons, and every old address with where it now leads.
Nothing is written until the whole export has been read and planned.
"""

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from unidecode import unidecode

from .wxr import Channel, Item

KINDS = {"post": "essay", "page": "page"}
FOLDERS = {"essay": "essays", "page": "pages"}
# Post types that are not writing, named for the report.
SKIPPED_TYPES = {
    "attachment": "attachments (the files themselves come from --uploads)",
    "nav_menu_item": "menu items",
    "revision": "revisions",
}
DRAFT_STATUSES = {
    "draft": "a draft",
    "pending": "pending review",
    "future": "scheduled (future)",
}
# Never written anywhere, not even as a draft: content/ is committed to git, and a private or
# password-protected post was meant for a few readers only. Their comments go with them.
WITHHELD = {
    "private": "private (not imported: it was for its readers only)",
    "protected": "password-protected (not imported: it was for its readers only)",
}
# Top-level paths the built site already uses: a page may not take one as its slug.
RESERVED_PAGE_SLUGS = frozenset(
    {
        "essays",
        "category",
        "tag",
        "feeds",
        "search",
        "workshops",
        "newsletter",
        "theme",
        "images",
        "files",
        "pagefind",
    }
)
FEEDS = {"feed/": "/feeds/all.rss.xml", "feed/atom/": "/feeds/all.atom.xml",
         "feed/rss2/": "/feeds/all.rss.xml", "comments/feed/": "/feeds/comments.rss.xml",
         "?feed=rss2": "/feeds/all.rss.xml", "?feed=atom": "/feeds/all.atom.xml"}  # fmt: skip
UNDATED = "no date in the export"


@dataclass(frozen=True)
class Options:
    published_only: bool = False
    comments: bool = True
    pingbacks: bool = False


@dataclass(frozen=True)
class Post:
    """What the plan needs to know of one item, kept for the whole export (no text bodies)."""

    id: int
    type: str
    status: str
    name: str
    title: str
    parent: int
    link: str
    date: str
    date_gmt: str
    protected: bool
    pub_date: str = ""
    categories: tuple[tuple[str, str], ...] = ()  # (slug, name)
    tags: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, item: Item) -> "Post":
        return cls(
            id=item.id, type=item.type, status=item.status, name=item.name.strip(),
            title=item.title, parent=item.parent, link=item.link.strip(), date=item.date,
            date_gmt=item.date_gmt, protected=bool(item.password.strip()),
            pub_date=item.pub_date,
            categories=tuple((s, n) for t, s, n in item.terms if t == "category"),
            tags=tuple((s, n) for t, s, n in item.terms if t == "post_tag"),
        )  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """An imported post: its kind, slug, content-relative file and whether it is a draft."""

    id: int
    kind: str
    slug: str
    source: str  # "essays/slug.md", "pages/parent/child.md"
    draft: str = ""  # why it is a draft ("a draft", "password-protected"), or "" if published

    @property
    def target(self) -> str:
        return "{filename}/" + self.source


@dataclass
class Plan:
    entries: dict[int, Entry] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)  # (what, reason) -> how many
    redirects: dict[str, str] = field(default_factory=dict)  # old path -> target


def slugify(text: str) -> str:
    """'Ünïcode — Tîtles!' -> 'unicode-titles'; the post name may come percent-encoded."""
    ascii_text = unidecode(unquote(text)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:80].strip("-")


def unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


def site_date(gmt: str, local: str, timezone: str, pub_date: str = "") -> dt.datetime | None:
    """A WordPress date as an aware time in the site's zone: from the GMT field when set, else
    the local field read in the site's zone (drafts have no GMT date), else RSS's pubDate."""
    zone = ZoneInfo(timezone)
    for value, tz in ((gmt, dt.UTC), (local, zone)):
        value = (value or "").strip()
        if value and not value.startswith("0000-00-00"):
            try:
                parsed = dt.datetime.fromisoformat(value)
            except ValueError:
                continue
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(zone)
    try:
        parsed = parsedate_to_datetime((pub_date or "").strip())
    except (TypeError, ValueError, IndexError):
        return None
    # Undated posts carry pubDate "Thu, 01 Jan 1970 00:00:00 +0000" or "-0001-11-30…": no date.
    if parsed is None or parsed.year < 1990:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).astimezone(zone)


def site_path(url: str) -> str:
    """The path and query of a URL, as a redirect source: '/2014/05/03/slug/', '/?p=12'."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "")


def _decide(post: Post, options: Options) -> tuple[str, str, str]:
    """(kind, draft reason, skip reason): exactly one of kind and skip reason is set."""
    kind = KINDS.get(post.type)
    if kind is None:
        return "", "", SKIPPED_TYPES.get(post.type, f"post type {post.type or 'unknown'}")
    if post.status in ("trash", "auto-draft", "inherit"):
        return "", "", f"status {post.status}"
    if post.protected or post.status == "private":
        return "", "", WITHHELD["protected" if post.protected else "private"]
    draft = DRAFT_STATUSES.get(post.status, "")
    if post.status not in ("publish", *DRAFT_STATUSES):
        draft = f"status {post.status or 'unknown'}"
    dated = site_date(post.date_gmt, post.date, "UTC", post.pub_date) is not None
    if kind == "essay" and not draft and not dated:
        # Pelican cannot publish an essay without a date; a draft waits for the author's.
        draft = UNDATED
    if draft and options.published_only:
        return "", "", f"{draft} (--published-only)"
    return kind, draft, ""


def plan_posts(
    channel: Channel,
    posts: Iterable[Post],
    taken: Mapping[str, set[str]],
    options: Options,
) -> Plan:
    """Decide every post of the export. `taken` holds, per kind, slugs already used in content/
    by other files; the export's own duplicates get -2, -3, … in the order of the export."""
    plan = Plan()
    posts = list(posts)
    by_id = {post.id: post for post in posts}
    order = {post.id: number for number, post in enumerate(posts)}
    used = {kind: set(taken.get(kind, ())) for kind in FOLDERS}
    used["page"] |= RESERVED_PAGE_SLUGS
    # Parents before children, so a page's path starts with its parent's final slug.
    for post in sorted(posts, key=lambda p: len(_ancestors(p, by_id)) if p.type == "page" else 0):
        kind, draft, skip = _decide(post, options)
        if skip:
            plan.skipped[(_what(post), skip)] += 1
            continue
        base = slugify(post.name) or slugify(post.title) or f"{post.type}-{post.id}"
        if kind == "page":
            parent = plan.entries.get(post.parent)
            above = [parent.slug] if parent and parent.kind == "page" else _ancestors(post, by_id)
            base = "/".join([*above, base])
        slug = unique(base, used[kind])
        plan.entries[post.id] = Entry(post.id, kind, slug, f"{FOLDERS[kind]}/{slug}.md", draft)
    plan.entries = dict(sorted(plan.entries.items(), key=lambda e: order[e[0]]))
    _plan_redirects(plan, channel, [p for p in posts if _published(plan, p)])
    return plan


def _what(post: Post) -> str:
    return {"post": "posts", "page": "pages"}.get(post.type, "other items")


def _ancestors(post: Post, by_id: Mapping[int, Post]) -> list[str]:
    chain: list[str] = []
    seen, parent = {post.id}, by_id.get(post.parent)
    while parent is not None and parent.id not in seen and parent.type == "page":
        chain.insert(0, slugify(parent.name) or slugify(parent.title) or f"page-{parent.id}")
        seen.add(parent.id)
        parent = by_id.get(parent.parent)
    return chain


def _published(plan: Plan, post: Post) -> bool:
    entry = plan.entries.get(post.id)
    return entry is not None and not entry.draft


def _plan_redirects(plan: Plan, channel: Channel, published: list[Post]) -> None:
    """Every old address of a published post, its categories and tags, and the old feeds."""
    blog = urlsplit(channel.base_blog_url or channel.link).path.rstrip("/")
    primary: dict[str, tuple[str, str]] = {}
    secondary: dict[str, tuple[str, str]] = {}
    for post in published:
        entry = plan.entries[post.id]
        old = site_path(post.link) if post.link else ""
        sources = [old] if old else []
        if old.endswith("/") and "?" not in old:
            sources.append(old + "feed/")
        if post.type == "post":
            sources.append(f"{blog}/?p={post.id}")
            # WordPress's other permalink structures: numeric, and the bare post name.
            sources.append(f"{blog}/archives/{post.id}")
            local = site_date("", post.date, "UTC")
            if local and post.name:
                sources.append(f"{blog}/{local:%Y/%m/%d}/{post.name}/")
            if post.name:
                sources.append(f"{blog}/{post.name}/")
            for number, (slug, name) in enumerate(post.categories):
                (primary if number == 0 else secondary).setdefault(slug, ("category", name))
            for slug, name in post.tags:
                secondary.setdefault(f"tag:{slug}", ("tag", name))
        else:
            sources.append(f"{blog}/?page_id={post.id}")
        for source in sources:
            plan.redirects.setdefault(source, entry.target)
    parents = {t.slug: t.parent for t in channel.terms if t.taxonomy == "category"}
    for key, (kind, name) in {**secondary, **primary}.items():
        if kind == "tag":
            plan.redirects.setdefault(f"{blog}/tag/{key.removeprefix('tag:')}/", "{tag}" + name)
        else:
            target = ("{category}" if key in primary else "{tag}") + name
            plan.redirects.setdefault(f"{blog}/category/{_category_path(key, parents)}/", target)
    if published:
        for old, new in FEEDS.items():
            plan.redirects.setdefault(f"{blog}/{old}", new)


def _category_path(slug: str, parents: Mapping[str, str]) -> str:
    chain, seen = [slug], {slug}
    while (parent := parents.get(chain[0])) and parent not in seen:
        chain.insert(0, parent)
        seen.add(parent)
    return "/".join(chain)
