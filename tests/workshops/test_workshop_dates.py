"""Date ranges and times read the way people write them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from letterpress.workshops.dates import format_date_range, format_time_span, utc_offset_label

D = dt.date
PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize(
    ("start", "end", "written"),
    [
        (D(2027, 5, 14), D(2027, 5, 14), "May 14, 2027"),
        (D(2027, 5, 14), D(2027, 5, 15), "May 14–15, 2027"),
        (D(2027, 5, 30), D(2027, 6, 1), "May 30 – June 1, 2027"),
        (D(2027, 12, 30), D(2028, 1, 2), "December 30, 2027 – January 2, 2028"),
        (D(2027, 9, 1), D(2027, 9, 30), "September 1–30, 2027"),
    ],
)
def test_a_date_range_is_written_as_people_write_it(start, end, written):
    assert format_date_range(start, end) == written


def test_a_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        format_date_range(D(2027, 5, 15), D(2027, 5, 14))


def test_times_name_the_days_when_the_span_crosses_midnight_and_end_with_the_zone():
    start = dt.datetime(2027, 5, 14, 9, 0, tzinfo=PACIFIC)
    assert format_time_span(start, start.replace(hour=17)) == "9:00 am – 5:00 pm PDT"
    two_days = format_time_span(start, dt.datetime(2027, 5, 15, 12, 30, tzinfo=PACIFIC))
    assert two_days == "Friday 9:00 am – Saturday 12:30 pm PDT"
    winter = dt.datetime(2027, 1, 8, 0, 15, tzinfo=PACIFIC)
    assert format_time_span(winter, winter.replace(hour=1, minute=0)) == "12:15 am – 1:00 am PST"


def test_the_utc_offset_is_labelled_with_a_true_minus_sign():
    assert utc_offset_label(dt.datetime(2027, 5, 14, 9, tzinfo=PACIFIC)) == "UTC−07:00"
    kolkata = dt.datetime(2027, 5, 14, 9, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert utc_offset_label(kolkata) == "UTC+05:30"
