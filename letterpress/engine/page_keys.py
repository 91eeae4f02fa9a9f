"""A page's key: a digest of the named inputs it is rendered from, and nothing else.

A page is rendered again when its key changes, and served from the cache otherwise, so a key must
change with every input that can change what the page holds. Correctness first: when in doubt, an
input is included (an input too many costs a render; one too few shows a stale page).

The inputs, by name (`PageInputs`):
- `fingerprint`: the settings, the theme and code, the packages' versions, the build date;
- `site`: what any page may show of the whole site (`SiteInputs`): every content file that is not
  an essay or a comment, by its bytes; the outline of every essay and page (`Outline`); and the
  facts features declared (which feeds exist);
- `template` and `output`: which template renders it, and where it goes (links are relative);
- `own`: the values the generator passed for this page only, each digested by type: an essay in
  full (`InFull`: its outline, its HTML, its comments), a listing's essays in full, a tag, a
  period, a newsletter issue (a dataclass, field by field). A value of a type with no rule here
  makes the page unkeyable: it is rendered every time.

`tests/engine` drops each field of these dataclasses in turn and sees a test fail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from .fingerprint import digest_of


class Unkeyable(Exception):
    """A page's own value of a type no rule digests: the page is rendered every time."""


@dataclass(frozen=True)
class Outline:
    """What a page other than its own may show of an essay or page."""

    source: str  # the source file, relative to the content folder
    url: str
    save_as: str
    title: str
    summary: str
    date: str  # ISO, with the time zone
    modified: str
    status: str
    metadata: tuple[tuple[str, str], ...]  # every other metadata field (tags, category...)


@dataclass(frozen=True)
class InFull:
    """What an essay's or page's own page shows of it."""

    outline: Outline
    html: str  # a digest of its HTML as read
    comments: tuple[str, ...]  # a digest of each comment, every field
    comments_open: bool | None


@dataclass(frozen=True)
class SiteInputs:
    content_files: tuple[tuple[str, str], ...]  # (path, digest of bytes), essays and comments aside
    outlines: tuple[Outline, ...]  # every essay and page, published, hidden or draft
    declared: tuple[tuple[str, str], ...]  # (name, digest) facts features declared

    def digest(self) -> str:
        return digest_of(*_flat(self))


@dataclass(frozen=True)
class PageInputs:
    fingerprint: str
    site: str  # SiteInputs.digest()
    template: str
    output: str
    own: tuple[tuple[str, str], ...]  # (name, digest) of the values this page has of its own


def page_key(inputs: PageInputs) -> str:
    """The key of a page: a digest of every field of `inputs`, by name."""
    return digest_of(*_flat(inputs))


def _flat(inputs: Any) -> list[str]:
    return [f"{field.name}={getattr(inputs, field.name)!s}" for field in dataclasses.fields(inputs)]


def plain_digest(value: Any) -> str:
    """A digest of a plain value: text, numbers, dates, paths, sequences, mappings and frozen
    dataclasses of them (field by field, with the class's name). Anything else is Unkeyable."""
    return digest_of(_plain(value))


def _plain(value: Any) -> str:
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    if isinstance(value, Decimal):  # a workshop's price
        return "d" + str(value)
    if isinstance(value, str):  # Markup too
        return "s" + repr(str(value))
    if isinstance(value, dt.date | dt.time):  # datetimes are dates
        return "t" + value.isoformat() + str(getattr(value, "tzinfo", None) or "")
    if isinstance(value, PurePath):
        return "p" + repr(str(value))
    if isinstance(value, list | tuple):
        return "[" + ",".join(_plain(item) for item in value) + "]"
    if isinstance(value, Mapping):
        items = sorted((_plain(k), _plain(v)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        fields = ",".join(
            f"{field.name}={_plain(getattr(value, field.name))}"
            for field in dataclasses.fields(value)
        )
        return f"{kind.__module__}.{kind.__qualname__}({fields})"
    raise Unkeyable(f"no rule for a value of type {type(value).__qualname__}")
