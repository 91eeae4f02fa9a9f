"""A person who commented (asking to hear of replies), registered for a workshop and signed up
for the newsletter asks what is held about them, then to be forgotten. Afterwards their address
is in no row of the inbox's database, no file of content/, output/ or build/, no built page and
not in the (local) Mailchimp; their published comment stays under their name, and the seats
are still counted right. Real inbox, real tasks, real SMTP server, real Pelican build."""

import json
import os
import sqlite3

import httpx
import pytest

from letterpress.comments import check_comments, read_comments
from letterpress.manifest import EssayEntry
from tests.mailing.local_mailchimp import SPEC_PATH, LocalMailchimp, Served, Spec
from tests.mailing.mailing_helpers import API_KEY, LIST_ID
from tests.notifications.notify_helpers import (
    JSON,
    smtp_env,
)
from tests.support import (
    ADMIN_TOKEN,
    SITE_URL,
    copy_content,
    files_holding,
    free_port,
    run_build,
    run_invoke,
)
from tests.workshops.workshop_helpers import confirm_link, manifest_entry

PERSON = "Pat.Person@Example.org"
NEEDLE = "pat.person@example.org"


@pytest.fixture
def mailchimp():
    service = LocalMailchimp(API_KEY, LIST_ID, Spec(SPEC_PATH))
    with Served(service.app, free_port()) as served:
        service.env = {
            "MAILCHIMP_API_KEY": API_KEY,
            "MAILCHIMP_LIST_ID": LIST_ID,
            "MAILCHIMP_API_BASE": f"{served.url}/3.0",
        }
        yield service
    assert not service.violations, service.violations


def sample_essay_slug(content) -> str:
    """An essay of the sample site with comments, so a real build publishes Pat's."""
    return sorted(path.name for path in (content / "comments").iterdir() if path.is_dir())[0]


def every_value(db_path) -> list[tuple[str, str, str]]:
    """(table, column, value) for every text value in every table of the SQLite file."""
    connection = sqlite3.connect(db_path)
    try:
        found = []
        tables = [
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        for table in tables:
            columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})")]
            for row in connection.execute(f"SELECT * FROM {table}"):
                found += [(table, c, str(v)) for c, v in zip(columns, row, strict=True)]
        return found
    finally:
        connection.close()


def holding(db_path, needle=NEEDLE):
    return [(t, c) for t, c, v in every_value(db_path) if needle in v.lower()]


@pytest.fixture
def world(start_inbox, mailchimp, smtp, tmp_path):
    """The inbox (Mailchimp, SMTP), a copy of the content, and Pat's traces everywhere."""
    content = copy_content(tmp_path / "content")
    essay = sample_essay_slug(content)
    essays = (EssayEntry(essay, "An Essay", f"essays/{essay}/", True, ()),)
    workshops = {"the-arc": manifest_entry("The Arc", "open", seats=3)}
    inbox = start_inbox(essays=essays, workshops=workshops, env={**mailchimp.env, **smtp_env(smtp)})
    env = {
        **os.environ,
        **mailchimp.env,
        **smtp_env(smtp),
        "LETTERPRESS_INBOX_DB": str(inbox.db_path),
        "LETTERPRESS_SITE_MANIFEST": str(inbox.manifest_path),
        "LETTERPRESS_BUILD_DIR": inbox.env["LETTERPRESS_BUILD_DIR"],
        "LETTERPRESS_ADMIN_TOKEN": ADMIN_TOKEN,
    }

    def comment(body, **kw):
        data = {"essay": essay, "name": kw.pop("name", "Pat Person"), "body": body, **kw}
        answer = httpx.post(inbox.url + "/comments", data=data, headers=JSON)
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]

    published = comment("Slack is a decision.", email=PERSON, notify_replies="on")
    waiting = comment("And another thought.", email=PERSON)
    reply = comment("Agreed.", name="Rae", email="rae@example.org", parent=published)
    approved = run_invoke(
        "comments.approve", f"{published},{reply}", "--content", str(content), env=env
    )
    assert approved.returncode == 0, approved.stderr
    smtp.wait_to(PERSON)  # Pat was told of Rae's reply
    for who, seats in ((PERSON, "2"), ("other@example.org", "1")):
        data = {"name": "Pat Person", "email": who, "seats": seats, "newsletter": "on"}
        answer = httpx.post(inbox.url + "/workshops/the-arc/registrations", data=data, headers=JSON)
        assert answer.status_code == 201, answer.text
    assert httpx.post(confirm_link(inbox, PERSON)).status_code == 200
    signup = {"email": PERSON, "name": "Pat Person", "consent": "yes"}
    assert httpx.post(inbox.url + "/subscribe", data=signup, headers=JSON).status_code == 202
    return {
        "inbox": inbox,
        "env": env,
        "content": content,
        "essay": essay,
        "published": published,
        "waiting": waiting,
        "reply": reply,
    }


