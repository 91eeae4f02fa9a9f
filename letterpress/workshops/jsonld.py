"""schema.org Event data for a workshop page, as the JSON-LD search engines read.

Built as a dict; the page serialises it with letterpress.seo.json_for_script, as it does the
essays' JSON-LD, so no text in it can end the <script> element that carries it.
"""

from .calendar import page_url
from .model import Workshop

SCHEMA = "https://schema.org/"
# The Offer's availability for each registration state.
AVAILABILITY = {"open": "InStock", "waitlist": "SoldOut", "closed": "SoldOut", "past": "SoldOut"}
EVENT_STATUS = {
    "scheduled": "EventScheduled",
    "cancelled": "EventCancelled",
    "postponed": "EventPostponed",
}


def event_data(
    workshop: Workshop, state: str, *, site_url: str, organizer: str, brochure_url: str = ""
) -> dict:
    """The Event as a plain dict: name, dates with offsets, place, offer, capacity, organiser."""
    url = page_url(workshop, site_url)
    address = {
        "@type": "PostalAddress",
        "streetAddress": workshop.address,
        "addressLocality": workshop.city,
    }
    for key, value in (
        ("addressRegion", workshop.region),
        ("postalCode", workshop.postal_code),
        ("addressCountry", workshop.country),
    ):
        if value:
            address[key] = value
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": workshop.title,
        "description": workshop.summary,
        "url": url,
        "startDate": workshop.start.isoformat(),
        "endDate": workshop.end.isoformat(),
        "eventStatus": SCHEMA + EVENT_STATUS[workshop.status],
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": workshop.venue, "address": address},
        "maximumAttendeeCapacity": workshop.seats,
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": str(workshop.price),
            "priceCurrency": workshop.currency,
            "availability": SCHEMA + AVAILABILITY[state],
        },
        "organizer": {"@type": "Person", "name": organizer, "url": site_url},
        "performer": {"@type": "Person", "name": organizer},
    }
    if brochure_url:
        data["subjectOf"] = {"@type": "DigitalDocument", "url": brochure_url}
    return data
