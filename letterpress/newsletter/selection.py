"""Which essays, workshops and conversations go into a month's issue: pure decisions on plain data.

The rules: an issue exists for each month up to the build date that has published essays or an
editor's note. It lists that month's published essays; the workshops open for registration on the
issue's date; and the month's liveliest comment threads on published essays, with an excerpt of one
reply by the author when there is one. Drafts and essays dated after the build date never appear.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from letterpress.clock import is_published_on, local_day
from letterpress.text import reading_minutes

from .model import (
    EssayItem,
    EssaySource,
    Issue,
    Month,
    Note,
    Sources,
    ThreadItem,
    WorkshopItem,
)

MAX_THREADS = 3
EXCERPT_WORDS = 45
# Registration is possible in these workshop states (see letterpress.workshops.state).
REGISTRABLE = ("open", "waitlist")
# Block-level tags separate words; inline tags (em, a, code…) do not.
_BLOCK_TAG = re.compile(r"</?(?:p|div|li|br|h[1-6]|blockquote|ul|ol|pre|tr|td|th)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def plain_text(fragment: str) -> str:
    """The words of an HTML fragment, on one line."""
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", fragment))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    """At most `words` words, ending at a sentence when one ends late enough, else with '…'."""
    parts = text.split()
    if len(parts) <= words:
        return text
    cut = " ".join(parts[:words])
    sentence_end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if sentence_end > len(cut) // 2:
        return cut[: sentence_end + 1]
    return cut.rstrip(",;:") + "…"


def published_essays(
    essays: Iterable[EssaySource], today: dt.date, zone: ZoneInfo
) -> list[EssaySource]:
    """Essays readers can see on `today`: published and not dated later (the site's rule,
    letterpress.clock.is_published_on), oldest first."""
    visible = [
        e for e in essays if e.status == "published" and is_published_on(e.date, today, zone)
    ]
    return sorted(visible, key=lambda e: _sort_key(e.date, zone))


def _sort_key(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    # Naive and aware dates may meet here: a naive one is wall-clock time in the site's zone.
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _essay_item(essay: EssaySource, zone: ZoneInfo) -> EssayItem:
    return EssayItem(
        slug=essay.slug,
        title=plain_text(essay.title),
        date=local_day(essay.date, zone),
        summary=plain_text(essay.summary_html),
        minutes=reading_minutes(essay.content_html),
        url=essay.url,
    )


def _workshop_item(workshop, state: str) -> WorkshopItem:
    """The newsletter's view of a letterpress.workshops.Workshop."""
    return WorkshopItem(
        slug=workshop.slug,
        title=workshop.title,
        url=workshop.url,
        start=workshop.start,
        end=workshop.end,
        when=workshop.date_range,
        city=workshop.city,
        summary=plain_text(workshop.summary or ""),
        state=state,
        price=workshop.price_text,
    )


def open_workshops(sources: Sources, day: dt.date) -> list[WorkshopItem]:
    """Workshops one can register for (or join the waiting list of) on `day`, soonest first."""
    if not sources.workshops:
        return []
    state_of = sources.workshop_state or _default_workshop_state()
    chosen = []
    for workshop in sources.workshops:
        state = state_of(workshop, day)
        if state in REGISTRABLE:
            chosen.append(_workshop_item(workshop, state))
    return sorted(chosen, key=lambda w: w.start)


def _default_workshop_state():
    from letterpress.workshops import state  # the workshops part owns the rule

    return state


def lively_threads(comments: Sequence, essays_by_slug: dict[str, EssaySource]) -> list[ThreadItem]:
    """The busiest conversations among one month's comments, busiest (then latest) first."""
    threads: dict[str, list] = defaultdict(list)
    for comment in comments:
        if comment.essay in essays_by_slug:
            threads[comment.essay].append(comment)
    ranked = sorted(
        threads.items(),
        key=lambda item: (-len(item[1]), -max(c.date for c in item[1]).timestamp(), item[0]),
    )
    return [_thread_item(essays_by_slug[slug], found) for slug, found in ranked[:MAX_THREADS]]


