"""Feeds after the site changes: an edited essay and a smaller FEED_MAX_ITEMS."""

from tests.feeds.conftest import (
    EDITED_MODIFIED,
    EDITED_SLUG,
    MAX_ITEMS,
    NEW_SENTENCE,
)
from tests.feeds.feed_helpers import CANONICAL, entry_by_link, parse

EDITED_URL = f"{CANONICAL}/essays/2026/11/{EDITED_SLUG}/"


def test_editing_an_essay_keeps_its_id_and_moves_its_updated_time(site, changed_site):
    for name in ("all.atom.xml", "all.rss.xml"):
        before = entry_by_link(parse(site.output / "feeds" / name), EDITED_URL)
        after = entry_by_link(parse(changed_site.output / "feeds" / name), EDITED_URL)
        assert after.id == before.id
        assert NEW_SENTENCE in after.content[0].value
        assert NEW_SENTENCE not in before.content[0].value
    atom_before = entry_by_link(parse(site.output / "feeds" / "all.atom.xml"), EDITED_URL)
    atom_after = entry_by_link(parse(changed_site.output / "feeds" / "all.atom.xml"), EDITED_URL)
    assert atom_after.published == atom_before.published == "2026-11-17T08:00:00-08:00"
    assert atom_before.updated == atom_before.published
    assert atom_after.updated == EDITED_MODIFIED


def test_feed_max_items_limits_every_feed(site, changed_site):
    essays = len(parse(site.output / "feeds" / "all.atom.xml").entries)
    assert essays > MAX_ITEMS, "the sample site needs more essays than the limit for this test"
    for path in sorted((changed_site.output / "feeds").rglob("*.xml")):
        assert len(parse(path).entries) <= MAX_ITEMS, path
    assert len(parse(changed_site.output / "feeds" / "all.atom.xml").entries) == MAX_ITEMS
