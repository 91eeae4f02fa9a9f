"""The admin client every --remote task uses, against the real inbox and a non-inbox server."""

import pytest

from letterpress.moderation.admin_client import AdminClient, AdminError
from tests.support import ADMIN_TOKEN, free_port, serve_directory


def test_with_the_token_it_gets_the_inbox_json(inbox):
    with AdminClient(inbox.url + "/", ADMIN_TOKEN) as client:
        assert client.call("GET", "/comments/pending") == {"comments": []}


def test_a_wrong_token_is_refused_with_the_inbox_reason_and_status(inbox):
    with AdminClient(inbox.url, "not-the-token") as client, pytest.raises(AdminError) as error:
        client.call("GET", "/comments/pending")
    assert error.value.status == 401
    assert str(error.value).startswith(f"{inbox.url}/comments/pending: 401 ")


def test_no_token_is_refused_before_any_request():
    with pytest.raises(AdminError, match="LETTERPRESS_ADMIN_TOKEN") as error:
        AdminClient("http://127.0.0.1:9", "")
    assert error.value.status == 401


def test_an_inbox_that_cannot_be_reached_is_named():
    url = f"http://127.0.0.1:{free_port()}"
    with AdminClient(url, ADMIN_TOKEN) as client, pytest.raises(AdminError) as error:
        client.call("POST", "/comments/c-1/approve")
    assert error.value.status == 503
    assert f"{url}/comments/c-1/approve: the inbox could not be reached" in str(error.value)


def test_a_server_that_is_not_the_inbox_gives_a_clear_error(tmp_path):
    (tmp_path / "pending").write_text("<p>a web page, not the inbox</p>")
    with serve_directory(tmp_path) as url, AdminClient(url, ADMIN_TOKEN) as client:
        with pytest.raises(AdminError, match="without a JSON object") as not_json:
            client.call("GET", "/pending")
        with pytest.raises(AdminError) as missing:
            client.call("GET", "/comments/pending")
    assert not_json.value.status == 502
    assert missing.value.status == 404
    assert str(missing.value).startswith(f"{url}/comments/pending: 404 ")
