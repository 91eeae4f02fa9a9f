"""The pre-flight: an offline check of a built issue before it is pushed to the mailing service.

One table of rules. Each rule reads the issue (email.html, email.txt, issue.json and the built site
for internal links) and yields problems; an error stops the issue from going out, a warning does
not. The rules know nothing of how the issue was made, so they also catch hand-made mistakes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

from .built_issue import HTML_NAME, RECORD_NAME, TEXT_NAME, BuiltIssue
from .formats import built_path

MERGE_TAGS = ("*|UNSUB|*", "*|UPDATE_PROFILE|*", "*|HTML:LIST_ADDRESS_HTML|*")
CLIP_BYTES = 102 * 1024  # Gmail shows "[Message clipped]" above this
WARN_BYTES = 60 * 1024
MAX_SUBJECT = 150
TEXT_WIDTH = 72
ERROR, WARNING = "error", "warning"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# CSS that Outlook for Windows (and other major clients) drop; the layout must not rely on it.
_UNSUPPORTED_CSS = {
    "flex": re.compile(r"display\s*:\s*(inline-)?flex|\bflex(-[a-z]+)?\s*:", re.I),
    "grid": re.compile(r"display\s*:\s*(inline-)?grid|\bgrid(-[a-z]+)*\s*:", re.I),
    "position": re.compile(r"(?<![-\w])position\s*:", re.I),
    "external fonts": re.compile(r"@font-face|fonts\.googleapis\.com|use\.typekit\.net", re.I),
}


@dataclass(frozen=True)
class Problem:
    rule: str
    level: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: [{self.rule}] {self.message}"


@dataclass(frozen=True)
class IssueUnderCheck:
    """A built issue as the rules see it, with the built site (`output`, None when not built) and
    the site's address `site_url`, against which internal links are resolved."""

    issue: BuiltIssue
    output: Path | None
    site_url: str

    @property
    def html(self) -> str:
        return self.issue.html

    @property
    def text(self) -> str:
        return self.issue.text

    @cached_property
    def doc(self):
        return lxml.html.document_fromstring(self.html or "<html></html>")

    def styles(self) -> Iterator[tuple[str, str]]:
        """Every piece of CSS in the e-mail, with where it was found."""
        for element in self.doc.iter("style"):
            yield "<style>", element.text or ""
        for element in self.doc.xpath("//*[@style]"):
            yield f"<{element.tag} style>", element.get("style")


def under_check(issue: BuiltIssue, output: Path | None, site_url: str) -> IssueUnderCheck:
    return IssueUnderCheck(issue, Path(output) if output else None, site_url.rstrip("/"))


Finding = tuple[str, str]  # (level, message)


def merge_tags(issue: IssueUnderCheck) -> Iterable[Finding]:
    for tag in MERGE_TAGS:
        if tag not in issue.html:
            yield ERROR, f"the merge tag {tag} is missing from {HTML_NAME}"


def size(issue: IssueUnderCheck) -> Iterable[Finding]:
    weight = len(issue.html.encode("utf-8"))
    if weight > CLIP_BYTES:
        yield ERROR, f"{HTML_NAME} is {weight / 1024:.1f} KB; Gmail clips above 102 KB"
    elif weight > WARN_BYTES:
        yield WARNING, f"{HTML_NAME} is {weight / 1024:.1f} KB; keep it under 60 KB"


def _links(issue: IssueUnderCheck) -> Iterator[tuple[str, str]]:
    for element, attribute, url, _ in issue.doc.iterlinks():
        if attribute in ("href", "src", "background") and element.tag != "base":
            yield element.tag, element.get(attribute, url)


def links(issue: IssueUnderCheck) -> Iterable[Finding]:
    targets: dict[Path, str] = {}
    for tag, url in _links(issue):
        url = url.strip()
        if "*|" in url or url.startswith("#") or url.lower().startswith(("mailto:", "tel:")):
            continue
        if not _SCHEME.match(url):
            yield ERROR, f"relative link <{tag}> {url!r}: e-mail links must be absolute"
        elif issue.site_url and (url == issue.site_url or url.startswith(issue.site_url + "/")):
            yield from _internal(issue, tag, url, targets)


def _internal(issue: IssueUnderCheck, tag: str, url: str, targets: dict) -> Iterable[Finding]:
    if issue.output is None or not issue.output.is_dir():
        yield ERROR, f"cannot check {url}: the built site ({issue.output}) is missing"
        return
    parts = urlsplit(url)
    path = built_path(url, issue.site_url, issue.output)
    if not path.is_file():
        yield ERROR, f"dead internal link <{tag}> {url}: no {path}"
        return
    if parts.fragment:
        if path not in targets:
            targets[path] = path.read_text("utf-8", errors="replace")
        if not re.search(rf"""\bid=["']?{re.escape(parts.fragment)}["'\s>]""", targets[path]):
            yield ERROR, f"dead internal link {url}: no id {parts.fragment!r} in {path}"


def image_alt(issue: IssueUnderCheck) -> Iterable[Finding]:
    for image in issue.doc.iter("img"):
        if image.get("alt") is None:
            yield ERROR, f"image {image.get('src', '?')} has no alt text"


def image_size(issue: IssueUnderCheck) -> Iterable[Finding]:
    for image in issue.doc.iter("img"):
        if not (image.get("width") and image.get("height")):
            yield ERROR, f"image {image.get('src', '?')} has no width and height attributes"


