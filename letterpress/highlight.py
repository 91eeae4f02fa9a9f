"""Code blocks highlighted with one Pygments formatter per set of options, not one per block.

Python-Markdown's codehilite makes a new `HtmlFormatter` for every fenced block, and each one
builds its whole stylesheet (a rule for every token type of the style) before formatting a few
lines: about 0.6 ms a block, a seventh of an essay's Markdown time on the benchmark corpus. A
formatter keeps nothing between `format()` calls, so blocks with the same options can share one.

`shared_html_formatter` is handed to codehilite as its `pygments_formatter` (pelicanconf.py's
MARKDOWN setting); it gives the same HTML as codehilite's default, which ignores `lang_str`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pygments.formatters.html import HtmlFormatter

# Options are hashed to find a formatter; lists (hl_lines) become tuples for that.
FrozenOptions = tuple[tuple[str, object], ...]


def _frozen(options: dict[str, object]) -> FrozenOptions:
    return tuple(
        (name, tuple(value) if isinstance(value, list) else value)
        for name, value in sorted(options.items())
    )


# A memo of formatters, each as immutable in use as a compiled regular expression: nothing to
# reset between builds. Bounded, for a site whose blocks highlight many different lines.
@lru_cache(maxsize=128)
def _formatter(options: FrozenOptions) -> HtmlFormatter[str]:
    keywords: dict[str, Any] = dict(options)
    return HtmlFormatter(**keywords)


def shared_html_formatter(lang_str: str = "", **options: object) -> HtmlFormatter[str]:
    """The HTML formatter for these codehilite options, made once and reused.

    `lang_str` is accepted because codehilite passes it to a formatter given as a callable, and
    dropped because its default formatter (`get_formatter_by_name("html", **options)`) never
    sees it: the output stays byte for byte what it was.
    """
    return _formatter(_frozen(options))
