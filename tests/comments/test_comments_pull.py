"""Approved comments go live without the author's laptop: approval through the API marks a
comment approved in the inbox, and `invoke comments.pull` writes the file of every approved
comment the content folder lacks, parents before replies, never a file twice; the content then
builds with the pulled files. Against the real inbox over HTTP and its real database file."""

import os
import shutil

import httpx
import pytest

from letterpress.comments import read_comment
from letterpress.moderation.pull import writing_order
from tests.support import ADMIN_TOKEN, ROOT, prepare_inbox, run_build, run_invoke

ESSAY = "generative-not-competitive"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Accept": "application/json"}


def record(comment_id, parent=None, essay=ESSAY):
    return {"id": comment_id, "essay": essay, "parent": parent}


def test_replies_come_after_their_parents_whatever_order_they_are_listed_in():
    listed = [record("c3", parent="c2"), record("c2", parent="c1"), record("c1"), record("x")]
    order, there, held = writing_order(listed, lambda essay, i: False)
    ids = [r["id"] for r in order]
    assert ids.index("c1") < ids.index("c2") < ids.index("c3")
    assert (there, held) == ([], [])


def test_a_file_already_there_is_not_written_and_a_reply_to_nothing_is_held_back():
    listed = [record("old"), record("reply", parent="old"), record("orphan", parent="gone")]
    present = {(ESSAY, "old")}
    order, there, held = writing_order(listed, lambda essay, i: (essay, i) in present)
    assert [r["id"] for r in order] == ["reply"]
    assert [r["id"] for r in there] == ["old"]
    [(orphan, why)] = held
    assert orphan["id"] == "orphan"
    assert f"answers gone, which is neither in content/comments/{ESSAY}/" in why


@pytest.fixture
def live(site, tmp_path):
    """The real inbox reading the sample site's manifest, and a copy of the content to pull
    into."""
    inbox = prepare_inbox(
        tmp_path / "inbox",
        env={"LETTERPRESS_COMMENT_RATE": "0"},
        manifest_path=site.output / "letterpress.json",
    ).start()
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    yield inbox, content
    inbox.stop()


def post(inbox, body, parent=None, name="Rae Okoro"):
    data = {"essay": ESSAY, "name": name, "email": "rae@example.org", "body": body}
    if parent:
        data["parent"] = parent
    answer = httpx.post(inbox.url + "/comments", data=data, headers={"Accept": "application/json"})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def approve(inbox, comment_id):
    answer = httpx.post(f"{inbox.url}/comments/{comment_id}/approve", headers=ADMIN)
    assert answer.status_code == 200, answer.text


def pull(content, *args, env=None):
    environment = {**os.environ, "LETTERPRESS_ADMIN_TOKEN": ADMIN_TOKEN, **(env or {})}
    return run_invoke("comments.pull", "--content", str(content), *args, env=environment)


def test_pull_writes_each_approved_comment_once_parents_first_and_the_site_builds(live, tmp_path):
    inbox, content = live
    parent = post(inbox, "The parent, approved from a phone.")
    reply = post(inbox, "A reply to it, *approved* as well.", parent=parent, name="Sam Iwu")
    waiting = post(inbox, "Still waiting for the author.")
    approve(inbox, parent)
    approve(inbox, reply)

    listed = httpx.get(inbox.url + "/approved-comments", headers=ADMIN).json()["comments"]
    assert sorted(c["id"] for c in listed) == sorted([parent, reply])
    assert all("email" not in c for c in listed)  # what a file needs, and no more

    first = pull(content, "--remote", inbox.url)
    assert first.returncode == 0, first.stderr
    folder = content / "comments" / ESSAY
    assert first.stdout.index(f"{parent}.md") < first.stdout.index(f"{reply}.md")
    assert "Wrote 2 comment files" in first.stdout
    written = read_comment(folder / f"{reply}.md")
    assert (written.author, written.reply_to) == ("Sam Iwu", parent)
    assert "rae@example.org" not in (folder / f"{reply}.md").read_text("utf-8")
    assert not (folder / f"{waiting}.md").exists()
    stamps = {p: p.stat().st_mtime_ns for p in folder.iterdir()}

    again = pull(content, "--remote", inbox.url)
    assert again.returncode == 0, again.stderr
    assert "Wrote 0 comment files; 2 already in the content folder." in again.stdout
    assert {p: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps  # nothing rewritten

    # The inbox knows the files exist: the approval can no longer be taken back from it.
    marks = httpx.get(inbox.url + "/approved-comments", headers=ADMIN).json()["comments"]
    assert all(c["written"] for c in marks)
    refused = httpx.post(f"{inbox.url}/approved-comments/{reply}/take-back", headers=ADMIN)
    assert refused.status_code == 409
    assert "delete its file from content/comments/" in refused.json()["error"]

    built = run_build(content, tmp_path / "output", tmp_path / "build")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (tmp_path / "output/essays/2026/09" / ESSAY / "index.html").read_text("utf-8")
    assert "The parent, approved from a phone." in page
    assert "<em>approved</em> as well." in page
    assert "Still waiting for the author." not in page


def test_pull_from_the_local_database_and_a_take_back_before_it(live):
    inbox, content = live
    kept, taken_back = post(inbox, "Kept."), post(inbox, "Taken back.")
    approve(inbox, kept)
    approve(inbox, taken_back)
    answer = httpx.post(f"{inbox.url}/approved-comments/{taken_back}/take-back", headers=ADMIN)
    assert answer.json() == {"id": taken_back, "status": "pending"}

    local = {"LETTERPRESS_INBOX_DB": str(inbox.db_path)}
    result = pull(content, env=local)
    assert result.returncode == 0, result.stderr
    names = sorted(p.stem for p in (content / "comments" / ESSAY).iterdir())
    assert kept in names and taken_back not in names
    assert "Wrote 1 comment file;" in result.stdout
    [row] = inbox.rows("SELECT written FROM comment_files WHERE id = ?", (kept,))
    assert row["written"]


def test_approve_from_the_terminal_then_pull_never_writes_the_file_twice(live):
    inbox, content = live
    comment_id = post(inbox, "Approved at the laptop.")
    env = {**os.environ, "LETTERPRESS_INBOX_DB": str(inbox.db_path)}
    approved = run_invoke("comments.approve", comment_id, "--content", str(content), env=env)
    assert approved.returncode == 0, approved.stderr
    path = content / "comments" / ESSAY / f"{comment_id}.md"
    stamp = path.stat().st_mtime_ns
    again = run_invoke("comments.approve", comment_id, "--content", str(content), env=env)
    assert again.returncode == 0, again.stderr
    assert path.stat().st_mtime_ns == stamp  # approving again does not write it again
    [marked] = inbox.rows("SELECT written FROM comment_files WHERE id = ?", (comment_id,))
    assert marked["written"]  # the page shows its file as written, with no take-back
    path.write_text(path.read_text("utf-8").replace("laptop.", "laptop (edited)."), "utf-8")
    result = pull(content, "--remote", inbox.url)
    assert result.returncode == 0, result.stderr
    assert "Wrote 0 comment files; 1 already in the content folder." in result.stdout
    assert "(edited)" in path.read_text("utf-8")  # the author's edit is kept


def test_a_pull_that_cannot_reach_the_inbox_writes_nothing_and_says_why(tmp_path):
    inbox = prepare_inbox(tmp_path / "never-started")
    result = pull(tmp_path / "content", "--remote", inbox.url)
    assert result.returncode == 1
    assert f"Nothing written: {inbox.url}/approved-comments: the inbox could not be reached" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "content").exists()
