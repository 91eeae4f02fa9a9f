"""The inbox application over real HTTP: health, size limit, CORS, configuration."""

import httpx
import pytest

from letterpress.inbox.config import ConfigError, InboxConfig


def test_healthz_answers_once_the_database_is_open(start_inbox):
    inbox = start_inbox()
    answer = httpx.get(inbox.url + "/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok", "manifest": "ok", "mail": "ok"}
    assert inbox.db_path.exists()
    journal = inbox.rows("PRAGMA journal_mode")[0][0]
    assert journal == "wal"


def test_healthz_names_a_missing_manifest(start_inbox, tmp_path):
    inbox = start_inbox(manifest_path=tmp_path / "nowhere" / "letterpress.json")
    answer = httpx.get(inbox.url + "/healthz")
    assert answer.status_code == 503
    answer = answer.json()
    assert answer["manifest"].startswith("unreadable")
    assert "nowhere/letterpress.json" in answer["manifest"]
    assert "make build" in answer["manifest"]


def test_a_body_over_160_kilobytes_is_refused_with_413(start_inbox):
    inbox = start_inbox()
    answer = httpx.post(inbox.url + "/comments", content=b"x" * (160 * 1024 + 1))
    assert answer.status_code == 413
    assert "larger than the inbox accepts (160 KB" in answer.text
    as_json = httpx.post(
        inbox.url + "/comments",
        content=b"x" * (160 * 1024 + 1),
        headers={"Accept": "application/json"},
    )
    assert as_json.status_code == 413
    assert "10,000 characters for a comment" in as_json.json()["error"]


@pytest.mark.parametrize("character", ["語", "😀"], ids=["cjk", "emoji"])
def test_a_comment_of_10000_characters_fits_whatever_its_script(start_inbox, character):
    # Form-encoded, 語 takes 9 bytes and 😀 12: the byte cap must sit above the character limit.
    inbox = start_inbox()
    data = {"essay": "open-essay", "name": "Ada", "email": "ada@example.org"}
    body = character * 10_000
    answer = httpx.post(
        inbox.url + "/comments", data={**data, "body": body}, headers={"Accept": "application/json"}
    )
    assert answer.status_code == 201, answer.text
    as_json = httpx.post(
        inbox.url + "/comments",
        json={**data, "body": body + "!"},
        headers={"Accept": "application/json"},
    )
    assert as_json.status_code == 400
    assert as_json.json()["error"] == "Comment is 10,001 characters long; the limit is 10,000."


def test_cors_allows_only_the_configured_origin(start_inbox):
    origin = "http://127.0.0.1:8000"
    inbox = start_inbox(env={"LETTERPRESS_ALLOWED_ORIGIN": origin})
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = httpx.options(inbox.url + "/comments", headers={"Origin": origin, **preflight})
    assert allowed.headers["access-control-allow-origin"] == origin
    other = httpx.options(
        inbox.url + "/comments", headers={"Origin": "https://evil.example", **preflight}
    )
    assert "access-control-allow-origin" not in other.headers


def test_configuration_comes_from_the_environment_and_hides_secrets():
    config = InboxConfig.from_environ(
        {
            "LETTERPRESS_INBOX_DB": "/srv/inbox.sqlite3",
            "LETTERPRESS_ADMIN_TOKEN": "s3cret-token",
            "AKISMET_KEY": "akismet-key",
            "LETTERPRESS_COMMENT_RATE": "12",
        }
    )
    assert str(config.db_path) == "/srv/inbox.sqlite3"
    assert str(config.manifest_path) == "output/letterpress.json"
    assert config.comment_rate == 12
    assert str(config.admin_token) == "s3cret-token"
    assert "s3cret-token" not in repr(config)
    assert "akismet-key" not in repr(config)


def test_a_bad_number_in_the_environment_names_the_variable():
    with pytest.raises(ConfigError, match="LETTERPRESS_COMMENT_RATE"):
        InboxConfig.from_environ({"LETTERPRESS_COMMENT_RATE": "five"})
