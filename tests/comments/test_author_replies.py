"""The author answers a comment from the terminal: `comments.reply ID` and "reply as author" in
`comments.review`, locally and with --remote, against the real inbox. The reply is a comment
file with Id, Reply-To, Role: author, the author's name from AUTHOR and the date in the site's
zone; a comment still waiting is approved (and its file written) first."""

import datetime as dt
import os
import shlex
import subprocess
from zoneinfo import ZoneInfo

from letterpress.comments import read_comment
from letterpress.moderation.replies import excerpt
from letterpress.moderation.reply_editor import SCISSORS, draft, reply_from_draft
from tests.comments.test_moderation_tasks import invoke, local, send, status_of
from tests.support import ADMIN_TOKEN, copy_content

AUTHOR = "Miriam Okafor"  # AUTHOR in pelicanconf.py
ZONE = ZoneInfo("America/Los_Angeles")  # TIMEZONE in pelicanconf.py
PUBLISHED = ("generative-not-competitive", "20260917-0720-x1sg")  # a sample comment by Tomás
NO_EDITOR = {"EDITOR": "", "VISUAL": ""}


def replies_in(content, essay="open-essay"):
    folder = content / "comments" / essay
    comments = [read_comment(p) for p in folder.glob("*.md")] if folder.is_dir() else []
    return [c for c in comments if c.role == "author"]


def the_reply(content, parent, essay="open-essay"):
    (reply,) = [c for c in replies_in(content, essay) if c.reply_to == parent]
    return reply


def assert_written_as_author(reply, parent, body):
    assert (reply.author, reply.reply_to, reply.role, reply.body) == (
        AUTHOR,
        parent,
        "author",
        body,
    )
    assert reply.source.name == f"{reply.id}.md"
    expected = dt.datetime.now(ZONE).utcoffset()
    assert reply.date.utcoffset() == expected  # the site's zone, not UTC
    text = reply.source.read_text("utf-8")
    assert f"Reply-To: {parent}\n" in text and "Role: author\n" in text


def test_reply_approves_a_waiting_comment_first_then_writes_the_reply(inbox, tmp_path):
    parent = send(inbox, "Does this hold for remote teams?", name="Ada Reader")
    result = invoke(
        "comments.reply",
        parent,
        "--text",
        "It does, *with* care.",
        "--content",
        str(tmp_path),
        env={**local(inbox), **NO_EDITOR},
    )
    assert result.returncode == 0, result.stderr
    assert status_of(inbox, parent) == "approved"
    parent_file = tmp_path / "comments" / "open-essay" / f"{parent}.md"
    assert read_comment(parent_file).body == "Does this hold for remote teams?\n"
    reply = the_reply(tmp_path, parent)
    assert_written_as_author(reply, parent, "It does, *with* care.\n")
    assert reply.date >= read_comment(parent_file).date
    # What the author was shown: who wrote, when in the site's zone, and the text.
    assert "Ada Reader" in result.stdout and "Does this hold for remote teams?" in result.stdout
    assert " PST" in result.stdout or " PDT" in result.stdout
    assert f"Replied as {AUTHOR}" in result.stdout


def test_reply_to_a_published_comment_reads_it_from_the_content_folder(inbox, tmp_path):
    content = copy_content(tmp_path / "content")
    essay, parent = PUBLISHED
    result = invoke(
        "comments.reply",
        parent,
        "--text",
        "Glad it worked, Tomás.",
        "--content",
        str(content),
        env={**local(inbox), **NO_EDITOR},
    )
    assert result.returncode == 0, result.stderr
    assert_written_as_author(the_reply(content, parent, essay), parent, "Glad it worked, Tomás.\n")
    assert "Tomás Ferreira" in result.stdout


def test_reply_with_remote_approves_through_the_api_and_writes_locally(inbox, tmp_path):
    parent = send(inbox, "Asked from far away.", name="Remote Reader")
    args = ["comments.reply", parent, "--remote", inbox.url, "--content", str(tmp_path)]
    wrong = invoke(*args, "--text", "Hello.", env={"LETTERPRESS_ADMIN_TOKEN": "wrong"})
    assert wrong.returncode == 1 and "401" in wrong.stderr
    assert status_of(inbox, parent) == "pending" and not (tmp_path / "comments").exists()
    right = invoke(
        *args, "--text", "Answered from here.", env={"LETTERPRESS_ADMIN_TOKEN": ADMIN_TOKEN}
    )
    assert right.returncode == 0, right.stderr
    assert status_of(inbox, parent) == "approved"
    assert (tmp_path / "comments" / "open-essay" / f"{parent}.md").exists()
    assert_written_as_author(the_reply(tmp_path, parent), parent, "Answered from here.\n")


