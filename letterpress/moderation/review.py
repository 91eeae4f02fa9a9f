"""The interactive moderation queue of `invoke comments.review`, drawn with rich, and the
author's reply to one comment (`invoke comments.reply`), which the queue offers too."""

from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.prompt import Prompt
from rich.table import Table
from rich.text import Text

from letterpress.clock import Clock
from letterpress.errors import LetterpressError

from .publishing import approve_and_publish
from .replies import Answered, Published, answers_what, from_inbox, publish_reply, shown_time
from .reply_editor import edit_reply

CHOICES = {"a": "approve", "y": "reply", "r": "reject", "s": "spam", "k": "skip", "q": "quit"}
PROMPT = escape("[a]pprove  repl[y] as author  [r]eject  [s]pam  s[k]ip  [q]uit")
TEXT_PROMPT = "Your reply, one paragraph (set EDITOR to write more; empty: no reply)"


@dataclass(frozen=True)
class Replier:
    """Who answers and how: the author's name (AUTHOR), the site's time zone, the clock the
    reply's date comes from, and the editor to write in (None: one line at the prompt)."""

    author: str
    timezone: str
    clock: Clock = field(repr=False)
    editor: list[str] | None = None


def comment_panel(comment: Answered, answers: str, title: str, timezone: str, row=None) -> Panel:
    """One comment: who wrote it, when (in the site's zone), what it answers, and its text.
    `row`, the inbox's record, adds the e-mail address and website the author alone sees.
    Every value is Text, so nothing a commenter typed is read as markup."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    rows = [("Essay", comment.essay), ("Replying to", answers), ("Name", comment.author)]
    if row is not None:
        rows += [("E-mail", row["email"]), ("Website", row["url"] or "—")]
    rows.append(("Sent", shown_time(comment.date, timezone)))
    for label, value in rows:
        facts.add_row(label, Text(str(value)))
    body = Table.grid()
    body.add_row(facts)
    body.add_row(Text(""))
    body.add_row(Text(comment.body))
    return Panel(body, title=Text(title), title_align="left")


def reply_context(comment: Answered, timezone: str) -> list[str]:
    """The comment answered, as the editor's draft quotes it."""
    return [f"{comment.author} wrote on {shown_time(comment.date, timezone)}:", "", comment.body]


def ask_reply_text(comment: Answered, replier: Replier, console: Console) -> str:
    """The reply, from the author's editor, else typed at the prompt."""
    if replier.editor:
        return edit_reply(replier.editor, reply_context(comment, replier.timezone))
    return Prompt.ask(TEXT_PROMPT, default="", show_default=False, console=console).strip()


def reply_to(
    inbox,
    content_dir: Path,
    comment: Answered,
    replier: Replier,
    console: Console,
    text: str | None = None,
) -> Published | None:
    """Write the author's reply to `comment` (approving it first when it waits in the inbox);
    `text` None asks for it. None when the author wrote nothing."""
    if text is None:
        text = ask_reply_text(comment, replier, console)
    if not text.strip():
        console.print("No reply written.")
        return None
    done = publish_reply(
        inbox, content_dir, comment, replier.author, text, replier.timezone, replier.clock()
    )
    if done.approved_parent:
        console.print(Text(f"Approved {comment.author}'s comment: wrote {done.paths[0]}", "green"))
    console.print(Text(f"Replied as {replier.author}: wrote {done.paths[-1]}", style="green"))
    if done.notice:
        console.print(done.notice)
    return done


def review_queue(
    inbox, content_dir: Path, replier: Replier, console: Console | None = None
) -> tuple[list[dict], list[Path]]:
    """Ask about each pending comment, oldest first; return what was published (approved
    comments and the author's replies, as {"author", "essay"}) and the files written.

    A comment that cannot be decided (its file cannot be written, the inbox refuses) is reported
    with the reason and left pending, and the queue goes on to the next.
    """
    console = console or Console()
    pending = inbox.pending()
    if not pending:
        console.print("No comments are waiting for moderation.")
        return [], []
    timezone = replier.timezone
    published, written = [], []
    for number, row in enumerate(pending, start=1):
        comment = from_inbox(row, timezone)
        answers = answers_what(inbox, content_dir, comment, timezone)
        title = f"{number}/{len(pending)}  {comment.author} on {comment.essay}"
        console.print(comment_panel(comment, answers, title, timezone, row))
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
                decided, path = approve_and_publish(inbox, comment.id, content_dir, timezone)
                written.append(path)
                published.append(decided)
                console.print(Text(f"Approved: wrote {path}", style="green"))
            elif choice == "reply":
                done = reply_to(inbox, content_dir, comment, replier, console)
                if done is not None:
                    written += done.paths
                    if done.approved_parent:
                        published.append({"author": comment.author, "essay": comment.essay})
                    published.append({"author": replier.author, "essay": comment.essay})
            else:
                decided = inbox.decide(comment.id, choice)
                console.print(Text(f"{decided['status'].capitalize()}.", style="yellow"))
        except (LetterpressError, OSError) as error:
            console.print(Text(f"Not done: {error}", style="red"))
    count = len(published)
    console.print(f"{count} published; rebuild the site to show {'it' if count == 1 else 'them'}.")
    return published, written
