"""Related essays: the few essays most like each one, by shared tags, category and words.

Each essay becomes a weighted set of features: its tags, its category, and the words of its title
and summary. A feature counts for more the rarer it is (TF-IDF's inverse document frequency), so
sharing the tag "founders" says more than sharing the category almost everything is in. Essays are
compared by cosine similarity, summed through an inverted index over the features they share: a
third of a second for 1,000 essays (bench/related.py), growing with the square of their number.

Only the essays passed in are candidates: the caller passes what the build publishes, so a
scheduled essay or a draft is never suggested. Ties, and essays that share nothing, go to the
nearest in date: the same season's thinking.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import html
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

COUNT = 3
# How much one shared feature of each kind weighs before its rarity is taken into account.
WEIGHTS = {"tag": 3.0, "category": 2.0, "word": 1.0}
# A feature in more than this share of essays (a category holding half the site, a word like
# "team" on a team blog) barely separates them; skipping it keeps the comparison fast.
MAX_SHARE = 0.5

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[a-z][a-z'’-]+[a-z]")
# Words too common in English to say what an essay is about.
STOPWORDS = frozenset(
    """
    about above after again against all also among and another any are aren't because been
    before being below between both but can cannot could did does doing done down during
    each even every few for from further had has have having her here hers him his how into
    its itself just least less made make makes many may more most much must never not now
    off once one only other ought our ours out over own same she should since some such than
    that the their theirs them then there these they this those though through too under
    until upon very was way ways were what when where which while who whom why will with
    within without would yet you your yours
    """.split()  # noqa: SIM905 (a word list reads better as prose)
)


@dataclass(frozen=True)
class Essay:
    """An essay as this module compares it."""

    key: str  # what the caller finds it by: its slug
    date: dt.datetime
    tags: Sequence[str] = ()
    category: str = ""
    text: str = ""  # title and summary; HTML tags are ignored


def words(text: str) -> set[str]:
    """The distinct content words of `text` (lower-cased; tags, short words and stopwords out)."""
    plain = html.unescape(_TAG.sub(" ", text)).lower()
    found = set()
    for word in _WORD.findall(plain):
        word = word.replace("’", "'").removesuffix("'s")
        if len(word) > 3 and word not in STOPWORDS:
            # A crude plural fold ("teams" meets "team") without a stemmer's dependency.
            found.add(word[:-1] if word.endswith("s") and not word.endswith("ss") else word)
    return found


def features(essay: Essay) -> dict[str, float]:
    """Feature -> weight before rarity: 'tag:x', 'category:x' and 'word:x'."""
    found = {f"word:{w}": WEIGHTS["word"] for w in words(essay.text)}
    if essay.category:
        found[f"category:{essay.category.casefold()}"] = WEIGHTS["category"]
    for tag in essay.tags:
        found[f"tag:{tag.casefold()}"] = WEIGHTS["tag"]
    return found


def _weighted(essays: Sequence[Essay]) -> tuple[list[list[tuple[int, float]]], list[float]]:
    """Each essay's features as (feature number, weight × rarity²), and each essay's vector
    length; features no other essay has, or too many have, are dropped (they cannot tell two
    essays apart)."""
    raw = [features(e) for e in essays]
    frequency: dict[str, int] = {}
    for found in raw:
        for name in found:
            frequency[name] = frequency.get(name, 0) + 1
    total = len(essays)
    ceiling = max(2, MAX_SHARE * total)
    idf = {name: math.log(total / n) for name, n in frequency.items() if 1 < n <= ceiling}
    number = {name: i for i, name in enumerate(sorted(idf))}
    weighted, lengths = [], []
    for found in raw:
        kept = {name: weight * idf[name] for name, weight in found.items() if name in idf}
        # Two essays' dot product is the sum, over what they share, of the feature's weight
        # squared: the same amount for every pair sharing it, so it is added once per pair.
        weighted.append([(number[name], value * value) for name, value in kept.items()])
        lengths.append(math.sqrt(sum(value * value for value in kept.values())) or 1.0)
    return weighted, lengths


def similarities(essays: Sequence[Essay]) -> Iterator[list[float]]:
    """For each essay (by position), its cosine similarity to every essay (itself: -1).

    One row at a time: the whole table of a thousand essays is a million floats (36 MB), held
    for nothing since each essay's choice needs only its own row."""
    weighted, lengths = _weighted(essays)
    postings: dict[int, list[int]] = {}
    for index, found in enumerate(weighted):
        for feature, _ in found:
            postings.setdefault(feature, []).append(index)
    inverse = [1.0 / length for length in lengths]
    for index, found in enumerate(weighted):
        dot = [0.0] * len(essays)
        for feature, amount in found:
            for other in postings[feature]:
                dot[other] += amount
        scale = inverse[index]
        row = [d * scale * i for d, i in zip(dot, inverse, strict=True)]
        row[index] = -1.0
        yield row


def inputs_digest(essays: Sequence[Essay], count: int = COUNT) -> str:
    """A hash of what `related` is given: the same digest, the same choice."""
    return hashlib.blake2b(repr((count, list(essays))).encode(), digest_size=16).hexdigest()


def related(essays: Sequence[Essay], count: int = COUNT) -> dict[str, list[str]]:
    """Each essay's key -> the keys of up to `count` others, most related first; essays that share
    nothing fill the list, nearest in date first. Deterministic for the same input."""
    stamps = [e.date.timestamp() for e in essays]
    keys = [e.key for e in essays]
    everyone = range(len(essays))
    chosen: dict[str, list[str]] = {}
    for index, row in enumerate(similarities(essays)):
        top = heapq.nlargest(count, everyone, key=row.__getitem__)
        # Whatever ties with the last place competes for it: nearest in time, then the key,
        # never the order of the input.
        floor = max(0.0, row[top[-1]] - 1e-9) if top else 0.0
        pool = [other for other in everyone if row[other] >= floor and other != index]
        when = stamps[index]
        pool.sort(key=lambda o: (-round(row[o], 9), abs(stamps[o] - when), keys[o]))
        chosen[keys[index]] = [keys[o] for o in pool[:count]]
    return chosen
