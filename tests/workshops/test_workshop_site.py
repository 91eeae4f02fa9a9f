"""The workshops in the built sample site (the session `site`, built with today = 2026-11-26)."""

import datetime as dt
import json

import icalendar
from bs4 import BeautifulSoup

ARC = "workshops/the-arc/"
PAST = "workshops/first-hundred-days/"
ESSAY = "essays/2026/09/generative-not-competitive/"


def soup(site, url: str) -> BeautifulSoup:
    return BeautifulSoup(site.page(url).read_text("utf-8"), "html.parser")


def event_json(page: BeautifulSoup) -> dict:
    """The page's schema.org Event (other JSON-LD, such as the SEO plugin's, may sit beside it)."""
    blocks = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    [event] = [b for b in blocks if b.get("@type") == "Event"]
    return event


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_the_workshop_page_announces_dates_times_place_price_and_group_size(site):
    page = soup(site, ARC)
    assert text(page.h1) == "The Arc"
    facts = text(page.select_one(".workshop-facts"))
    assert "May 14–15, 2027" in facts
    assert "9:00 am – 5:00 pm PDT, each day" in facts
    assert "UTC−07:00" in facts
    assert "The Loft at Pioneer Works" in facts
    assert "311 Occidental Avenue South, Seattle, WA 98104" in facts
    assert "$500 USD per seat" in facts
    assert "12 seats: a small group" in facts
    assert page.select_one(".workshop-body h2") is not None  # the Markdown description