def test_a_rejected_or_unknown_comment_gets_no_reply(inbox, tmp_path):
    rejected = send(inbox, "Rude words.")
    assert invoke("comments.reject", rejected, env=local(inbox)).returncode == 0
    env = {**local(inbox), **NO_EDITOR}
    args = ["--text", "No.", "--content", str(tmp_path)]
    refused = invoke("comments.reply", rejected, *args, env=env)
    assert refused.returncode == 1
    assert f"Comment {rejected} is rejected" in refused.stderr
    unknown = invoke("comments.reply", "20200101-0000-none", *args, env=env)
    assert unknown.returncode == 1
    assert "There is no comment 20200101-0000-none in the inbox" in unknown.stderr
    assert not (tmp_path / "comments").exists()


def test_review_offers_reply_as_author_and_shows_what_a_reply_answers(inbox, tmp_path):
    for row in inbox.rows("SELECT id FROM comments WHERE status = 'pending'"):
        invoke("comments.reject", row["id"], env=local(inbox))
    parent = send(inbox, "A first thought about slack, and a second one about rest.", name="Bo")
    answer = send(inbox, "I disagree with Bo.", parent=parent, name="Cy")
    # Bo's comment: reply as author (typed at the prompt); Cy's: approve.
    result = invoke(
        "comments.review",
        "--content",
        str(tmp_path),
        env={**local(inbox), **NO_EDITOR, "COLUMNS": "250"},  # one panel row on one line
        stdin="y\nThank you, Bo.\na\n",
    )
    assert result.returncode == 0, result.stderr
    assert (status_of(inbox, parent), status_of(inbox, answer)) == ("approved", "approved")
    assert_written_as_author(the_reply(tmp_path, parent), parent, "Thank you, Bo.\n")
    shown = " ".join(result.stdout.split())
    assert "Replying to Bo, " in shown and "“A first thought about slack" in shown
    assert parent not in shown.split("Replying to", 2)[2].split("Name")[0]  # a name, not an Id
    assert "3 published" in shown


def test_reply_is_written_in_the_editor_and_commit_commits_both_files(inbox, tmp_path):
    repo = tmp_path / "repo"
    content = repo / "content"
    content.mkdir(parents=True)
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "init", "--quiet"], check=True)
    subprocess.run([*git, "commit", "--quiet", "--allow-empty", "-m", "Start"], check=True)
    parent = send(inbox, "Written to be answered in an editor.", name="Dee")
    # An "editor" that writes the reply above the draft it was given.
    script = 'f="$1"; { printf "From the *editor*.\\n"; cat "$f"; } > "$f.new"; mv "$f.new" "$f"'
    editor = shlex.join(["sh", "-c", script, "editor"])
    result = invoke(
        "comments.reply",
        parent,
        "--content",
        str(content),
        "--commit",
        env={**local(inbox), "VISUAL": "", "EDITOR": editor},
    )
    assert result.returncode == 0, result.stderr
    reply = the_reply(content, parent)
    assert reply.body == "From the *editor*.\n"  # the quoted comment below the scissors is gone
    log = subprocess.run(
        [*git, "log", "-1", "--format=%s", "--name-only"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert log.startswith(f"Publish {AUTHOR}'s reply to Dee on open-essay")
    assert f"content/comments/open-essay/{parent}.md" in log
    assert f"content/comments/open-essay/{reply.id}.md" in log


def test_an_empty_reply_writes_nothing(inbox, tmp_path):
    parent = send(inbox, "Left unanswered.")
    result = invoke(
        "comments.reply",
        parent,
        "--content",
        str(tmp_path),
        env={**local(inbox), **NO_EDITOR},
        stdin="\n",
    )
    assert result.returncode == 0, result.stderr
    assert "No reply written." in result.stdout
    assert status_of(inbox, parent) == "pending" and not (tmp_path / "comments").exists()


def test_the_draft_keeps_markdown_above_the_scissors_and_drops_the_quote():
    text = "# Not a comment: a heading\n\n> quoted\n" + draft(["Bo wrote:", "", "Hello"])
    assert SCISSORS in text and "# Bo wrote:" in text
    assert reply_from_draft(text) == "# Not a comment: a heading\n\n> quoted\n"
    assert excerpt("one  two\nthree four", 3) == "one two three…"


def test_help_names_the_reply_task():
    result = invoke("comments.reply", "--help", env=dict(os.environ))
    assert result.returncode == 0 and "--text" in result.stdout and "--remote" in result.stdout
