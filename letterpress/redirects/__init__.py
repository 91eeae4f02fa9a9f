"""Old addresses that lead to new pages: the committed table and what a build makes of it."""

from .output import RedirectFiles, Resolved, page_file, relative_href, write_redirects
from .table import TABLE, Redirect, RedirectError, merge, parse_table, read_table

__all__ = [
    "TABLE",
    "Redirect",
    "RedirectError",
    "RedirectFiles",
    "Resolved",
    "merge",
    "page_file",
    "parse_table",
    "read_table",
    "relative_href",
    "write_redirects",
]
