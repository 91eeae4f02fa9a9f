"""Share links are plain links to each service's compose page (letterpress.sharing)."""

import pytest

from letterpress.sharing import ShareError, mastodon_server, mastodon_share_url, share_links

URL = "https://letterpress.example/essays/2026/10/slack-is-not-waste/"


def test_every_service_gets_the_title_and_the_canonical_address():
    links = {link.service: link for link in share_links("Slack <em>Is</em> Not Waste", URL)}
    assert list(links) == ["email", "mastodon", "bluesky", "linkedin", "copy"]
    assert links["email"].href == ("mailto:?subject=Slack%20Is%20Not%20Waste&body=" + URL)
    text = "Slack+Is+Not+Waste+" + URL
    assert links["mastodon"].href == f"https://mastodon.social/share?text={text}"
    assert links["bluesky"].href == f"https://bsky.app/intent/compose?text={text}"
    assert links["linkedin"].href == f"https://www.linkedin.com/sharing/share-offsite/?url={URL}"
    assert links["copy"].href == URL


def test_characters_that_would_break_a_query_are_escaped():
    (email, mastodon, *_) = share_links("Q&A: fish &amp; chips?", URL + "?a=1&b=2")
    assert "subject=Q%26A%3A%20fish%20%26%20chips%3F&body=" in email.href
    assert "a%3D1%26b%3D2" in mastodon.href


def test_with_an_inbox_mastodon_goes_to_its_page_that_asks_for_the_readers_server():
    links = share_links("Slack <em>Is</em> Not Waste", URL, "http://127.0.0.1:8001/")
    mastodon = next(link for link in links if link.service == "mastodon")
    text = "Slack+Is+Not+Waste+" + URL
    assert mastodon.href == f"http://127.0.0.1:8001/share/mastodon?text={text}"
    assert [link.href for link in links if link.service != "mastodon"] == [
        link.href for link in share_links("Slack Is Not Waste", URL) if link.service != "mastodon"
    ]


@pytest.mark.parametrize(
    "answer",
    ["example.social", " Example.Social ", "https://example.social/@ada", "@ada@example.social"],
)
def test_a_reader_may_name_their_server_as_a_host_an_address_or_a_handle(answer):
    assert mastodon_server(answer) == "example.social"


@pytest.mark.parametrize(
    "answer",
    ["", "localhost", "example.social:8443", "-bad.example", "bad_name.example", "javascript:x"],
)
def test_anything_else_is_refused_with_a_sentence_saying_what_to_write(answer):
    with pytest.raises(ShareError, match=r"such as mastodon\.social"):
        mastodon_server(answer)


def test_the_compose_page_is_on_the_readers_server_with_the_text_escaped():
    url = mastodon_share_url("@ada@example.social", f"Q&A {URL}?a=1&b=2")
    assert url == (
        "https://example.social/share?text=Q%26A+https%3A%2F%2Fletterpress.example%2Fessays"
        "%2F2026%2F10%2Fslack-is-not-waste%2F%3Fa%3D1%26b%3D2"
    )
    with pytest.raises(ShareError):
        mastodon_share_url("example.social", "x" * 1001)
