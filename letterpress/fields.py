"""Checks and cleaning for the values people type into forms, shared by the inbox and the comment
file format, so the inbox accepts exactly what a file can hold.

Pure functions over strings. Cleaning never guesses at meaning: it drops what no reader can see
(control and invisible format characters) and folds line breaks out of one-line values. A value
is "empty" when nothing visible is left after cleaning.
"""

import re
import unicodedata
from urllib.parse import urlsplit

# Zero-width (non-)joiners shape scripts such as Persian, Devanagari and emoji sequences: they are
# kept between two visible characters and dropped anywhere else (alone, they hide a blank name).
_JOINERS = frozenset("\u200c\u200d")
# Every character Python's str.splitlines() breaks at: none may stay in a one-line field, or a
# value could start a new "Field: value" line in a comment file.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

# Local part: RFC 5322's dot-atom characters; domain: letters, digits and hyphens in dotted labels
# (an international domain is checked in its ASCII form, xn--…). No quoted local parts.
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
)
MAX_EMAIL_LENGTH = 254
# The comment form's limits, in characters: the inbox refuses a longer value (comment_checks) and
# the theme's form stops the reader typing one (maxlength, from these very numbers).
COMMENT_LIMITS = {"name": 100, "email": MAX_EMAIL_LENGTH, "url": 200, "body": 10_000}
# What a ticked checkbox, or a script meaning "yes", sends.
_YES = frozenset({"yes", "on", "true", "1"})


def _invisible(char: str) -> bool:
    """Control (Cc), format (Cf) and surrogate (Cs) characters: nothing a reader sees."""
    return unicodedata.category(char) in ("Cc", "Cf", "Cs")


def _drop_invisible(text: str, keep: frozenset[str] = frozenset()) -> str:
    """`text` without invisible characters, except those in `keep` and joiners between two
    visible characters."""
    kept = []
    for index, char in enumerate(text):
        if char in keep or not _invisible(char):
            kept.append(char)
        elif char in _JOINERS and 0 < index < len(text) - 1:
            before, after = text[index - 1], text[index + 1]
            if not (_invisible(before) or _invisible(after) or before.isspace() or after.isspace()):
                kept.append(char)
    return "".join(kept)


def clean_line(text: str) -> str:
    """A one-line value (a name): every run of spaces and line breaks becomes one space, invisible
    characters go, and the ends are trimmed. Empty when nothing visible was typed."""
    if text.isprintable():  # the usual case, checked in C: nothing invisible, no line break
        return " ".join(text.split())
    spaced = "".join(" " if char in _LINE_BREAKS or char == "\t" else char for char in text)
    return " ".join(_drop_invisible(spaced).split())


# Letters (Unicode category Lo) that render as nothing: the Hangul fillers. Everything else
# blank is already no letter or digit (spaces, braille blank U+2800, marks, selectors).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def has_letter_or_digit(text: str) -> bool:
    """True when `text` holds a visible letter or digit of any script: a name made only of
    blank-rendering characters (Hangul fillers, the braille blank, combining marks alone,
    variation selectors) is no name."""
    return any(
        unicodedata.category(char)[0] in "LN" and char not in _BLANK_LETTERS for char in text
    )


def clean_multiline(text: str) -> str:
    """A multi-line value (a comment, a message): line breaks become \\n, tabs stay, every other
    invisible character goes, and white space at the ends is trimmed. Empty when nothing visible
    was typed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    if lines.replace("\n", "").replace("\t", "").isprintable():  # the usual case, in C
        return lines.strip()
    lines = "".join("\n" if char in _LINE_BREAKS else char for char in lines)
    return _drop_invisible(lines, keep=frozenset("\n\t")).strip()


def is_web_url(value: str) -> bool:
    """An absolute http(s) URL with a host, written without any space, line break or invisible
    character (urlsplit would silently drop some, and a file could not hold them)."""
    # isprintable() is False for every space but " ", every line break and every C* character.
    if " " in value or not value.isprintable():
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def normalise_email(text: str) -> str | None:
    """The one form of an address the inbox stores and hands to the mailing service; None when
    it is not an address.

    NFKC first, so look-alikes such as the Kelvin sign become the letters they imitate; then the
    domain in its ASCII (IDNA) form. A local part that is still not ASCII is refused: Mailchimp
    and most mail systems do not take one. The address keeps the case it was typed in; being
    ASCII, its lower case (our duplicate check, Mailchimp's member hash) is one key everywhere.
    """
    address = unicodedata.normalize("NFKC", text.strip())
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return None
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    address = f"{local}@{domain}"
    if len(address) > MAX_EMAIL_LENGTH or not address.isascii():
        return None
    return address if _EMAIL.fullmatch(address) else None


def looks_like_email(text: str) -> bool:
    """Syntax only (someone@somewhere.tld): whether it reaches anyone is the mailer's business."""
    return normalise_email(text) is not None


def says_yes(text: str) -> bool:
    """True for a ticked checkbox ("on") or a script's yes/true/1."""
    return text.strip().lower() in _YES
