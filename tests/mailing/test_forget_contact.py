"""Finding and permanently forgetting one contact, on both backends: what people.export shows
and what people.forget erases from the mailing list."""

from letterpress.mailing import Contact, OutboxBackend, backend_from_env
from tests.support import files_holding


def test_mailchimp_finds_a_member_with_tags_then_deletes_it_permanently(mailchimp):
    backend = backend_from_env(mailchimp.env)
    backend.add_contact(Contact("Gone@Example.org", "Gil Gone", ("workshop:arc",), subscribe=True))
    found = backend.find_contact("gone@example.org")
    assert (found.email, found.status, found.tags, found.name) == (
        "Gone@Example.org",
        "pending",
        ("workshop:arc",),
        "Gil Gone",
    )
    assert backend.forget_contact("gone@example.org") is True
    assert mailchimp.members == {}
    assert backend.find_contact("gone@example.org") is None
    assert backend.forget_contact("gone@example.org") is False  # twice: harmless
    [deleted] = [seen for seen in mailchimp.requests if seen.path.endswith("delete-permanent")][:1]
    assert deleted.method == "POST" and deleted.body is None


def test_the_outbox_forgets_the_contact_and_every_log_line_naming_it(tmp_path):
    backend = OutboxBackend(tmp_path / "outbox")
    backend.add_contact(Contact("Gone@Example.org", "Gil", ("workshop:arc",)))
    backend.add_contact(Contact("stays@example.org", "Sam"))
    assert backend.find_contact("GONE@example.org").tags == ("workshop:arc",)
    assert backend.forget_contact("gone@example.org") is True
    assert backend.find_contact("gone@example.org") is None
    assert not files_holding("gone@example.org", tmp_path)
    assert not files_holding("Gone@Example.org", tmp_path)
    assert backend.find_contact("stays@example.org") is not None
    assert backend.forget_contact("gone@example.org") is False
