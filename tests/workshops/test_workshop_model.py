"""The workshop file format, its errors, and the registration state on a given day."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from workshop_helpers import make_workshop, workshop_text

from letterpress.workshops import (
    WorkshopError,
    block_workshop,
    parse_workshop,
    past,
    read_workshops,
    state,
    upcoming,
)
from tests.support import ROOT

D = dt.date


def test_a_workshop_file_gives_an_aware_workshop_with_price_seats_and_place(arc):
    assert arc.slug == "the-arc"
    assert arc.url == "workshops/the-arc/"
    assert arc.start.isoformat() == "2027-05-14T09:00:00-07:00"
    assert arc.end.isoformat() == "2027-05-15T17:00:00-07:00"
    assert (arc.price, arc.currency, arc.price_text) == (Decimal(500), "USD", "$500 USD")
    assert arc.seats == 12
    assert arc.max_seats_per_registration == 2
    assert arc.date_range == "May 14–15, 2027"
    assert arc.place == "The Loft, 311 Occidental Avenue South, Seattle, WA 98104, US"
    assert arc.body.strip() == "The description, in *Markdown*."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"Title": None}, "field 'Title' is missing"),
        ({"Seats": "twelve"}, "field 'Seats' 'twelve' is not a whole number"),
        ({"Seats": "0"}, "field 'Seats' must be at least 1"),
        ({"Price": "500"}, "field 'Price' '500' should be an amount and an ISO currency code"),
        ({"Price": "five USD"}, "field 'Price' 'five' is not an amount"),
        ({"Start": "May 14"}, "field 'Start' 'May 14' should be a local date and time"),
        ({"End": "2027-05-13 17:00"}, "field 'End' must come after 'Start'"),
        ({"Timezone": "Pacific/Nowhere"}, "field 'Timezone' 'Pacific/Nowhere' is not an IANA"),
        ({"Registration": "maybe"}, "field 'Registration' 'maybe' is not one of open, waitlist"),
        ({"Seats_Per_Registration": "20"}, "'Seats-Per-Registration' (20) is more than 'Seats'"),
        ({"Colour": "red"}, "unknown field 'colour'"),
        ({"Hours": "daily", "End": "2027-05-15 08:00"}, "End's time of day must come after"),
        ({"Slug": "The Arc"}, "field 'Slug' 'The Arc' should be lower-case"),
    ],
)
def test_a_mistake_names_the_file_and_the_field(changes, message):
    with pytest.raises(WorkshopError) as error:
        make_workshop(**changes)
    assert str(error.value).startswith("content/workshops/the-arc.md: ")
    assert message in str(error.value)


def test_a_header_line_without_a_colon_names_its_line():
    text = "Title: The Arc\nthis is not a field\n\nBody\n"
    with pytest.raises(WorkshopError, match=r"the-arc\.md, line 2: expected 'Field: value'"):
        parse_workshop(
            text, "content/workshops/the-arc.md", default_slug="x", default_timezone="UTC"
        )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 11, 26), "open"),
        (D(2027, 5, 13), "open"),
        (D(2027, 5, 14), "closed"),  # it has begun: no registering on the day
        (D(2027, 5, 15), "closed"),
        (D(2027, 5, 16), "past"),
    ],
)
def test_the_state_follows_the_calendar(arc, today, expected):
    assert state(arc, today) == expected


def test_the_author_can_close_registration_or_open_the_waiting_list_only():
    today = D(2026, 11, 26)
    assert state(make_workshop(Registration="closed"), today) == "closed"
    assert state(make_workshop(Registration="waitlist"), today) == "waitlist"
    assert state(make_workshop(Status="cancelled"), today) == "closed"
    # Past beats everything the author wrote: it closes itself.
    assert state(make_workshop(Registration="waitlist"), D(2027, 6, 1)) == "past"


def test_listings_split_upcoming_from_past_and_the_block_shows_the_next_open_one():
    arc = make_workshop()
    later = make_workshop("later", Start="2027-09-01 09:00", End="2027-09-02 17:00")
    full = make_workshop(
        "full", Start="2027-02-01 09:00", End="2027-02-02 17:00", Registration="waitlist"
    )
    done = make_workshop("done", Start="2026-05-30 09:00", End="2026-06-01 17:00")
    everything = [later, done, arc, full]
    today = D(2026, 11, 26)
    assert [w.slug for w in upcoming(everything, today)] == ["full", "the-arc", "later"]
    assert [w.slug for w in past(everything, today)] == ["done"]
    assert block_workshop(everything, today, "next") is arc
    assert block_workshop(everything, today, "later") is later
    assert block_workshop(everything, today, "off") is None
    assert block_workshop(everything, today, "done") is None  # a stale pin shows nothing
    with pytest.raises(WorkshopError, match="WORKSHOPS\\['block'\\] = 'nope' is not a workshop"):
        block_workshop(everything, today, "nope")


def test_reading_a_folder_checks_brochures_and_slugs(tmp_path: Path):
    folder = tmp_path / "workshops"
    folder.mkdir()
    (folder / "the-arc.md").write_text(workshop_text(Brochure="{static}/files/missing.pdf"))
    with pytest.raises(WorkshopError, match=r"field 'Brochure' points at files/missing\.pdf"):
        read_workshops(folder, tmp_path, default_timezone="UTC")
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "missing.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "copy.md").write_text(workshop_text(Slug="the-arc"))
    with pytest.raises(WorkshopError, match="slug 'the-arc' is already used by"):
        read_workshops(folder, tmp_path, default_timezone="UTC")
    (folder / "copy.md").unlink()
    [arc] = read_workshops(folder, tmp_path, default_timezone="UTC")
    assert arc.brochure == "files/missing.pdf"


def test_the_readme_example_is_a_valid_workshop_file():
    readme = (ROOT / "docs" / "authoring.md").read_text("utf-8")
    section = readme.split("## Workshops", 1)[1]
    example = section.split("```\n", 2)[1]
    workshop = parse_workshop(
        example, "docs/authoring.md", default_slug="the-arc", default_timezone="America/Los_Angeles"
    )
    assert (workshop.title, workshop.seats, workshop.price_text) == ("The Arc", 12, "$500 USD")
