"""The moderation page over plain HTTP against the real inbox: the passphrase, the sign-in
throttle, the page switched off, every page valid HTML for the Nu HTML Checker, and the author's
notice e-mail linking to the comment on the page."""

import datetime as dt
import re
import shutil
import sqlite3
import subprocess

import httpx

from letterpress.notify.messages import Letterhead, author_message
from tests.site.pages import VNU_JAR
from tests.support import ADMIN_TOKEN, TODAY, prepare_inbox, require_tool

JSON = {"Accept": "application/json"}


def login_token(client: httpx.Client) -> str:
    page = client.get("/admin/login")
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def sign_in(client: httpx.Client, secret: str) -> httpx.Response:
    data = {"csrf": login_token(client), "secret": secret, "next": "/admin"}
    return client.post("/admin/login", data=data)


def test_a_passphrase_signs_in_and_failed_attempts_pause_signing_in(start_inbox):
    inbox = start_inbox(env={"LETTERPRESS_ADMIN_PASSPHRASE": "correct horse battery staple"})
    with httpx.Client(base_url=inbox.url) as client:
        assert sign_in(client, "correct horse battery staple").status_code == 303
        assert client.get("/admin").status_code == 200
    with httpx.Client(base_url=inbox.url) as client:
        for _ in range(5):
            assert sign_in(client, "a guess").status_code == 401
        paused = sign_in(client, ADMIN_TOKEN)  # even the right token, once paused
        assert paused.status_code == 429
        assert paused.headers["retry-after"] == "900"
        assert "Too many failed sign-ins" in paused.text
        assert "letterpress_admin=" not in paused.headers.get("set-cookie", "")
        assert client.get("/admin").status_code == 303  # still signed out


def test_without_a_token_or_passphrase_the_page_is_off(start_inbox):
    inbox = start_inbox(env={"LETTERPRESS_ADMIN_TOKEN": ""})
    answer = httpx.get(inbox.url + "/admin/login")
    assert answer.status_code == 403
    assert "The moderation page is off: set LETTERPRESS_ADMIN_TOKEN" in answer.text
    assert answer.headers["content-type"].startswith("text/html")


def test_the_nu_html_checker_finds_no_errors_in_any_page(site, site_url, tmp_path):
    require_tool(
        shutil.which("java") is not None, "Java", "apt-get install -y default-jre-headless"
    )
    require_tool(VNU_JAR.is_file(), "The Nu HTML Checker (vnu.jar)", "run npm ci (make test does)")
    inbox = prepare_inbox(
        tmp_path / "inbox",
        manifest_path=site.output / "letterpress.json",
        env={"LETTERPRESS_TODAY": TODAY, "LETTERPRESS_SITE_URL": site_url},
    ).start()
    pages = {}
    try:
        essay = {"essay": "generative-not-competitive", "email": "nu@example.org"}
        ids = []
        for name, body in (("Nu One", "A *first* comment."), ("Nu Two", "A second.")):
            answer = httpx.post(
                inbox.url + "/comments", data={**essay, "name": name, "body": body}, headers=JSON
            )
            ids.append(answer.json()["id"])
        reply = {**essay, "name": "Nu Three", "body": "A reply.", "parent": ids[0]}
        httpx.post(inbox.url + "/comments", data=reply, headers=JSON).raise_for_status()
        httpx.post(
            inbox.url + "/workshops/the-arc/registrations",
            data={"name": "Nu Four", "email": "four@example.org", "message": "Hello"},
            headers=JSON,
        ).raise_for_status()
        connection = sqlite3.connect(inbox.db_path)
        with connection:  # as Akismet's verdict leaves it: spam, never decided by the author
            connection.execute("UPDATE comments SET status = 'spam' WHERE id = ?", (ids[1],))
        connection.close()
        with httpx.Client(base_url=inbox.url) as client:
            hop = client.get(f"/admin/comments/{ids[0]}", headers={"Sec-Fetch-Site": "cross-site"})
            assert "Nu One" not in hop.text and f'url=/admin/comments/{ids[0]}"' in hop.text
            pages["hop"] = hop.text
            pages["login"] = client.get("/admin/login").text
            pages["login-refused"] = sign_in(client, "wrong").text
            assert sign_in(client, ADMIN_TOKEN).status_code == 303
            client.post(
                f"/admin/comments/{ids[0]}/decide",
                data={"csrf": csrf_of(client), "decision": "approve"},
            )
            pages["queue"] = client.get("/admin").text
            pages["comment"] = client.get(f"/admin/comments/{ids[0]}").text
            pages["workshops"] = client.get("/admin/workshops").text
            pages["not-found"] = client.get("/admin/comments/nothing-here").text
            wrong_method = client.get("/admin/logout")
            assert wrong_method.status_code == 404
            assert wrong_method.headers["content-type"].startswith("text/html")
            pages["no-such-page"] = wrong_method.text
    finally:
        inbox.stop()
    assert "Held as spam by Akismet (1)" in pages["queue"]
    assert "Approved, not on the site yet (1)" in pages["queue"]
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, html in pages.items():
        (folder / f"{name}.html").write_text(html, "utf-8")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"vnu reported errors:\n{result.stderr}{result.stdout}"


def csrf_of(client: httpx.Client) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/admin").text).group(1)


def test_the_authors_notice_links_to_the_comment_on_the_page():
    head = Letterhead(
        site_url="https://essays.example",
        inbox_url="https://inbox.example",
        mail_from="Letterpress <notes@example.org>",
        secret="s",
    )
    item = {"what": "comment", "id": "20261126-1200-abcd", "essay": "e", "author": "A", "body": "B"}
    message = author_message(head, "author@example.org", [item], dt.datetime(2026, 11, 26))
    link = "https://inbox.example/admin/comments/20261126-1200-abcd"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert link in text
    assert f'<a href="{link}">Moderate it</a>' in html
