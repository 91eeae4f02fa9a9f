"""Moderating from the terminal with the real tasks: review, approve, reject, --remote, --commit;
and no e-mail address or IP reaching content/, output/ or git."""

import os
import sqlite3
import subprocess

import httpx

from letterpress.comments import read_comment
from tests.support import (
    ADMIN_TOKEN,
    copy_content,
    files_holding,
    free_port,
    prepare_inbox,
    run_build,
    run_invoke,
)

JSON = {"Accept": "application/json"}


def invoke(*args, env=None, stdin=""):
    """A moderation task with `env` added to this process's environment; stdin is `stdin`, never
    the terminal, so an interactive review cannot hang the test."""
    return run_invoke(*args, env={**os.environ, **(env or {})}, input=stdin, timeout=120)


def send(inbox, body, parent=None, email="reader@example.org", ip="127.0.0.1", name="A Reader"):
    data = {"essay": "open-essay", "name": name, "email": email, "body": body}
    if parent:
        data["parent"] = parent
    headers = {**JSON, "X-Forwarded-For": ip}
    answer = httpx.post(inbox.url + "/comments", data=data, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def status_of(inbox, comment_id):
    return inbox.rows("SELECT status FROM comments WHERE id = ?", (comment_id,))[0][0]


def local(inbox):
    return {"LETTERPRESS_INBOX_DB": str(inbox.db_path)}


def test_approve_writes_the_comment_file_without_email_or_address(inbox, tmp_path):
    comment_id = send(inbox, "Worth *publishing*.", email="approve-me@example.org")
    result = invoke("comments.approve", comment_id, "--content", str(tmp_path), env=local(inbox))
    assert result.returncode == 0, result.stderr
    path = tmp_path / "comments" / "open-essay" / f"{comment_id}.md"
    assert f"wrote {path}" in result.stdout
    text = path.read_text("utf-8")
    assert "approve-me@example.org" not in text and "127.0.0" not in text
    comment = read_comment(path)
    assert (comment.author, comment.body) == ("A Reader", "Worth *publishing*.\n")
    assert comment.date.utcoffset().total_seconds() == -8 * 3600  # the site's zone in November
    assert status_of(inbox, comment_id) == "approved"


def test_reject_and_spam_write_nothing(inbox, tmp_path):
    rejected, spam = send(inbox, "Not this one."), send(inbox, "Nor this.")
    assert invoke("comments.reject", rejected, env=local(inbox)).returncode == 0
    assert invoke("comments.spam", spam, env=local(inbox)).returncode == 0
    assert (status_of(inbox, rejected), status_of(inbox, spam)) == ("rejected", "spam")
    assert not (tmp_path / "comments").exists()


def test_rejecting_a_published_comment_takes_it_off_the_site_and_replies_keep_their_place(
    inbox, tmp_path
):
    content = copy_content(tmp_path / "content")
    folder = content / "comments" / "open-essay"
    published = send(inbox, "Regretted words.", name="Hasty Writer")
    reply = send(inbox, "A fair answer.", parent=published)
    approved = invoke(
        "comments.approve", f"{published},{reply}", "--content", str(content), env=local(inbox)
    )
    assert approved.returncode == 0, approved.stderr
    for task in ("comments.reject", "comments.spam"):
        result = invoke(task, published, "--content", str(content), env=local(inbox))
        assert result.returncode == 0, result.stderr
    said = invoke("comments.reject", reply, "--content", str(content), env=local(inbox))
    assert "is now a placeholder" in said.stdout and "at the next build" in said.stdout
    text = (folder / f"{published}.md").read_text("utf-8")
    assert "Removed: yes" in text and "Hasty" not in text and "Regretted" not in text
    assert status_of(inbox, published) == "spam"
    again = invoke("comments.approve", f"{published}", "--content", str(content), env=local(inbox))
    assert again.returncode == 0 and "Regretted" in (folder / f"{published}.md").read_text()


def test_several_ids_at_once_and_a_reply_before_its_parent_fails(inbox, tmp_path):
    parent = send(inbox, "A parent.")
    reply = send(inbox, "A reply.", parent=parent)
    early = invoke("comments.approve", reply, "--content", str(tmp_path), env=local(inbox))
    assert early.returncode == 1
    assert f"answers {parent}, which is pending: approve that one first" in early.stderr
    both = invoke(
        "comments.approve", f"{parent},{reply}", "--content", str(tmp_path), env=local(inbox)
    )
    assert both.returncode == 0, both.stderr
    assert read_comment(tmp_path / "comments" / "open-essay" / f"{reply}.md").reply_to == parent


def test_review_asks_about_each_pending_comment(inbox, tmp_path):
    for row in inbox.rows("SELECT id FROM comments WHERE status = 'pending'"):
        invoke("comments.reject", row["id"], env=local(inbox))
    ids = [
        send(inbox, "Approve me."),
        send(inbox, "Reject me."),
        send(inbox, "[bold red]Spam[/] me."),
        send(inbox, "Skip me."),
    ]
    result = invoke(
        "comments.review", "--content", str(tmp_path), env=local(inbox), stdin="a\nr\ns\nk\n"
    )
    assert result.returncode == 0, result.stderr
    assert [status_of(inbox, i) for i in ids] == ["approved", "rejected", "spam", "pending"]
    assert "[bold red]Spam[/] me." in result.stdout  # shown literally, not as rich markup
    assert "reader@example.org" in result.stdout  # the author sees who wrote
    assert [p.stem for p in (tmp_path / "comments" / "open-essay").iterdir()] == [ids[0]]


def test_remote_moderation_uses_the_token_from_the_environment(inbox, tmp_path):
    comment_id = send(inbox, "Approved from afar.")
    args = ["comments.approve", comment_id, "--remote", inbox.url, "--content", str(tmp_path)]
    wrong = invoke(*args, env={"LETTERPRESS_ADMIN_TOKEN": "not-the-token"})
    assert wrong.returncode == 1 and "401" in wrong.stderr
    assert status_of(inbox, comment_id) == "pending"
    right = invoke(*args, env={"LETTERPRESS_ADMIN_TOKEN": ADMIN_TOKEN})
    assert right.returncode == 0, right.stderr
    assert (tmp_path / "comments" / "open-essay" / f"{comment_id}.md").exists()
    assert status_of(inbox, comment_id) == "approved"


def test_a_remote_inbox_that_cannot_be_read_is_a_clear_error(inbox):
    wrong = invoke("comments.review", "--remote", inbox.url, env={"LETTERPRESS_ADMIN_TOKEN": "x"})
    assert wrong.returncode == 1
    assert f"{inbox.url}/comments/pending: 401" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    nowhere = f"http://127.0.0.1:{free_port()}"
    gone = invoke("comments.review", "--remote", nowhere, env={"LETTERPRESS_ADMIN_TOKEN": "x"})
    assert gone.returncode == 1
    assert f"{nowhere}/comments/pending: the inbox could not be reached" in gone.stderr


def test_a_missing_database_is_a_clear_error(tmp_path):
    result = invoke("comments.review", env={"LETTERPRESS_INBOX_DB": str(tmp_path / "none.sqlite3")})
    assert result.returncode == 1
    assert "No inbox database at" in result.stderr
    assert "none.sqlite3" in result.stderr


def test_emails_and_ips_reach_no_file_in_content_output_or_git(site, tmp_path):
    """Pending and approved comments, approved with --commit, then a build: the commenters'
    addresses and IPs appear nowhere but the inbox database."""
    repo = tmp_path / "repo"
    content = copy_content(repo / "content")
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "init", "--quiet"], check=True)
    subprocess.run([*git, "add", "content"], check=True)
    subprocess.run([*git, "commit", "--quiet", "-m", "Sample"], check=True)
    inbox = prepare_inbox(
        tmp_path / "inbox",
        env={"LETTERPRESS_COMMENT_RATE": "0"},
        manifest_path=site.output / "letterpress.json",
    ).start()
    secrets = ["approved-7f2a@mail.example", "pending-91cd@mail.example", "203.0.113.58"]
    secrets += ["198.51.100.201"]
    try:
        data = {"essay": "generative-not-competitive", "name": "Priya Shah"}
        first = httpx.post(
            inbox.url + "/comments",
            data={**data, "email": secrets[0], "body": "Published, privately sent."},
            headers={**JSON, "X-Forwarded-For": secrets[2]},
        ).json()["id"]
        httpx.post(
            inbox.url + "/comments",
            data={**data, "email": secrets[1], "body": "Still waiting.", "parent": first},
            headers={**JSON, "X-Forwarded-For": secrets[3]},
        ).raise_for_status()
        approve = invoke(
            "comments.approve", first, "--content", str(content), "--commit", env=local(inbox)
        )
        assert approve.returncode == 0, approve.stderr
    finally:
        inbox.stop()
    log = subprocess.run([*git, "log", "--format=%s"], capture_output=True, text=True).stdout
    assert log.startswith("Publish 1 approved comment: Priya Shah on generative-not-competitive")
    build = run_build(content, tmp_path / "output", tmp_path / "build")
    assert build.returncode == 0, build.stdout + build.stderr
    page = (tmp_path / "output/essays/2026/09/generative-not-competitive/index.html").read_text()
    assert "Published, privately sent." in page and "Still waiting." not in page

    objects = subprocess.run(
        [*git, "cat-file", "--batch-all-objects", "--batch"], capture_output=True, check=True
    ).stdout
    assert b"Published, privately sent." in objects  # the search does see committed comments
    for secret in secrets:
        assert secret.encode() not in objects, secret
        assert files_holding(secret, content, tmp_path / "output") == [], secret
    assert secrets[0].encode() in inbox.db_path.read_bytes()  # kept where it belongs


