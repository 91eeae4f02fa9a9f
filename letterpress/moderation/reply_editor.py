"""Writing a reply in the author's editor ($VISUAL, else $EDITOR), as git writes a commit message.

The draft shows the comment answered below a scissors line; everything from that line down is
dropped, so Markdown (where "#" means something) is kept exactly as written above it.
"""

import os
import shlex
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .replies import ReplyError

SCISSORS = "# ------------------------ >8 ------------------------"
HELP = (
    "# Write your reply above this line, in Markdown. Everything below it is left out;",
    "# an empty reply writes nothing.",
)


def editor_command(environ: Mapping[str, str] = os.environ) -> list[str] | None:
    """The author's editor as a command, or None when neither variable names one."""
    for name in ("VISUAL", "EDITOR"):
        command = environ.get(name, "").strip()
        if command:
            return shlex.split(command)
    return None


def draft(context: Iterable[str]) -> str:
    """The file the editor opens: room for the reply, then the comment answered, quoted."""
    lines = ["", "", SCISSORS, *HELP, "#"]
    lines += [f"# {line}".rstrip() for text in context for line in text.splitlines() or [""]]
    return "\n".join(lines) + "\n"


def reply_from_draft(text: str) -> str:
    """What the author wrote: the text above the scissors line, without surrounding blank lines."""
    return text.split(SCISSORS, 1)[0].strip("\n").rstrip() + "\n"


def edit_reply(command: list[str], context: Iterable[str]) -> str:
    """Open `command` on a draft and return the reply written (maybe empty); ReplyError when
    the editor cannot be started or exits with an error."""
    with tempfile.TemporaryDirectory(prefix="letterpress-reply-") as folder:
        path = Path(folder) / "REPLY.md"
        path.write_text(draft(context), "utf-8")
        try:
            finished = subprocess.run([*command, str(path)], check=False)
        except OSError as error:
            raise ReplyError(
                f"The editor {shlex.join(command)!r} could not be started ({error}); set EDITOR "
                "or give the reply with --text."
            ) from None
        if finished.returncode != 0:
            raise ReplyError(
                f"The editor {shlex.join(command)!r} exited with status {finished.returncode}: "
                "nothing was written."
            )
        return reply_from_draft(path.read_text("utf-8")).strip()
