"""Choosing and configuring the Mailchimp backend from the environment."""

import pytest

from letterpress.mailing import MailingError, OutboxBackend, backend_from_env
from letterpress.mailing.mailchimp import MailchimpBackend, MailchimpConfig, subscriber_hash

KEY = "0123456789abcdef0123456789abcdef-us21"


def test_both_variables_choose_mailchimp_with_the_data_centre_from_the_key(tmp_path):
    backend = backend_from_env({"MAILCHIMP_API_KEY": KEY, "MAILCHIMP_LIST_ID": "abc"}, tmp_path)
    assert isinstance(backend, MailchimpBackend)
    assert backend.client.api_client.host == "https://us21.api.mailchimp.com/3.0"
    assert backend.config.timeout == 30


def test_a_list_without_a_key_is_still_the_outbox(tmp_path):
    assert isinstance(backend_from_env({"MAILCHIMP_LIST_ID": "abc"}, tmp_path), OutboxBackend)


def test_mailchimp_server_and_api_base_override(tmp_path):
    config = MailchimpConfig.from_environ(
        {
            "MAILCHIMP_API_KEY": "no-suffix-here!",
            "MAILCHIMP_LIST_ID": "abc",
            "MAILCHIMP_SERVER": "us5",
        }
    )
    assert config.base_url == "https://us5.api.mailchimp.com/3.0"
    aimed = MailchimpConfig.from_environ(
        {
            "MAILCHIMP_API_KEY": KEY,
            "MAILCHIMP_LIST_ID": "abc",
            "MAILCHIMP_API_BASE": "http://127.0.0.1:8123/server/3.0/",
        }
    )
    backend = MailchimpBackend.from_environ(
        {"MAILCHIMP_API_KEY": KEY, "MAILCHIMP_LIST_ID": "abc", "MAILCHIMP_API_BASE": aimed.base_url}
    )
    # The client's habit of replacing the word "server" in URLs is switched off.
    assert backend.client.api_client.host == "http://127.0.0.1:8123/server/3.0"
    assert backend.client.api_client.server == ""


def test_a_key_without_a_data_centre_says_what_to_do():
    with pytest.raises(MailingError, match="MAILCHIMP_SERVER"):
        MailchimpConfig.from_environ({"MAILCHIMP_API_KEY": "abcdef", "MAILCHIMP_LIST_ID": "x"})


def test_the_key_is_not_in_the_configs_repr_or_any_error():
    with pytest.raises(MailingError) as error:
        MailchimpConfig.from_environ(
            {"MAILCHIMP_API_KEY": KEY, "MAILCHIMP_LIST_ID": "x", "MAILCHIMP_TIMEOUT": "soon"}
        )
    assert KEY not in str(error.value)
    config = MailchimpConfig.from_environ({"MAILCHIMP_API_KEY": KEY, "MAILCHIMP_LIST_ID": "x"})
    assert KEY not in repr(config)


def test_the_subscriber_hash_is_the_md5_of_the_lower_cased_address():
    assert subscriber_hash(" Urist.McVankab@FreddieMacGurney.com ") == (
        "58b8b5c0f9eeba19e317d27c8863dd6f"  # printf ... | md5sum
    )
