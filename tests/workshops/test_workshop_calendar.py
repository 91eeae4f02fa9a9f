"""Calendar files parse back with icalendar at the right instants; JSON-LD has what search
engines require of an Event."""

import datetime as dt
import json

import icalendar
from workshop_helpers import make_workshop

from letterpress.seo import json_for_script
from letterpress.workshops import (
    calendar_bytes,
    event_data,
    event_uid,
    google_calendar_link,
)

SITE = "https://letterpress.example"
STAMP = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def test_an_ics_event_carries_the_right_utc_instants_place_url_and_a_stable_uid(arc):
    calendar = parse(calendar_bytes([arc], site_url=SITE, name="Workshops", stamp=STAMP))
    [event] = calendar.walk("VEVENT")
    # 9:00 in Seattle in May (PDT, UTC−7) is 16:00 UTC; 17:00 on the 15th is 00:00 on the 16th.
    assert event.start.astimezone(dt.UTC) == dt.datetime(2027, 5, 14, 16, 0, tzinfo=dt.UTC)
    assert event.end.astimezone(dt.UTC) == dt.datetime(2027, 5, 16, 0, 0, tzinfo=dt.UTC)
    assert event["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert str(event["UID"]) == "workshop-the-arc@letterpress.example"
    assert str(event["URL"]) == "https://letterpress.example/workshops/the-arc/"
    assert "311 Occidental Avenue South" in str(event["LOCATION"])
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_calendar_holds_a_vtimezone_for_every_zone_it_uses():
    arc = make_workshop()
    london = make_workshop(
        "london", Timezone="Europe/London", Start="2027-10-30 09:00", End="2027-10-31 17:00"
    )
    calendar = parse(calendar_bytes([arc, london], site_url=SITE, name="All", stamp=STAMP))
    zones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    # In name order, whatever the hash seed, so every build writes the same bytes.
    assert zones == ["America/Los_Angeles", "Europe/London"]
    event = next(e for e in calendar.walk("VEVENT") if "london" in str(e["UID"]))
    # The clocks go back in London on October 31, 2027 at 02:00 BST: 17:00 is GMT (UTC+0).
    assert event.start.astimezone(dt.UTC) == dt.datetime(2027, 10, 30, 8, 0, tzinfo=dt.UTC)
    assert event.end.astimezone(dt.UTC) == dt.datetime(2027, 10, 31, 17, 0, tzinfo=dt.UTC)


def test_the_same_workshops_make_the_same_bytes_and_uids_do_not_depend_on_details(arc):
    first = calendar_bytes([arc], site_url=SITE, name="Workshops", stamp=STAMP)
    assert first == calendar_bytes([arc], site_url=SITE, name="Workshops", stamp=STAMP)
    moved = make_workshop(Start="2027-06-01 09:00", End="2027-06-02 17:00", Title="Renamed")
    assert event_uid(moved, SITE) == event_uid(arc, SITE)


def test_a_cancelled_workshop_is_cancelled_in_calendars():
    cancelled = make_workshop(Status="cancelled")
    [event] = parse(calendar_bytes([cancelled], site_url=SITE, name="W", stamp=STAMP)).walk(
        "VEVENT"
    )
    assert str(event["STATUS"]) == "CANCELLED"


def test_daily_hours_make_one_event_repeating_each_day_from_9_to_5():
    daily = make_workshop(Hours="daily")
    assert daily.time_span == "9:00 am – 5:00 pm PDT, each day"
    [event] = parse(calendar_bytes([daily], site_url=SITE, name="W", stamp=STAMP)).walk("VEVENT")
    assert event.start.astimezone(dt.UTC) == dt.datetime(2027, 5, 14, 16, 0, tzinfo=dt.UTC)
    assert event.end.astimezone(dt.UTC) == dt.datetime(2027, 5, 15, 0, 0, tzinfo=dt.UTC)
    assert event["RRULE"]["FREQ"] == ["DAILY"]
    assert event["RRULE"]["COUNT"] == [2]
    link = google_calendar_link(daily, SITE)
    assert "dates=20270514T160000Z%2F20270515T000000Z" in link
    assert "recur=RRULE%3AFREQ%3DDAILY%3BCOUNT%3D2" in link


def test_the_google_calendar_link_carries_the_utc_span(arc):
    link = google_calendar_link(arc, SITE)
    assert "dates=20270514T160000Z%2F20270516T000000Z" in link
    assert "ctz=America%2FLos_Angeles" in link


def test_json_ld_describes_an_event_with_offer_place_dates_with_offsets_and_capacity(arc):
    event = event_data(arc, "open", site_url=SITE, organizer="M. Okafor")
    data = json.loads(json_for_script(event))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "The Arc"
    assert data["startDate"] == "2027-05-14T09:00:00-07:00"
    assert data["endDate"] == "2027-05-15T17:00:00-07:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["maximumAttendeeCapacity"] == 12
    place = data["location"]
    assert place["@type"] == "Place"
    assert place["name"] == "The Loft"
    assert place["address"]["addressLocality"] == "Seattle"
    assert place["address"]["streetAddress"] == "311 Occidental Avenue South"
    offer = data["offers"]
    assert (offer["@type"], offer["price"], offer["priceCurrency"]) == ("Offer", "500", "USD")
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["url"] == "https://letterpress.example/workshops/the-arc/"


def test_json_ld_availability_follows_the_registration_state(arc):
    def availability(state):
        return event_data(arc, state, site_url=SITE, organizer="M")["offers"]["availability"]

    assert availability("waitlist") == "https://schema.org/SoldOut"
    assert availability("past") == "https://schema.org/SoldOut"


def test_json_ld_text_cannot_close_its_script_element():
    sneaky = make_workshop(Summary="Ends here </script><script>alert(1)</script>")
    text = json_for_script(event_data(sneaky, "open", site_url=SITE, organizer="M"))
    assert "</" not in text
    assert json.loads(text)["description"] == "Ends here </script><script>alert(1)</script>"
