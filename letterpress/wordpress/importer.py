"""Importing a WordPress export into content/: essays, pages, comment threads, uploads, redirects.

Two passes over the file, each streamed. The first reads everything but the texts and checks the
file is a whole WXR export: a broken one stops here, before anything is written. The plan
(plan.py) then decides every post. The second pass converts each post and its comments and
writes them, then the redirect table. Memory holds one item at a time plus the small plan.
"""

import html
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from letterpress.comments import comment_path, format_comment
from letterpress.redirects.table import TABLE, format_table, merge, read_table, source_problem

from .comments import plan_comments
from .files import ContentFiles
from .islands import clean_html
from .links import rewrite_permalinks, rewrite_uploads, site_hosts
from .markup import Findings, excerpt, inline_title, one_line, to_markdown
from .media import Fetcher, is_wordpress_host, local_path, remote_images
from .plan import (
    FOLDERS,
    UNDATED,
    Entry,
    Options,
    Plan,
    Post,
    plan_posts,
    site_date,
    site_path,
    slugify,
)
from .repair import Repairs
from .report import Note, Report
from .shortcodes import Media
from .wxr import Author, Channel, Item, read_export

ID_FIELD = "Wordpress-Id"  # marks a file this importer wrote, and for which post
# Pelican needs a body; an empty post (a title only) gets this line.
EMPTY_BODY = "*(This post had no text.)*\n"


@dataclass(frozen=True)
class Survey:
    channel: Channel
    posts: list[Post]
    attachments: dict[int, tuple[str, str, str]]  # id -> (url, alt, caption)
    children: dict[int, list[int]]  # post id -> its attachments, in order


def survey(
    export: Path, on_progress: Callable[[int], None] | None = None, repairs: Repairs | None = None
) -> Survey:
    """Read the whole export once, keeping what planning needs; raises WxrError if it is broken.
    The defects mended while reading are noted in `repairs`."""
    channel, posts, attachments, children = Channel(), [], {}, defaultdict(list)
    for record in read_export(export, on_progress, repairs, bodies=False):
        if isinstance(record, Channel):
            channel = record
            continue
        posts.append(Post.of(record))
        if record.type == "attachment" and record.attachment_url:
            alt = record.meta.get("_wp_attachment_image_alt", "")
            caption = _flat(record.excerpt)
            attachments[record.id] = (record.attachment_url.strip(), alt, caption)
            children[record.parent].append(record.id)
    return Survey(channel, posts, attachments, dict(children))


def _header(path: Path) -> dict[str, str]:
    fields: dict[str, str] = {}
    with open(path, encoding="utf-8", errors="replace") as file:
        for line in file:
            if not line.strip():
                break
            name, colon, value = line.partition(":")
            if colon:
                fields.setdefault(name.strip().lower(), value.strip())
    return fields


def taken_slugs(content: Path, export_ids: set[int]) -> dict[str, set[str]]:
    """Per kind, the slugs other files in content/ already use: files written by this importer
    for a post of this export do not count, so a second import plans the same slugs."""
    taken: dict[str, set[str]] = {kind: set() for kind in FOLDERS}
    for kind, folder in FOLDERS.items():
        root = content / folder
        for path in sorted(root.rglob("*.md")) if root.is_dir() else ():
            fields = _header(path)
            owner = fields.get(ID_FIELD.lower(), "")
            if owner.isdigit() and int(owner) in export_ids:
                continue
            relative = path.relative_to(root).with_suffix("").as_posix()
            taken[kind].add(fields.get("slug") or slugify(fields.get("title", "")) or relative)
    return taken


def _flat(value: str) -> str:
    """One line of plain text for a metadata field: no tags, no newlines."""
    text = BeautifulSoup(html.unescape(value or ""), "html.parser").get_text()
    return re.sub(r"\s+", " ", text).strip()