def _thread_item(essay: EssaySource, comments: list) -> ThreadItem:
    replies = sorted((c for c in comments if c.role == "author"), key=lambda c: c.date)
    reply = replies[-1] if replies else None
    return ThreadItem(
        essay_title=plain_text(essay.title),
        essay_url=essay.url,
        comments=len(comments),
        people=len({c.author for c in comments}),
        reply_author=reply.author if reply else "",
        reply_excerpt=excerpt(plain_text(reply.html)) if reply else "",
        reply_url=f"{essay.url}#{reply.anchor}" if reply else "",
    )


def _count(n: int, noun: str, plural: str | None = None) -> str:
    word = _NUMBERS[n] if n < len(_NUMBERS) else str(n)
    return f"{word} {noun if n == 1 else (plural or noun + 's')}"


def default_subject(month: Month, essays: Sequence[EssayItem], site_name: str) -> str:
    if not essays:
        return f"{site_name}, {month.name}"
    subject = f"{month.name}: {essays[0].title}"
    if len(essays) > 1:
        subject += f", and {_count(len(essays) - 1, 'more essay')}"
    return subject


def default_preheader(
    essays: Sequence[EssayItem], workshops: Sequence[WorkshopItem], threads: Sequence[ThreadItem]
) -> str:
    parts = []
    if essays:
        parts.append(_count(len(essays), "new essay"))
    if workshops:
        parts.append(_count(len(workshops), "workshop") + " open for registration")
    if threads:
        parts.append(
            "the month's liveliest " + ("conversations" if len(threads) > 1 else "conversation")
        )
    if not parts:
        return "A short note from the editor."
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text[0].upper() + text[1:] + "."


def issue_date(month: Month, note: Note | None) -> dt.date:
    """The day the issue goes out: the note's Date, else the month's last day."""
    return note.date if note and note.date else month.last_day


@dataclass(frozen=True)
class _Index:
    """The sources sorted by month once, so that building every issue stays linear."""

    essays: dict[Month, list[EssaySource]]
    comments: dict[Month, list]
    essays_by_slug: dict[str, EssaySource]

    @classmethod
    def build(cls, sources: Sources, today: dt.date, zone: ZoneInfo) -> _Index:
        visible = published_essays(sources.essays, today, zone)
        essays: dict[Month, list[EssaySource]] = defaultdict(list)
        for essay in visible:
            essays[Month.of(local_day(essay.date, zone))].append(essay)
        comments: dict[Month, list] = defaultdict(list)
        for comment in sources.comments:
            day = local_day(comment.date, zone)
            if day <= today:
                comments[Month.of(day)].append(comment)
        return cls(essays, comments, {e.slug: e for e in visible})


def _select(month: Month, sources: Sources, index: _Index, zone: ZoneInfo, site_name: str) -> Issue:
    note = next((n for n in sources.notes if n.month == month), None)
    essays = tuple(_essay_item(e, zone) for e in index.essays.get(month, ()))
    day = issue_date(month, note)
    workshops = tuple(open_workshops(sources, day))
    threads = tuple(lively_threads(index.comments.get(month, ()), index.essays_by_slug))
    return Issue(
        month=month,
        date=day,
        subject=(note.subject if note else "") or default_subject(month, essays, site_name),
        preheader=(note.preheader if note else "") or default_preheader(essays, workshops, threads),
        note_html=note.body_html if note else "",
        essays=essays,
        workshops=workshops,
        threads=threads,
    )


def _months(sources: Sources, index: _Index, today: dt.date) -> list[Month]:
    months = set(index.essays) | {note.month for note in sources.notes}
    return sorted(m for m in months if m <= Month.of(today))


def select_issue(
    month: Month, sources: Sources, *, today: dt.date, timezone: str, site_name: str
) -> Issue:
    """The issue for `month` as of the build date `today`."""
    zone = ZoneInfo(timezone)
    return _select(month, sources, _Index.build(sources, today, zone), zone, site_name)


def select_issues(
    sources: Sources, *, today: dt.date, timezone: str, site_name: str
) -> list[Issue]:
    """Every issue the site has as of `today`, oldest first."""
    zone = ZoneInfo(timezone)
    index = _Index.build(sources, today, zone)
    return [_select(m, sources, index, zone, site_name) for m in _months(sources, index, today)]
