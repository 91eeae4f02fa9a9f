"""GET /share/mastodon over real HTTP: the page the essay page's Mastodon link opens."""

import httpx
from bs4 import BeautifulSoup

TEXT = "Slack Is Not Waste https://letterpress.example/essays/2026/10/slack-is-not-waste/"


def test_the_readers_server_gets_a_redirect_to_its_compose_page(inbox):
    answer = httpx.get(
        inbox.url + "/share/mastodon", params={"server": "@ada@Example.Social", "text": TEXT}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == (
        "https://example.social/share?text=Slack+Is+Not+Waste+https%3A%2F%2Fletterpress.example"
        "%2Fessays%2F2026%2F10%2Fslack-is-not-waste%2F"
    )
    assert answer.headers["cache-control"] == "no-store"


def test_a_name_that_is_no_server_is_refused_with_what_to_write(inbox):
    answer = httpx.get(inbox.url + "/share/mastodon", params={"server": "my server", "text": TEXT})
    assert answer.status_code == 400
    assert "such as mastodon.social" in answer.text
    as_json = httpx.get(
        inbox.url + "/share/mastodon",
        params={"server": "localhost", "text": TEXT},
        headers={"Accept": "application/json"},
    )
    assert as_json.status_code == 400 and as_json.json()["field"] == "server"


def test_without_a_server_the_page_asks_for_one_and_keeps_what_is_shared(inbox):
    answer = httpx.get(inbox.url + "/share/mastodon", params={"text": TEXT})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    page = BeautifulSoup(answer.text, "html.parser")
    form = page.form
    assert form["method"] == "get"
    server = form.select_one("input[name=server]")
    assert server.has_attr("required") and page.select_one(f"label[for={server['id']}]")
    assert form.select_one("input[name=text]")["value"] == TEXT


def test_a_wrong_server_shows_the_page_again_with_what_to_write(inbox):
    answer = httpx.get(inbox.url + "/share/mastodon", params={"server": "my <b>", "text": TEXT})
    assert answer.status_code == 400
    page = BeautifulSoup(answer.text, "html.parser")
    assert "such as mastodon.social" in page.select_one("[role=alert]").get_text()
    assert page.select_one("input[name=server]")["value"] == "my <b>"
    assert "<b>" not in answer.text  # escaped
    assert page.select_one("input[name=text]")["value"] == TEXT