def stored_before_the_checks(inbox, url: str) -> str:
    """A pending comment whose website no comment file can hold, as an older inbox let in."""
    comment_id = f"20261126-1200-{len(url) % 10}bad"
    connection = sqlite3.connect(inbox.db_path)
    with connection:
        connection.execute(
            "INSERT INTO comments (id, essay, author, email, url, body, created, created_ts,"
            " client, fingerprint) VALUES (?, 'open-essay', 'Old Inbox', 'old@example.org', ?,"
            " 'Let in before the checks.', '2026-11-26T12:00:00+00:00', 0, '127.0.0.0/24', ?)",
            (comment_id, url, comment_id),
        )
    connection.close()
    return comment_id


def test_an_unpublishable_comment_stays_pending_and_the_review_goes_on(inbox, tmp_path):
    for row in inbox.rows("SELECT id FROM comments WHERE status = 'pending'"):
        invoke("comments.reject", row["id"], env=local(inbox))
    bad = stored_before_the_checks(inbox, "https://example.org/\rRole:author")
    good = send(inbox, "Publishable.")
    args = ("--content", str(tmp_path))
    review = invoke("comments.review", *args, env=local(inbox), stdin="a\na\n")
    assert review.returncode == 0, review.stderr
    assert "Traceback" not in review.stderr
    assert f"Not done: comment {bad} on open-essay: Url" in review.stdout.replace("\n", " ")
    assert (status_of(inbox, bad), status_of(inbox, good)) == ("pending", "approved")
    assert [p.stem for p in (tmp_path / "comments" / "open-essay").iterdir()] == [good]
    approve = invoke("comments.approve", bad, *args, env=local(inbox))
    assert approve.returncode == 1
    assert "is not an http:// or https:// address" in approve.stderr
    assert status_of(inbox, bad) == "pending"