def test_the_brochure_link_downloads_a_real_pdf(site):
    link = soup(site, ARC).select_one(".workshop-facts a[download]")
    assert link["href"].endswith("files/the-arc-brochure.pdf")
    pdf = (site.output / "files" / "the-arc-brochure.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    # Every cross-reference entry points at the object it names.
    xref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    lines = pdf[xref:].split(b"\n")[3:10]
    for number, line in enumerate(lines, start=1):
        offset = int(line.split()[0])
        assert pdf[offset:].startswith(b"%d 0 obj" % number)


def test_the_registration_form_posts_to_the_inbox_with_an_unticked_newsletter_box(site):
    page = soup(site, ARC)
    form = page.select_one("form.registration-form")
    assert form["method"] == "post"
    assert form["action"] == "http://127.0.0.1:8001/workshops/the-arc/registrations"
    names = {field["name"] for field in form.select("input, textarea")}
    assert names == {"name", "email", "seats", "phone", "message", "newsletter"}
    seats = form.select_one("input[name=seats]")
    assert (seats["min"], seats["max"]) == ("1", "2")
    newsletter = form.select_one("input[name=newsletter]")
    assert newsletter["type"] == "checkbox"
    assert not newsletter.has_attr("checked")
    assert form.select_one("input[name=name]").has_attr("required")
    assert form.select_one("input[name=phone]").has_attr("required") is False
    for field in form.select("input:not([type=hidden]), textarea"):
        assert form.select_one(f"label[for={field['id']}]") is not None, field["name"]


def test_the_outcome_notices_are_hidden_until_the_inbox_points_at_them(site):
    page = soup(site, ARC)
    assert "seat is confirmed" in text(page.select_one("#registered.notice"))
    assert "holding your seat" in text(page.select_one("#check-email.notice"))
    assert "waiting list" in text(page.select_one("#waitlisted.notice"))
    css = (site.output / "theme" / "css" / "letterpress.css").read_text("utf-8")
    assert ".notice:target { display: block; }" in css


def test_get_in_touch_writes_to_the_author(site):
    link = soup(site, ARC).select_one(".get-in-touch a")
    assert link["href"].startswith("mailto:miriam@letterpress.example?subject=Workshop")


def test_the_page_carries_event_json_ld(site):
    script = soup(site, ARC).select_one(
        'script[type="application/ld+json"]:-soup-contains("Event")'
    )
    data = json.loads(script.string)
    assert data["@type"] == "Event"
    assert data["startDate"] == "2027-05-14T09:00:00-07:00"
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["offers"]["price"] == "500"
    assert data["maximumAttendeeCapacity"] == 12
    assert data["location"]["address"]["addressLocality"] == "Seattle"


def test_a_past_workshop_says_so_and_offers_no_form(site):
    page = soup(site, PAST)
    assert not page.select("form.registration-form")
    assert "took place on May 30 – June 1, 2026 in Portland" in text(page)
    assert page.select_one(".calendar-links") is None
    data = event_json(page)
    assert data["offers"]["availability"] == "https://schema.org/SoldOut"


def test_the_index_lists_upcoming_and_past_apart(site):
    page = soup(site, "workshops/")
    upcoming, past = page.select("ul.workshop-list")
    assert [text(a) for a in upcoming.select("h3 a")] == ["The Arc"]
    assert "May 14–15, 2027 · Seattle · $500 USD" in text(upcoming)
    assert [text(a) for a in past.select("a")] == ["The First Hundred Days"]
    nav = soup(site, ESSAY).select_one("nav[aria-label=Main]")
    assert "Workshops" in [text(a) for a in nav.select("a")]


def test_every_essay_carries_the_block_for_the_next_open_workshop(site):
    essays = sorted((site.output / "essays").glob("20*/*/*/index.html"))
    assert essays
    for path in essays:
        page = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        block = page.select_one("aside.workshop-block")
        assert block is not None, path
        assert text(block.h2) == "The Arc"
        assert "May 14–15, 2027 · Seattle · $500 USD" in text(block)
        assert "First Hundred Days" not in text(block)
        hrefs = [a["href"] for a in block.select("a")]
        assert any(h.endswith("workshops/the-arc/#register") for h in hrefs)
        assert any(h.endswith("files/the-arc-brochure.pdf") for h in hrefs)
        assert any(h.startswith("mailto:miriam@letterpress.example") for h in hrefs)


def test_calendars_hold_upcoming_workshops_at_the_right_instants(site):
    calendar = icalendar.Calendar.from_ical((site.output / "workshops/calendar.ics").read_bytes())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "The Arc"
    assert event.start.astimezone(dt.UTC) == dt.datetime(2027, 5, 14, 16, tzinfo=dt.UTC)
    assert event.end.astimezone(dt.UTC) == dt.datetime(2027, 5, 15, 0, tzinfo=dt.UTC)
    assert event["RRULE"]["COUNT"] == [2]
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Los_Angeles"]
    one = icalendar.Calendar.from_ical((site.output / "workshops/the-arc.ics").read_bytes())
    assert str(one.walk("VEVENT")[0]["UID"]) == str(event["UID"])
    link = soup(site, ARC).select_one(".calendar-links a[download]")
    assert link["href"].endswith("workshops/the-arc.ics")


def test_the_manifest_gives_the_inbox_seats_limits_and_states(site):
    manifest = json.loads((site.output / "letterpress.json").read_text("utf-8"))
    assert manifest["workshops"]["the-arc"] == {
        "title": "The Arc",
        "url": "workshops/the-arc/",
        "seats": 12,
        "max_seats_per_registration": 2,
        "state": "open",
        "start": "2027-05-14T09:00:00-07:00",
        "end": "2027-05-15T17:00:00-07:00",
        "price": "500",
        "currency": "USD",
        "refund_days": 14,
        "payment_instructions": manifest["workshops"]["the-arc"]["payment_instructions"],
        "place": "The Loft at Pioneer Works, 311 Occidental Avenue South, Seattle, WA 98104, US",
        "timezone": "America/Los_Angeles",
        "hours": "daily",
        "ics_url": "workshops/the-arc.ics",
    }
    assert "THE-ARC" in manifest["workshops"]["the-arc"]["payment_instructions"]
    assert manifest["workshops"]["first-hundred-days"]["state"] == "past"