def content_text(entry: Entry, item: Item, channel: Channel, timezone: str, body: str) -> str:
    """The essay or page file: Pelican `Key: value` headers, a blank line, the Markdown body."""
    date = site_date(item.date_gmt, item.date, timezone, item.pub_date)
    if entry.draft and date is None:
        date = site_date(item.modified_gmt, item.modified, timezone)
    modified = site_date(item.modified_gmt, item.modified, timezone)
    authors = {a.login: a.display_name or a.login for a in channel.authors}
    categories = [n for t, _, n in item.terms if t == "category"]
    tags = [n for t, _, n in item.terms if t == "post_tag"] + categories[1:]
    fields = [
        ("Title", inline_title(item.title) or entry.slug),
        ("Date", date.isoformat() if date else ""),
        ("Modified", modified.isoformat() if modified and date and modified > date else ""),
        ("Slug", entry.slug),
        ("Category", _flat(categories[0]) if categories and entry.kind == "essay" else ""),
        ("Tags", ", ".join(dict.fromkeys(_flat(t).replace(",", " ") for t in tags))),
        ("Author", _flat(authors.get(item.creator.strip(), item.creator))),
        # Without a Summary Pelican renders the whole body early to make one, before it knows
        # the static files; WordPress's own rule (the first 55 words) gives every essay one.
        ("Summary", one_line(item.excerpt) or _flat(excerpt(item.content))),
        ("Status", "draft" if entry.draft else ""),
        (ID_FIELD, str(item.id)),
    ]
    if entry.kind == "page":
        fields[5] = ("Tags", "")
    head = "".join(f"{name}: {value}\n" for name, value in fields if value)
    return f"{head}\n{body or EMPTY_BODY}"


def _author(item: Item, channel: Channel) -> Author | None:
    return next((a for a in channel.authors if a.login == item.creator.strip()), None)


@dataclass
class Importer:
    export: Path
    content: Path
    timezone: str
    options: Options
    uploads: Path | None = None
    dry_run: bool = False
    force: bool = False
    echo: Callable[[str], None] = print
    # With a Fetcher (--download-media), images on the old site, WordPress.com's file hosts and
    # Jetpack's proxy are copied into content/; without, they are listed.
    fetcher: Fetcher | None = None

    def run(self, progress: Callable[[str, int], None] | None = None) -> Report:
        """Import the export; `progress(phase, bytes_read)` is called while each pass reads."""
        report = Report(dry_run=self.dry_run)
        repairs = Repairs()
        found = survey(self.export, _phase(progress, "Reading"), repairs)
        report.repairs = repairs.sentences(self.export)
        ids = {post.id for post in found.posts}
        plan = plan_posts(found.channel, found.posts, taken_slugs(self.content, ids), self.options)
        report.skipped.update(plan.skipped)
        files = ContentFiles(self.content, report, self.dry_run, self.force, self.echo)
        redirects = dict(plan.redirects)
        for record in read_export(self.export, _phase(progress, "Importing")):
            if isinstance(record, Item):
                self._item(record, found, plan, files, report, redirects)
        self._redirects(redirects, files, report)
        return report

    def _item(self, item, found: Survey, plan: Plan, files, report, redirects) -> None:
        entry = plan.entries.get(item.id)
        if entry is None:
            if item.comments and item.type in ("post", "page"):
                withheld = item.password.strip() or item.status.strip() == "private"
                why = "on private or protected posts"
                report.skipped[("comments", why if withheld else "on posts not imported")] += len(
                    item.comments
                )
            return
        channel = found.channel
        media = Media(
            found.attachments,
            tuple(found.attachments[i] for i in found.children.get(item.id, ())),
        )
        findings = Findings(unknown_shortcodes=report.unknown_shortcodes)
        try:
            body = to_markdown(item.content, media, findings)
        except Exception as error:
            body = clean_html(item.content) + "\n"
            report.notes.append(
                Note(entry.source, 0, f"the post could not be converted ({error!r}), so its "
                     "HTML is kept as it was, cleaned", "rewrite it in Markdown when you can")
            )  # fmt: skip
        # Only its start is needed from here (for the summary): a huge post is not held twice.
        item.content = item.content[: 64 * 1024]
        base = channel.base_site_url or channel.link
        moved = rewrite_uploads(body, base, self.uploads)
        del body
        hosts = site_hosts(channel.link, channel.base_site_url, channel.base_blog_url)
        body = rewrite_permalinks(moved.text, hosts, plan.redirects)
        moved.text = ""
        for relative, source in moved.copies.items():
            files.copy(source, relative, "uploads")
        for url, relative in moved.moved.items():
            if not url.startswith("http") or url.split("/")[2] in hosts:
                redirects.setdefault(site_path(url), "/" + relative)
        report.missing_uploads += [u for u in moved.missing if u not in report.missing_uploads]
        body, remote = self._media(body, hosts, files, report)
        kind = "drafts" if entry.draft and entry.kind == "essay" else f"{entry.kind}s"
        report.imported[kind] += 1
        text = content_text(entry, item, channel, self.timezone, body)
        del body
        files.put(entry.source, text, kind)
        _notes(entry, text, findings, report, remote)
        self._comments(item, entry, channel, files, report)

    def _media(self, body: str, hosts, files: ContentFiles, report: Report):
        """(body, images still shown from elsewhere): the author's own remote images copied into
        content/ when there is a fetcher."""
        remote = []
        for url in remote_images(body):
            relative = local_path(url)
            if self.fetcher is None or relative is None or not is_wordpress_host(url, hosts):
                remote.append(url)
                continue
            if self.dry_run:
                self.echo(f"would download {url} to content/{relative}")
                continue
            fetched = self.fetcher.get(url)
            if isinstance(fetched, str):
                failure = f"{url}: {fetched}"
                if failure not in report.not_downloaded:
                    report.not_downloaded.append(failure)
                remote.append(url)
                continue
            if relative not in files.done:
                report.downloaded += 1
            files.put_bytes(relative, fetched, "media")
            body = body.replace(url, "{static}/" + relative)
        return body, remote

    def _comments(self, item: Item, entry: Entry, channel, files, report) -> None:
        if not item.comments:
            return
        if entry.kind != "essay":
            report.skipped[("comments", "on pages (pages take no comments)")] += len(item.comments)
            return
        if not self.options.comments:
            report.skipped[("comments", "--no-comments")] += len(item.comments)
            return
        outcome = plan_comments(
            item.comments, entry.slug, _author(item, channel), self.timezone, self.options.pingbacks
        )
        for reason, count in outcome.skipped.items():
            report.skipped[("comments", reason)] += count
        report.redacted.update(outcome.redacted)
        for comment in outcome.comments:
            relative = comment_path(Path(), comment).as_posix()
            files.put(relative, format_comment(comment), "comments")
        report.imported["comments"] += len(outcome.comments)

    def _redirects(self, redirects: dict[str, str], files, report) -> None:
        usable = {}
        for source, target in redirects.items():
            if source_problem(source):
                report.skipped[("redirects", "old address is not a plain path")] += 1
            else:
                usable[source] = target
        merged = merge(read_table(self.content / TABLE), usable, self.force)
        report.redirects_added = merged.added
        report.redirects_total = len(merged.redirects)
        report.redirects_kept = merged.kept
        if merged.redirects:
            # The merge keeps every row the table had (or replaces them only with --force).
            files.put(TABLE, format_table(merged.redirects), "redirect table", merged=True)


