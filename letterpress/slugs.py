"""Slugs: the lower-case, hyphenated names that content gets in its URL and file name."""

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """'Ünïcode & Titles, Too!' -> 'unicode-titles-too'; '' when nothing is left of `text`.

    Accents are folded to ASCII (as Pelican's default slugs are), anything else that is not a
    letter or digit becomes one hyphen.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
