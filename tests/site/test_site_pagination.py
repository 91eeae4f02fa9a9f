"""With more essays than fit on a page, the home page paginates and still reaches every essay."""

import datetime as dt

from tests.site.pages import listed_from_home, published_on, soup_of
from tests.support import run_build

EXTRA = 12  # with the sample's six, more than one page of ten


def test_pagination_reaches_every_essay_newest_first(content_copy, tmp_path):
    for n in range(EXTRA):
        day = dt.date(2026, 6, 1) + dt.timedelta(days=n)
        (content_copy / "essays" / f"note-{n}.md").write_text(
            f"Title: Field Note {n}\nDate: {day}T08:00:00-07:00\nSlug: field-note-{n}\n"
            f"Category: Practice\nTags: notes\n\nA short note, number {n}.\n",
            "utf-8",
        )
    output = tmp_path / "output"
    result = run_build(content_copy, output, tmp_path / "build")
    assert result.returncode == 0, result.stdout + result.stderr

    slugs, pages = listed_from_home(output)
    expected = sorted(published_on(content_copy, "2026-11-26"), key=lambda e: e.day, reverse=True)
    assert slugs == [e.slug for e in expected]
    assert pages == ["", "page/2/"]
    second = soup_of(output / "page" / "2" / "index.html")
    assert second.select_one('a[rel="prev"]') is not None
    assert "Page 2 of 2" in second.select_one(".pagination").get_text()
