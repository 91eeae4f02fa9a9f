"""Series headers grouped and ordered (letterpress.series, no Pelican)."""

import datetime as dt

import pytest

from letterpress.series import SeriesError, build_series, part_from_headers, places

DAY = dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC)


def part(key, series="The Honest Room", number=None, days=0):
    headers = {"series": series}
    if number is not None:
        headers["series-part"] = str(number)
    return part_from_headers(key, key.title(), f"essays/{key}/", DAY + dt.timedelta(days), headers,
                             f"essays/{key}.md")  # fmt: skip


def test_numbered_parts_come_in_number_order_then_unnumbered_ones_by_date():
    parts = [part("c", days=1), part("b", number=2, days=9), part("a", number=1, days=5)]
    parts.append(part("d", days=0))
    (series,) = build_series(parts)
    assert [p.key for p in series.parts] == ["a", "b", "d", "c"]
    assert (series.name, series.slug, series.url) == (
        "The Honest Room",
        "the-honest-room",
        "series/the-honest-room/",
    )


def test_each_part_knows_its_number_of_the_total_and_its_neighbours():
    found = places(build_series([part("a", number=1), part("b", number=2), part("c", number=3)]))
    middle = found["b"]
    assert (middle.number, middle.total) == (2, 3)
    assert (middle.previous.key, middle.next.key) == ("a", "c")
    assert found["a"].previous is None and found["c"].next is None


def test_names_differing_only_in_case_are_one_series_and_series_are_listed_by_name():
    parts = [part("a", "room to breathe"), part("b", "Room to Breathe"), part("c", "Alpha")]
    assert [(s.slug, len(s.parts)) for s in build_series(parts)] == [
        ("alpha", 1),
        ("room-to-breathe", 2),
    ]


def test_an_essay_without_a_series_header_is_in_no_series():
    assert part_from_headers("a", "A", "a/", DAY, {"title": "A"}, "a.md") is None


def test_a_scheduled_part_left_out_by_the_caller_is_not_counted():
    # The plugin passes only published essays: part 2 of 3 withheld leaves "Part 2 of 2".
    found = places(build_series([part("a", number=1), part("c", number=3)]))
    assert (found["c"].number, found["c"].total) == (2, 2)


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"series": "X", "series-part": "two"}, "essays/a.md: Series-Part 'two' is not a part"),
        ({"series": "X", "series-part": "0"}, "Series-Part '0' is not a part number"),
        ({"series-part": "2"}, "essays/a.md: Series-Part is given without a Series header"),
        ({"series": "!!!"}, "has no letters or digits"),
    ],
)
def test_a_bad_header_is_an_error_naming_the_file(headers, message):
    with pytest.raises(SeriesError, match=message):
        part_from_headers("a", "A", "a/", DAY, headers, "essays/a.md")


def test_two_parts_with_the_same_number_are_an_error_naming_both_files():
    with pytest.raises(SeriesError, match=r"essays/b.md: Series-Part 1 .* taken by essays/a.md"):
        build_series([part("a", number=1), part("b", number=1, days=1)])