def _line(text: str, needle: str) -> int:
    index = text.find(needle) if needle else -1
    return text.count("\n", 0, index) + 1 if index >= 0 else 0


def _notes(entry: Entry, text: str, findings: Findings, report: Report, remote) -> None:
    """What the author should look at in this file, each with its line."""
    source = entry.source
    report.removed_links.update(findings.removed_links)
    for src in findings.images_without_alt:
        name = src.rsplit("/", 1)[-1] or src
        report.notes.append(
            Note(source, _line(text, src), f"the image {name} has no alt text",
                 'describe it in alt="…" (or keep alt="" if it is only decoration)')
        )  # fmt: skip
    for url in findings.embeds_as_links:
        report.notes.append(
            Note(source, _line(text, url), f"the embed {url} is now a plain link",
                 "paste a screenshot or a quotation if the link is not enough")
        )  # fmt: skip
    for url in remote:
        report.notes.append(
            Note(source, _line(text, url), f"the image {url} is still shown from another site",
                 "copy it in with --uploads or --download-media, or keep the address")
        )  # fmt: skip
    if entry.draft == UNDATED:
        report.notes.append(
            Note(source, 0, "the export gives this post no date, so it was imported as a draft",
                 "add a Date: line and remove Status: draft to publish it")
        )  # fmt: skip
    if removed := sum(findings.removed_links.values()):
        report.notes.append(
            Note(source, 0, f"{removed} link(s) or source(s) with an unsafe scheme were removed",
                 "compare with the old post if something is missing")
        )  # fmt: skip


def _phase(progress, name: str):
    return (lambda done: progress(name, done)) if progress else None
