"""Forget means gone: after `people.forget --remove-comments`, the address, the name and every
free text the person gave are in no byte of the database, its WAL and journal, the outbox, the
queue, the inbox's log, content/, output/ and the git history the forget wrote. A reply to their
comment, approved afterwards, still builds, under a "removed" placeholder.

Real inbox (its own sender writing the author's notices to the outbox), real tasks, a git
repository of the content, a real Pelican build."""

import json
import os
import subprocess
import time
from pathlib import Path

import httpx

from letterpress.manifest import EssayEntry
from tests.support import ADMIN_TOKEN, copy_content, run_build, run_invoke
from tests.workshops.workshop_helpers import confirm_link, manifest_entry

JSON = {"Accept": "application/json"}
ADMIN = {**JSON, "Authorization": f"Bearer {ADMIN_TOKEN}"}
EMAIL = "Zed.Quill@Example.org"
NAME = "Zed Quillfeather"
FREE_TEXT = ("Zed is diabetic", "wheelchair access", "allergic to nuts")
NEEDLES = (EMAIL, EMAIL.lower(), NAME, *FREE_TEXT)


def git(content: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(content), *args], check=True, capture_output=True, text=True
    ).stdout


def traces(*roots: Path) -> list[str]:
    """Every file under `roots` holding one of NEEDLES (any case), as 'path: needle'."""
    found = []
    for root in roots:
        paths = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for path in paths:
            if ".git" in path.parts:
                continue
            data = path.read_bytes().lower()
            found += [f"{path}: {n}" for n in NEEDLES if n.lower().encode() in data]
    return found


def wait_for_files(folder: Path, count: int, timeout: float = 15.0) -> list[Path]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(folder.glob("*.eml")) if folder.is_dir() else []
        if len(files) >= count:
            return files
        time.sleep(0.1)
    raise AssertionError(f"{folder}: expected {count} e-mail files")


def test_forget_leaves_no_byte_of_the_person_and_the_thread_still_builds(start_inbox, tmp_path):
    content = copy_content(tmp_path / "content")
    git(content, "init", "--quiet")
    git(content, "add", "-A")
    git(content, "commit", "--quiet", "-m", "The sample content")
    essay = sorted(path.name for path in (content / "comments").iterdir() if path.is_dir())[0]
    inbox = start_inbox(
        essays=(EssayEntry(essay, "An Essay", f"essays/{essay}/", True, ()),),
        workshops={"the-arc": manifest_entry("The Arc", "open")},
        env={
            "LETTERPRESS_AUTHOR_EMAIL": "author@letterpress.example",
            "LETTERPRESS_NOTIFY_DELAY": "0",
            "LETTERPRESS_COMMENT_RATE": "0",
            "LETTERPRESS_REGISTRATION_RATE": "0",
        },
    )
    build = Path(inbox.env["LETTERPRESS_BUILD_DIR"])
    env = {
        **os.environ,
        "LETTERPRESS_INBOX_DB": str(inbox.db_path),
        "LETTERPRESS_SITE_MANIFEST": str(inbox.manifest_path),
        "LETTERPRESS_BUILD_DIR": str(build),
        "LETTERPRESS_ADMIN_TOKEN": ADMIN_TOKEN,
    }

    def comment(**fields) -> str:
        answer = httpx.post(inbox.url + "/comments", data={"essay": essay, **fields}, headers=JSON)
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]

    zeds = comment(
        name=NAME, email=EMAIL, body=f"{FREE_TEXT[0]}, so lunch matters.", notify_replies="on"
    )
    approved = run_invoke("comments.approve", zeds, "--content", str(content), "--commit", env=env)
    assert approved.returncode == 0, approved.stderr
    reply = comment(name="Rae", email="rae@example.org", body="Same here.", parent=zeds)
    register = inbox.url + "/workshops/the-arc/registrations"
    person = {"name": NAME, "email": EMAIL, "seats": "1"}
    first = httpx.post(register, data={**person, "message": FREE_TEXT[1]}, headers=JSON)
    assert first.status_code == 201, first.text
    assert httpx.post(confirm_link(inbox, EMAIL)).status_code == 200
    cancel = httpx.post(register + "/cancel", data={"email": EMAIL}, headers=ADMIN)
    assert cancel.status_code == 200, cancel.text
    again = httpx.post(register, data={**person, "message": FREE_TEXT[2]}, headers=JSON)
    assert again.status_code == 201, again.text
    assert httpx.post(confirm_link(inbox, EMAIL)).status_code == 200
    outbox = build / "outbox" / "notifications"
    # The author's notices (the comment, both registrations) and Zed's own e-mail, as .eml files.
    wait_for_files(outbox, 6)
    time.sleep(1.5)  # the sender's last round
    assert traces(inbox.db_path.parent, outbox), "the traces to look for are there before"
    before = git(content, "rev-parse", "HEAD").strip()

    forgot = run_invoke(
        "people.forget", EMAIL, "--yes", "--remove-comments", "--content", str(content),
        "--commit", env=env,
    )  # fmt: skip
    assert forgot.returncode == 0, forgot.stderr
    assert "This comment was removed." in forgot.stdout
    approved = run_invoke("comments.approve", reply, "--content", str(content), env=env)
    assert approved.returncode == 0, approved.stderr
    output = tmp_path / "output"
    built = run_build(content, output, tmp_path / "site-build")
    assert built.returncode == 0, built.stdout + built.stderr
    manifest = json.loads((output / "letterpress.json").read_text("utf-8"))
    page = (output / manifest["essays"][essay]["url"] / "index.html").read_text("utf-8")
    assert f'id="comment-{zeds}"' in page and "This comment was removed." in page
    assert f'id="comment-{reply}"' in page and "Same here." in page

    # What the forget wrote into git: its commit messages and every line it added. (The lines it
    # took out are still in the earlier commit that published the comment: docs/notifications.md
    # says how to rewrite that history if the person asks.)
    history = tmp_path / "history.txt"
    patch = git(content, "log", "-p", "--format=%B", f"{before}..HEAD")
    written = [line for line in patch.splitlines() if not line.startswith("-")]
    history.write_text("\n".join(written), "utf-8")
    assert f"Remove comment {zeds}" in patch
    inbox.stop()  # its log and database files complete
    assert traces(inbox.db_path.parent, build, content, output, history) == []
