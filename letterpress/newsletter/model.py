"""The newsletter's plain data: months, the sources an issue is chosen from, and the issue itself.

Everything here is Pelican-free, so the selection can be tested with small hand-made objects.
URLs on items are site-relative ("essays/2026/11/slug/", as Pelican writes them); each form of the
issue makes them absolute or relative as it needs.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from letterpress.errors import LetterpressError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class NewsletterError(LetterpressError, ValueError):
    """The newsletter's input is wrong; the message names the file, field or setting."""


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, the unit of the newsletter: one issue per month."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str, where: str = "month") -> Month:
        """Read 'YYYY-MM'; raise NewsletterError naming `where` otherwise."""
        match = _MONTH.match(str(text).strip())
        if not match or not 1 <= int(match[2]) <= 12:
            raise NewsletterError(f"{where}: {text!r} is not a month; write it as YYYY-MM.")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.number, calendar.monthrange(self.year, self.number)[1])

    @property
    def name(self) -> str:
        """'November 2026', in English whatever the machine's locale."""
        return f"{calendar.month_name[self.number]} {self.year}"

    @property
    def url(self) -> str:
        """The web issue's site-relative URL."""
        return f"newsletter/{self.year:04d}/{self.number:02d}/"


@dataclass(frozen=True)
class EssaySource:
    """An essay as the newsletter needs it (the plugin makes these from Pelican articles)."""

    slug: str
    title: str
    date: dt.datetime  # aware
    url: str
    summary_html: str
    content_html: str
    status: str = "published"


@dataclass(frozen=True)
class Note:
    """The editor's note for a month: content/newsletters/YYYY-MM.md."""

    month: Month
    subject: str
    preheader: str
    body_html: str
    source: str
    date: dt.date | None = None  # the day the issue goes out, when the note sets one


class CommentLike(Protocol):
    """What the newsletter reads from letterpress.comments.Comment."""

    id: str
    essay: str
    author: str
    date: dt.datetime
    role: str
    html: str


@dataclass(frozen=True)
class Sources:
    """Everything an issue is chosen from. Workshops are letterpress.workshops.Workshop objects
    and `workshop_state(workshop, day)` says whether one is open that day."""

    essays: Sequence[EssaySource] = ()
    notes: Sequence[Note] = ()
    workshops: Sequence[Any] = ()
    comments: Sequence[CommentLike] = ()
    workshop_state: Callable[[Any, dt.date], str] | None = None


@dataclass(frozen=True)
class EssayItem:
    slug: str
    title: str
    date: dt.date
    summary: str  # plain text
    minutes: int
    url: str


@dataclass(frozen=True)
class WorkshopItem:
    slug: str
    title: str
    url: str
    start: dt.datetime
    end: dt.datetime
    when: str  # "May 14–15, 2027"
    city: str
    summary: str
    state: str  # "open" or "waitlist"
    price: str = ""


@dataclass(frozen=True)
class ThreadItem:
    """One lively conversation of the month: an essay's comments written that month."""

    essay_title: str
    essay_url: str
    comments: int
    people: int
    reply_author: str = ""
    reply_excerpt: str = ""  # plain text, a few sentences of the author's reply
    reply_url: str = ""


@dataclass(frozen=True)
class Issue:
    month: Month
    date: dt.date
    subject: str
    preheader: str
    note_html: str = ""
    essays: tuple[EssayItem, ...] = ()
    workshops: tuple[WorkshopItem, ...] = ()
    threads: tuple[ThreadItem, ...] = ()

    @property
    def url(self) -> str:
        return self.month.url

    @property
    def has_note(self) -> bool:
        return bool(self.note_html.strip())
