"""The interactive moderation queue of `invoke comments.review`, drawn with rich."""

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.prompt import Prompt
from rich.table import Table
from rich.text import Text

from letterpress.errors import LetterpressError

from .publishing import approve_and_publish

CHOICES = {"a": "approve", "r": "reject", "s": "spam", "k": "skip", "q": "quit"}
PROMPT = escape("[a]pprove  [r]eject  [s]pam  s[k]ip  [q]uit")


def comment_panel(comment: dict, number: int, total: int) -> Panel:
    """One pending comment. Every value is Text, so nothing a commenter typed is read as markup."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    rows = [
        ("Essay", comment["essay"]),
        ("Replying to", comment["parent"] or "the essay"),
        ("Name", comment["author"]),
        ("E-mail", comment["email"]),
        ("Website", comment["url"] or "—"),
        ("Sent", comment["created"]),
    ]
    for label, value in rows:
        facts.add_row(label, Text(str(value)))
    body = Table.grid()
    body.add_row(facts)
    body.add_row(Text(""))
    body.add_row(Text(comment["body"]))
    return Panel(body, title=Text(f"{number}/{total}  {comment['id']}"), title_align="left")


def review_queue(
    inbox, content_dir: Path, timezone: str, console: Console | None = None
) -> tuple[list[dict], list[Path]]:
    """Ask about each pending comment, oldest first; return the approved ones and their files.

    A comment that cannot be decided (its file cannot be written, the inbox refuses) is reported
    with the reason and left pending, and the queue goes on to the next.
    """
    console = console or Console()
    pending = inbox.pending()
    if not pending:
        console.print("No comments are waiting for moderation.")
        return [], []
    approved, written = [], []
    for number, comment in enumerate(pending, start=1):
        console.print(comment_panel(comment, number, len(pending)))
        choice = CHOICES[
            Prompt.ask(
                PROMPT, choices=list(CHOICES), default="k", console=console, show_choices=False
            )
        ]
        if choice == "quit":
            break
        if choice == "skip":
            continue
        try:
            if choice == "approve":
                decided, path = approve_and_publish(inbox, comment["id"], content_dir, timezone)
                written.append(path)
                approved.append(decided)
                console.print(Text(f"Approved: wrote {path}", style="green"))
            else:
                decided = inbox.decide(comment["id"], choice)
                console.print(Text(f"{decided['status'].capitalize()}.", style="yellow"))
        except (LetterpressError, OSError) as error:
            console.print(Text(f"Not done: {error}", style="red"))
    console.print(f"{len(approved)} approved; rebuild the site to publish them.")
    return approved, written
