"""What the payment tests share: keys, workshops that cost money, and ways to read the inbox."""

import asyncio
import datetime as dt
import email
import email.policy
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from letterpress.inbox import payment_flow
from letterpress.inbox.config import InboxConfig
from letterpress.inbox.schema import open_inbox
from letterpress.manifest import WorkshopEntry

API_KEY = "sk_test_letterpress_local"
WEBHOOK_SECRET = "whsec_letterpress_local_test"
JSON = {"Accept": "application/json"}


def entry(slug: str, *, seats: int, limit: int, start: str, refund_days=14, price="500"):
    begins = dt.datetime.fromisoformat(start)
    return WorkshopEntry(
        slug=slug,
        title=slug.replace("-", " ").title(),
        url=f"workshops/{slug}/",
        seats=seats,
        max_seats_per_registration=limit,
        state="open",
        start=begins,
        end=begins.replace(hour=17) + dt.timedelta(days=1),
        price=price,
        currency="USD",
        refund_days=refund_days,
        payment_instructions="Bank transfer against our invoice; reference THE-ARC.",
        place="The Loft, 311 Occidental Avenue South, Seattle, WA 98104, US",
        timezone="America/Los_Angeles",
        hours="daily",
    )


WORKSHOPS = {
    "the-arc": entry("the-arc", seats=12, limit=2, start="2027-05-14T09:00:00-07:00"),
    # One seat: whoever holds it keeps everyone else waiting.
    "one-seat": entry("one-seat", seats=1, limit=1, start="2027-05-14T09:00:00-07:00"),
    # Starts within its 14 days of full refunds (the tests' today is 2026-11-26).
    "next-week": entry("next-week", seats=4, limit=1, start="2026-12-03T09:00:00-08:00"),
}


def person(n: int, **extra) -> dict:
    return {"name": f"Person {n}", "email": f"person{n}@example.org", "seats": "1", **extra}


def payment(inbox, email_address: str, workshop: str = "the-arc"):
    rows = inbox.rows(
        "SELECT * FROM payments WHERE workshop = ? AND email = ? ORDER BY id DESC",
        (workshop, email_address),
    )
    return rows[0] if rows else None


def registration(inbox, email_address: str, workshop: str = "the-arc"):
    [row] = inbox.rows(
        "SELECT * FROM registrations WHERE workshop = ? AND email = ?", (workshop, email_address)
    )
    return row


def config_of(inbox) -> InboxConfig:
    return InboxConfig.from_environ(inbox.env)


def sweep_at(inbox, now: dt.datetime, workshops=None) -> dict:
    """Run the inbox's sweep from outside the server, against its database file, at `now`
    (as a task on the same machine would): holds due at `now` are released."""
    config = config_of(inbox)
    db = open_inbox(inbox.db_path)
    sweep = payment_flow.sweep(db, config, workshops or WORKSHOPS, now, payment_flow.direct)
    try:
        # A loop of its own, in a thread of its own: Playwright's sync API may hold one in this
        # thread when the browser tests share the worker.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, sweep).result()
    finally:
        db.close()


def session_for(stripe, inbox, email_address: str, workshop: str = "the-arc") -> dict:
    """The Checkout Session of the person's hold, as Stripe holds it (its link goes to the
    person by e-mail, never in the inbox's public answer)."""
    return session_of(stripe, payment(inbox, email_address, workshop)["checkout_url"])


def session_of(stripe, checkout_url: str) -> dict:
    return stripe.sessions[checkout_url.rsplit("/", 1)[1]]


def wait_for(condition, timeout: float = 10.0, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def outbox_messages(inbox) -> list[email.message.EmailMessage]:
    folder = Path(inbox.env["LETTERPRESS_BUILD_DIR"]) / "outbox" / "notifications"
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def mail_to(inbox, address: str, subject_has: str, timeout: float = 10.0):
    def found():
        for message in outbox_messages(inbox):
            if address in str(message["To"]) and subject_has in str(message["Subject"]):
                return message
        return None

    return wait_for(found, timeout, f"an e-mail to {address} about {subject_has!r}")
