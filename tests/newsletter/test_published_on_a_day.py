"""One rule for "is this essay out on that day" (letterpress.clock): the site's schedule and the
newsletter's selection agree on every date around midnight, naive or aware."""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from newsletter_helpers import TIMEZONE, essay

from letterpress.clock import is_published_on, local_day
from letterpress.newsletter.selection import published_essays
from letterpress.schedule import is_scheduled, publication_day

ZONE = ZoneInfo(TIMEZONE)  # America/Los_Angeles: UTC-8 in December
DAY = dt.date(2026, 12, 8)
MIDNIGHT = dt.datetime.combine(DAY, dt.time())

MOMENTS = {
    "naive, a minute before midnight": MIDNIGHT - dt.timedelta(minutes=1),
    "naive, midnight": MIDNIGHT,
    "naive, a minute after midnight": MIDNIGHT + dt.timedelta(minutes=1),
    "naive, late evening": MIDNIGHT + dt.timedelta(hours=23, minutes=59),
    "local, a minute before midnight": (MIDNIGHT - dt.timedelta(minutes=1)).replace(tzinfo=ZONE),
    "local, midnight": MIDNIGHT.replace(tzinfo=ZONE),
    "UTC, midnight (the evening before, locally)": MIDNIGHT.replace(tzinfo=dt.UTC),
    "UTC, 08:00 (local midnight)": (MIDNIGHT + dt.timedelta(hours=8)).replace(tzinfo=dt.UTC),
    "UTC, 07:59 (a minute before local midnight)": (
        MIDNIGHT + dt.timedelta(hours=7, minutes=59)
    ).replace(tzinfo=dt.UTC),
    "Tokyo, 16:59 (a minute before local midnight)": (
        MIDNIGHT + dt.timedelta(hours=16, minutes=59)
    ).replace(tzinfo=ZoneInfo("Asia/Tokyo")),
}
EXPECTED_DAY = {
    "naive, a minute before midnight": DAY - dt.timedelta(days=1),
    "naive, midnight": DAY,
    "naive, a minute after midnight": DAY,
    "naive, late evening": DAY,
    "local, a minute before midnight": DAY - dt.timedelta(days=1),
    "local, midnight": DAY,
    "UTC, midnight (the evening before, locally)": DAY - dt.timedelta(days=1),
    "UTC, 08:00 (local midnight)": DAY,
    "UTC, 07:59 (a minute before local midnight)": DAY - dt.timedelta(days=1),
    "Tokyo, 16:59 (a minute before local midnight)": DAY - dt.timedelta(days=1),
}
TODAYS = [DAY - dt.timedelta(days=1), DAY, DAY + dt.timedelta(days=1)]


@pytest.mark.parametrize("name", MOMENTS)
def test_a_moments_day_is_its_day_in_the_sites_zone_naive_ones_being_wall_clock_time(name):
    assert local_day(MOMENTS[name], TIMEZONE) == EXPECTED_DAY[name]
    assert publication_day(MOMENTS[name], TIMEZONE) == EXPECTED_DAY[name]


@pytest.mark.parametrize("name", MOMENTS)
@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_the_schedule_and_the_newsletter_agree_on_what_is_out(name, today):
    moment = MOMENTS[name]
    dated = dataclasses.replace(essay("around-midnight", "2026-12-08"), date=moment)
    on_the_site = not is_scheduled(moment, today, TIMEZONE)
    in_the_newsletter = published_essays([dated], today, ZONE) == [dated]
    assert on_the_site == in_the_newsletter == is_published_on(moment, today, TIMEZONE)
    assert on_the_site == (EXPECTED_DAY[name] <= today)
