"""Small text measures shared by the theme, the feeds and the newsletter."""

import functools
import math
import re

WORDS_PER_MINUTE = 230
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def word_count(html: str) -> int:
    """Count the words a reader sees in an HTML fragment (tags are not words)."""
    return len(_WORD.findall(_TAG.sub(" ", html)))


# Listings ask for an essay's reading time on every page that shows it (home, archives,
# categories, tags, newsletter issues): counting once per essay saves a tenth of a large build.
@functools.lru_cache(maxsize=2048)
def reading_minutes(html: str, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Minutes an average reader needs for an HTML fragment; at least one."""
    return max(1, math.ceil(word_count(html) / words_per_minute))
