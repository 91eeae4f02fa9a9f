"""Who gets a seat: the pure decisions the inbox runs inside its transaction."""

import datetime as dt

from letterpress.workshops.seats import Waiting, decide, promotions, state_now


def test_seats_are_confirmed_while_they_fit_and_nobody_waits():
    assert decide(capacity=12, seats_taken=10, someone_waiting=False, seats_wanted=2) == "confirmed"
    assert (
        decide(capacity=12, seats_taken=11, someone_waiting=False, seats_wanted=2) == "waitlisted"
    )
    assert (
        decide(capacity=12, seats_taken=12, someone_waiting=False, seats_wanted=1) == "waitlisted"
    )


def test_nobody_jumps_the_waiting_list_even_when_a_seat_is_free():
    assert decide(capacity=12, seats_taken=11, someone_waiting=True, seats_wanted=1) == "waitlisted"


def test_freed_seats_go_to_those_waiting_in_order():
    line = [Waiting("a", 1), Waiting("b", 1), Waiting("c", 1)]
    assert promotions(capacity=12, seats_taken=10, waiting=line) == ["a", "b"]
    assert promotions(capacity=12, seats_taken=12, waiting=line) == []


def test_someone_wanting_more_seats_than_are_free_keeps_their_place_without_blocking_others():
    line = [Waiting("pair", 2), Waiting("single", 1), Waiting("late", 1)]
    assert promotions(capacity=12, seats_taken=11, waiting=line) == ["single"]
    assert promotions(capacity=12, seats_taken=10, waiting=line) == ["pair"]


def test_the_inbox_closes_a_workshop_that_has_begun_and_calls_it_past_once_over():
    start = dt.datetime(2027, 5, 14, 16, tzinfo=dt.UTC)
    end = dt.datetime(2027, 5, 16, 0, tzinfo=dt.UTC)
    before = dt.datetime(2027, 5, 1, tzinfo=dt.UTC)
    assert state_now("open", start, end, before) == "open"
    assert state_now("waitlist", start, end, before) == "waitlist"
    assert state_now("open", start, end, start + dt.timedelta(hours=1)) == "closed"
    assert state_now("open", start, end, end) == "past"
    assert state_now("past", start, end, before) == "past"