def preheader(issue: IssueUnderCheck) -> Iterable[Finding]:
    text = (issue.issue.preheader).strip()
    if not text:
        yield ERROR, f"no preheader in {RECORD_NAME}: write one in the note (Preheader: …)"
        return
    hidden = [
        e
        for e in issue.doc.xpath("//body//*[@style]")
        if re.search(r"display\s*:\s*none", e.get("style"), re.I)
    ]
    if not any(text in " ".join(e.text_content().split()) for e in hidden):
        yield ERROR, f"the preheader is not in {HTML_NAME} as hidden text at the top of the body"


def subject(issue: IssueUnderCheck) -> Iterable[Finding]:
    text = (issue.issue.subject).strip()
    if not text:
        yield ERROR, f"no subject in {RECORD_NAME}"
    elif len(text) > MAX_SUBJECT:
        yield ERROR, f"the subject is {len(text)} characters; keep it to {MAX_SUBJECT}"


def _forbidden(tag: str, why: str) -> Callable[[IssueUnderCheck], Iterable[Finding]]:
    def rule(issue: IssueUnderCheck) -> Iterable[Finding]:
        count = len(list(issue.doc.iter(tag)))
        if count:
            yield ERROR, f"{count} <{tag}> element(s): {why}"

    return rule


def stylesheets(issue: IssueUnderCheck) -> Iterable[Finding]:
    for link in issue.doc.iter("link"):
        if "stylesheet" in (link.get("rel") or "").lower():
            yield (
                ERROR,
                f"external stylesheet {link.get('href')}: clients ignore it; inline the CSS",
            )
    for where, css in issue.styles():
        if "@import" in css:
            yield ERROR, f"@import in {where}: clients ignore external stylesheets"


def css_support(issue: IssueUnderCheck) -> Iterable[Finding]:
    for where, css in issue.styles():
        for name, pattern in _UNSUPPORTED_CSS.items():
            if pattern.search(css):
                yield ERROR, f"{name} in {where}: Outlook and other clients ignore it"


def style_blocks(issue: IssueUnderCheck) -> Iterable[Finding]:
    for element in issue.doc.iter("style"):
        rest = _without_media(re.sub(r"/\*.*?\*/", "", element.text or "", flags=re.S))
        if rest.strip():
            yield (
                ERROR,
                f"a <style> holds rules other than @media ({rest.strip()[:60]}…): inline them",
            )


def _without_media(css: str) -> str:
    """CSS with every @media block taken out (braces matched, so nested rules go too)."""
    out, index = [], 0
    for match in re.finditer(r"@media[^{]*\{", css):
        if match.start() < index:
            continue
        out.append(css[index : match.start()])
        depth, cursor = 1, match.end()
        while depth and cursor < len(css):
            depth += {"{": 1, "}": -1}.get(css[cursor], 0)
            cursor += 1
        index = cursor
    out.append(css[index:])
    return "".join(out)


def text_width(issue: IssueUnderCheck) -> Iterable[Finding]:
    long_lines = [n for n, line in enumerate(issue.text.splitlines(), 1) if len(line) > TEXT_WIDTH]
    if long_lines:
        shown = ", ".join(map(str, long_lines[:10]))
        yield ERROR, f"{TEXT_NAME} has lines over {TEXT_WIDTH} columns (line {shown})"


@dataclass(frozen=True)
class Rule:
    code: str
    checks: Callable[[IssueUnderCheck], Iterable[Finding]]
    what: str


RULES = (
    Rule("merge-tags", merge_tags, "the footer's Mailchimp merge tags are there"),
    Rule("size", size, "under 102 KB (Gmail clips), ideally under 60 KB"),
    Rule("links", links, "every link absolute, and every link into the site resolves"),
    Rule("image-alt", image_alt, "every image has alt text"),
    Rule("image-size", image_size, "every image has width and height"),
    Rule("preheader", preheader, "a preheader, hidden at the top of the body"),
    Rule("subject", subject, f"a subject of at most {MAX_SUBJECT} characters"),
    Rule("script", _forbidden("script", "e-mail clients strip scripts"), "no <script>"),
    Rule("form", _forbidden("form", "most clients disable forms"), "no <form>"),
    Rule("stylesheet", stylesheets, "no external stylesheets"),
    Rule("css", css_support, "no flex, grid, position or web fonts"),
    Rule("style-block", style_blocks, "styles inlined; only @media left in <style>"),
    Rule("text-width", text_width, f"{TEXT_NAME} wrapped at {TEXT_WIDTH} columns"),
)


def check_issue(issue: IssueUnderCheck, rules: Iterable[Rule] = RULES) -> list[Problem]:
    """Every problem the rules find, in the order of the table."""
    return [
        Problem(rule.code, level, message)
        for rule in rules
        for level, message in rule.checks(issue)
    ]


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == ERROR]


def preflight(issue: BuiltIssue, output: Path, site_url: str) -> list[Problem]:
    """The pre-flight of a built issue, as `invoke newsletter.check` and `newsletter.push` run
    it: internal links resolved in the built site `output` when it exists (else not checked
    against files), against the site's address `site_url`."""
    built = Path(output) if Path(output).is_dir() else None
    return check_issue(under_check(issue, built, site_url))


def blocking(issue: BuiltIssue, output: Path, site_url: str) -> list[str]:
    """The pre-flight's errors, as sentences: what stops the issue from going out."""
    return [str(problem) for problem in errors(preflight(issue, output, site_url))]
