"""Scheduled essays and drafts: absent from every page until their day; present from that day on."""

import datetime as dt
import json
from pathlib import Path

import pytest

from letterpress.schedule import is_scheduled, publication_day, split_by_schedule
from tests.essay_sources import essays_in
from tests.site.pages import indexed_urls, soup_of
from tests.support import TODAY, run_build

SCHEDULED_SLUG = "the-quiet-quarter"
TZ = "America/Los_Angeles"


def site_files(output: Path) -> list[Path]:
    """Every text file of the site (Pagefind's compressed index is checked through its source)."""
    return [
        p
        for p in output.rglob("*")
        if p.is_file()
        and "pagefind" not in p.parts
        and p.suffix in {".html", ".xml", ".json", ".txt", ".ics"}
    ]


def mentions(output: Path, *needles: str) -> list[str]:
    return [
        f"{p.relative_to(output)}: {needle}"
        for p in site_files(output)
        for needle in needles
        if needle in p.read_text("utf-8", errors="replace")
    ]


@pytest.fixture(scope="module")
def scheduled(site):
    [essay] = [e for e in essays_in(site.content) if e.slug == SCHEDULED_SLUG]
    assert essay.day > dt.date.fromisoformat(TODAY), "the sample's scheduled essay must be future"
    return essay


# The rule itself, on plain dates.


def test_an_essay_dated_after_the_build_date_is_scheduled():
    eight_am = dt.datetime.fromisoformat("2026-12-08T08:00:00-08:00")
    assert is_scheduled(eight_am, dt.date(2026, 12, 7), TZ)
    assert not is_scheduled(eight_am, dt.date(2026, 12, 8), TZ)
    assert not is_scheduled(eight_am, dt.date(2026, 12, 9), TZ)


def test_the_day_is_read_in_the_site_time_zone():
    # 06:00 UTC on 9 December is still 8 December in Los Angeles.
    early_utc = dt.datetime.fromisoformat("2026-12-09T06:00:00+00:00")
    assert publication_day(early_utc, TZ) == dt.date(2026, 12, 8)
    assert not is_scheduled(early_utc, dt.date(2026, 12, 8), TZ)
    assert publication_day(dt.datetime(2026, 12, 9, 6), TZ) == dt.date(2026, 12, 9)


def test_split_keeps_the_order_of_each_side():
    dates = [dt.datetime(2026, m, 1, tzinfo=dt.UTC) for m in (12, 9, 11, 10)]
    published, scheduled = split_by_schedule(
        dates, dt.date(2026, 10, 15), "UTC", date_of=lambda d: d
    )
    assert [d.month for d in published] == [9, 10]
    assert [d.month for d in scheduled] == [12, 11]


# The sample site.


def test_a_scheduled_essay_appears_nowhere_before_its_date(site, scheduled):
    assert not site.page(scheduled.url).exists()
    assert not list(site.output.rglob(f"*{SCHEDULED_SLUG}*"))
    assert mentions(site.output, SCHEDULED_SLUG, scheduled.title) == []
    # Its month had no other essay, so it has no archive page yet.
    assert not site.page(f"essays/{scheduled.day:%Y}/{scheduled.day:%m}/").exists()
    assert f"/{scheduled.url}" not in indexed_urls(site.output)


def test_a_scheduled_essay_is_published_by_a_build_on_or_after_its_date(later_site, scheduled):
    page = later_site.page(scheduled.url)
    assert soup_of(page).h1.get_text(strip=True) == scheduled.title
    for listing in (
        "",
        "essays/",
        f"essays/{scheduled.day:%Y}/",
        f"essays/{scheduled.day:%Y}/{scheduled.day:%m}/",
        f"category/{scheduled.category.lower()}/",
        *(f"tag/{tag.lower()}/" for tag in scheduled.tags),
        "search/",
    ):
        hrefs = [a["href"] for a in soup_of(later_site.page(listing)).select("main a[href]")]
        assert any(SCHEDULED_SLUG in h for h in hrefs), f"/{listing} does not list it"
    manifest = json.loads((later_site.output / "letterpress.json").read_text("utf-8"))
    assert SCHEDULED_SLUG in manifest["essays"]
    assert f"/{scheduled.url}" in indexed_urls(later_site.output)


def test_the_sitemap_follows_the_schedule(site, later_site):
    before, after = site.output / "sitemap.xml", later_site.output / "sitemap.xml"
    assert before.is_file() and after.is_file()
    assert SCHEDULED_SLUG not in before.read_text("utf-8")
    assert SCHEDULED_SLUG in after.read_text("utf-8")


def test_a_draft_never_appears_and_its_unfinished_links_do_not_stop_the_build(
    content_copy, tmp_path
):
    (content_copy / "essays" / "unfinished.md").write_text(
        "Title: An Unfinished Thought\nDate: 2026-10-01T08:00:00-07:00\nSlug: unfinished-thought\n"
        "Category: Practice\nTags: teams, drafts-only\nStatus: draft\n\nNot ready for readers; "
        "a link still to write: [later]({filename}not-written-yet.md).\n",
        "utf-8",
    )
    output = tmp_path / "output"
    result = run_build(content_copy, output, tmp_path / "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list(output.rglob("*unfinished*"))
    assert not (output / "tag" / "drafts-only").exists()
    assert mentions(output, "unfinished-thought", "An Unfinished Thought") == []
