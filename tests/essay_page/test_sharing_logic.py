"""Share links are plain links to each service's compose page (letterpress.sharing)."""

from letterpress.sharing import share_links

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
