"""Workshop files written for a test: The Arc with fields replaced or removed."""

import datetime as dt

from letterpress.manifest import WorkshopEntry
from letterpress.workshops import parse_workshop
from tests.support import ADMIN_TOKEN

ARC = """\
Title: The Arc
Start: 2027-05-14 09:00
End: 2027-05-15 17:00
Timezone: America/Los_Angeles
City: Seattle
Venue: The Loft
Address: 311 Occidental Avenue South
Region: WA
Postal-Code: 98104
Country: US
Price: 500 USD
Seats: 12
Summary: Two days on the long shape of a team's work.

The description, in *Markdown*.
"""


def workshop_text(**changes: str | None) -> str:
    """The Arc's file with fields replaced (`Seats="3"`) or removed (`Seats=None`)."""
    lines = []
    header, body = ARC.split("\n\n", 1)
    fields = dict(line.split(": ", 1) for line in header.splitlines())
    for name, value in changes.items():
        key = name.replace("_", "-")
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    lines = [f"{name}: {value}" for name, value in fields.items()]
    return "\n".join(lines) + "\n\n" + body


def make_workshop(slug: str = "the-arc", **changes: str | None):
    return parse_workshop(
        workshop_text(**changes),
        f"content/workshops/{slug}.md",
        default_slug=slug,
        default_timezone="America/Los_Angeles",
    )


ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
JSON = {"Accept": "application/json"}


def manifest_entry(title: str, state: str, seats: int = 12, limit: int = 2) -> WorkshopEntry:
    slug = title.lower().replace(" ", "-")
    return WorkshopEntry(
        slug=slug,
        title=title,
        url=f"workshops/{slug}/",
        seats=seats,
        max_seats_per_registration=limit,
        state=state,
        start=dt.datetime.fromisoformat("2027-05-14T09:00:00-07:00"),
        end=dt.datetime.fromisoformat("2027-05-15T17:00:00-07:00"),
        ics_url=f"workshops/{slug}.ics",  # as the workshops plugin's default writes it
    )


WORKSHOPS = {
    "the-arc": manifest_entry("The Arc", "open"),
    "full-house": manifest_entry("Full House", "waitlist"),
    "shut": manifest_entry("Shut", "closed"),
    "gone": manifest_entry("Gone", "past"),
}


def confirm_link(inbox, email: str, workshop: str = "the-arc") -> str:
    """The link the registration e-mail to `email` carries, made as the inbox makes it (the
    e-mail itself is read in test_seat_holds.py)."""
    import sqlite3

    from letterpress.notify.store import database_secret
    from letterpress.notify.tokens import confirm_url

    [row] = inbox.rows(
        "SELECT id, queue FROM registrations WHERE workshop = ? AND email = lower(?)",
        (workshop, email),
    )
    secret = inbox.env.get("LETTERPRESS_SECRET", "")
    if not secret:  # the database's own, made by whoever needs it first (store.database_secret)
        connection = sqlite3.connect(inbox.db_path, isolation_level=None, timeout=10)
        try:
            secret = database_secret(connection)
        finally:
            connection.close()
    return confirm_url(inbox.url, secret, workshop, row["id"], row["queue"])


def confirm(inbox, http, email: str, workshop: str = "the-arc"):
    """`email` follows the link in their registration e-mail and confirms."""
    answer = http.post(confirm_link(inbox, email, workshop))
    assert answer.status_code == 200, answer.text
    return answer