def test_export_shows_everything_held_locally_and_remotely(world, mailchimp):
    inbox, env = world["inbox"], world["env"]
    local = run_invoke("people.export", PERSON.upper(), env=env)
    assert local.returncode == 0, local.stderr
    remote = run_invoke("people.export", PERSON, "--remote", inbox.url, env=env)
    assert remote.returncode == 0, remote.stderr
    for held in (json.loads(local.stdout), json.loads(remote.stdout)):
        by_id = {c["id"]: c for c in held["comments"]}
        assert set(by_id) == {world["published"], world["waiting"]}
        published = by_id[world["published"]]
        assert published["status"] == "approved" and published["notify_replies"] is True
        link = f"{SITE_URL}/essays/{world['essay']}/#comment-{world['published']}"
        assert published["link"] == link
        assert by_id[world["waiting"]]["link"] is None
        assert held["reply_notifications"]["opted_in_on"] == [world["published"]]
        kinds = [n["kind"] for n in held["e-mail_from_the_inbox"]]
        assert sorted(kinds) == ["registration", "registration", "reply"]  # held, confirmed
        [registration] = held["registrations"]
        assert (registration["workshop"], registration["seats"]) == ("the-arc", 2)
        assert held["mailing_list"]["status"] == "pending"
        assert "workshop:the-arc" in held["mailing_list"]["tags"]


def test_forget_erases_the_address_everywhere_and_twice_is_harmless(world, mailchimp, tmp_path):
    inbox, env, content = world["inbox"], world["env"], world["content"]
    assert holding(inbox.db_path)  # the scan finds the address before
    result = run_invoke("people.forget", PERSON, "--remote", inbox.url, "--yes", env=env)
    assert result.returncode == 0, result.stderr
    said = result.stdout
    assert "published comments kept without the address: 1" in said
    assert "comments never published, deleted: 1" in said
    assert "workshop registrations anonymised (seats kept): 1" in said
    assert "mailing list: deleted permanently from Mailchimp" in said
    assert holding(inbox.db_path) == []
    raw = b"".join(p.read_bytes() for p in inbox.db_path.parent.glob("inbox.sqlite3*"))
    assert NEEDLE.encode() not in raw.lower()  # not even in freed pages or the WAL
    assert not any(NEEDLE in json.dumps(m).lower() for m in mailchimp.members.values())
    build = inbox.db_path.parent.parent / "build"
    assert not files_holding(PERSON, content, build) and not files_holding(NEEDLE, content, build)
    seats = inbox.rows(
        "SELECT SUM(seats) FROM registrations WHERE workshop = 'the-arc'"
        " AND status IN ('held', 'confirmed')"
    )[0][0]
    assert seats == 3
    again = run_invoke("people.forget", PERSON, "--yes", env=env)
    assert again.returncode == 0, again.stderr
    assert "mailing list: not on the list" in again.stdout
    assert "published comments kept without the address: 0" in again.stdout
    output = tmp_path / "site"
    built = run_build(content, output, tmp_path / "site-build")
    assert built.returncode == 0, built.stderr
    manifest = json.loads((output / "letterpress.json").read_text())
    page = (output / manifest["essays"][world["essay"]]["url"] / "index.html").read_text()
    assert f'id="comment-{world["published"]}"' in page and "Pat Person" in page
    assert not files_holding(NEEDLE, output) and not files_holding(PERSON, output)


def test_forget_with_remove_comments_leaves_a_placeholder_and_keeps_the_thread(world):
    env, content = world["env"], world["content"]
    folder = content / "comments" / world["essay"]
    result = run_invoke(
        "people.forget", PERSON, "--yes", "--remove-comments", "--content", str(content), env=env
    )
    assert result.returncode == 0, result.stderr
    placeholder = (folder / f"{world['published']}.md").read_text()
    assert "Removed: yes" in placeholder and "Pat" not in placeholder
    assert "Slack is a decision" not in placeholder
    reply = (folder / f"{world['reply']}.md").read_text()
    assert world["published"] in reply  # Rae's reply keeps its place under the placeholder
    assert holding(world["inbox"].db_path) == []
    check_comments(read_comments(content / "comments"), [world["essay"]])  # the thread builds
