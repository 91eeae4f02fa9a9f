"""Comments: the file format, threads, and safe rendering of what commenters write."""

from .model import (
    Comment,
    CommentError,
    comment_path,
    comments_open,
    format_comment,
    is_comment_id,
    is_web_url,
    parse_comment,
    read_comment,
    removed,
    write_comment,
)
from .render import LINK_REL, clean_text, render_markdown
from .thread import (
    MAX_DEPTH,
    ThreadEntry,
    build_thread,
    check_comments,
    comment_files,
    essay_comment_fields,
    read_comments,
)

__all__ = [
    "LINK_REL",
    "MAX_DEPTH",
    "Comment",
    "CommentError",
    "ThreadEntry",
    "build_thread",
    "check_comments",
    "clean_text",
    "comment_files",
    "comment_path",
    "comments_open",
    "essay_comment_fields",
    "format_comment",
    "is_comment_id",
    "is_web_url",
    "parse_comment",
    "read_comment",
    "read_comments",
    "removed",
    "render_markdown",
    "write_comment",
]
