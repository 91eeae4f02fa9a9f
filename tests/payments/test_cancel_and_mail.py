"""Cancelling with the signed link in the confirmation, the refund policy, and what the e-mail
says: the real inbox over HTTP, its real sender writing .eml files, and the local Stripe."""

import csv
import datetime as dt
import re

import icalendar
from payment_helpers import (
    JSON,
    mail_to,
    payment,
    person,
    registration,
    session_for,
    sweep_at,
)

from tests.support import run_invoke


def buy(http, inbox, stripe, who: dict, slug: str = "the-arc") -> dict:
    """Register and pay; returns the session as Stripe holds it."""
    answer = http.post(inbox.url + f"/workshops/{slug}/registrations", data=who, headers=JSON)
    assert answer.status_code == 201
    session = session_for(stripe, inbox, who["email"].lower(), slug)
    paid = stripe.pay(session["id"])
    assert stripe.deliver(stripe.event("checkout.session.completed", paid)).status_code == 200
    return paid


def cancel_link(message, inbox) -> str:
    """The cancel link in the e-mail, aimed at this test's inbox (the e-mail names the public
    inbox_url, here the settings' default)."""
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"http://\S+/workshops/cancel\?\S+", text)[0]
    assert link.startswith("http://127.0.0.1:8001/workshops/cancel?r=")
    return inbox.url + link.removeprefix("http://127.0.0.1:8001")


def test_the_confirmation_says_what_matters_and_carries_one_event_per_day(
    paying_inbox, stripe_double, http
):
    buy(http, paying_inbox, stripe_double, person(1, seats="2", name="Ana Müller"))
    message = mail_to(paying_inbox, "person1@example.org", "is confirmed")
    text = message.get_body(("plain",)).get_content()
    assert "confirmed: 2 seats, $1,000 USD paid by card" in text
    assert "Friday, May 14, 2027: 9:00 am – 5:00 pm PDT" in text
    assert "Saturday, May 15, 2027: 9:00 am – 5:00 pm PDT" in text
    assert "Where: The Loft, 311 Occidental Avenue South, Seattle, WA 98104, US" in text
    assert "Cancel by April 30, 2027 (14 days before the workshop) for a full refund" in text
    assert cancel_link(message, paying_inbox)
    html = message.get_body(("html",)).get_content()
    assert "Ana Müller" in html and "Cancel your registration" in html
    [attachment] = [part for part in message.iter_attachments()]
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("charset") == "utf-8"
    assert attachment.get_param("method") == "PUBLISH"
    calendar = icalendar.Calendar.from_ical(attachment.get_payload(decode=True))
    events = calendar.walk("VEVENT")
    assert [str(e["DTSTART"].params["TZID"]) for e in events] == ["America/Los_Angeles"] * 2
    assert [e.decoded("DTSTART").isoformat() for e in events] == [
        "2027-05-14T09:00:00-07:00",
        "2027-05-15T09:00:00-07:00",
    ]
    assert [e.decoded("DTEND").hour for e in events] == [17, 17]
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "America/Los_Angeles"
    # The hold's e-mail came first, with the link to pay and its deadline.
    hold = mail_to(paying_inbox, "person1@example.org", "please pay by")
    assert "/pay/cs_test_" in hold.get_body(("plain",)).get_content()


def test_cancelling_inside_the_policy_refunds_and_gives_the_seat_to_the_next_in_line(
    paying_inbox, stripe_double, http
):
    paid = buy(http, paying_inbox, stripe_double, person(2), "one-seat")
    waiting = http.post(
        paying_inbox.url + "/workshops/one-seat/registrations", data=person(3), headers=JSON
    )
    assert waiting.json()["status"] == "waitlisted"
    link = cancel_link(mail_to(paying_inbox, "person2@example.org", "is confirmed"), paying_inbox)
    page = http.get(link)
    assert page.status_code == 200
    assert "$500 USD will be refunded to your card" in page.text
    assert "go to the first person waiting" in page.text
    assert payment(paying_inbox, "person2@example.org", "one-seat")["status"] == "paid"  # a look
    done = http.post(link)
    assert done.status_code == 200 and "Done." in done.text
    [refund] = stripe_double.refunds_of(paid["payment_intent"])
    assert refund["amount"] == 50000
    cancelled = payment(paying_inbox, "person2@example.org", "one-seat")
    assert (cancelled["status"], cancelled["refund_amount"]) == ("refunded", 50000)
    assert registration(paying_inbox, "person3@example.org", "one-seat")["status"] == "confirmed"
    promoted = payment(paying_inbox, "person3@example.org", "one-seat")
    assert promoted["status"] == "held" and promoted["checkout_url"]
    told = mail_to(paying_inbox, "person3@example.org", "please pay by")
    assert "a seat has become free" in told.get_body(("plain",)).get_content()
    # The link did its work once; it is no longer valid.
    assert http.get(link).status_code == 404
    assert http.post(link).status_code == 404
    assert http.get(link.replace("t=", "t=x")).status_code == 404


def test_cancelling_outside_the_policy_says_so_before_confirming_and_refunds_nothing(
    paying_inbox, stripe_double, http
):
    buy(http, paying_inbox, stripe_double, person(4), "next-week")
    link = cancel_link(mail_to(paying_inbox, "person4@example.org", "is confirmed"), paying_inbox)
    page = http.get(link)
    assert "Outside the refund policy" in page.text
    assert "nothing is refunded" in page.text
    http.post(link)
    assert payment(paying_inbox, "person4@example.org", "next-week")["status"] == "cancelled"
    assert stripe_double.refunds == []
    told = mail_to(paying_inbox, "person4@example.org", "is cancelled")
    assert "nothing is refunded" in told.get_body(("plain",)).get_content()


def test_the_author_cancels_with_or_without_a_refund_and_reads_the_money_in_the_roster(
    paying_inbox, stripe_double, http, tmp_path
):
    for n in (5, 6, 7):
        buy(http, paying_inbox, stripe_double, person(n), "next-week")
    env = {**paying_inbox.env, "COLUMNS": "220"}
    refunded = run_invoke(
        "workshops.cancel", "next-week", "person5@example.org", "--refund", env=env, timeout=60
    )
    assert refunded.returncode == 0, refunded.stderr
    assert "Refunded $500 USD to the card it was paid with." in refunded.stdout
    kept = run_invoke(
        "workshops.cancel", "next-week", "person6@example.org", "--no-refund", env=env, timeout=60
    )
    assert kept.returncode == 0, kept.stderr
    assert "Nothing refunded" in kept.stdout
    held = http.post(
        paying_inbox.url + "/workshops/next-week/registrations", data=person(8), headers=JSON
    )
    assert held.json()["status"] == "held"
    export = tmp_path / "roster.csv"
    roster = run_invoke("workshops.roster", "next-week", "--csv", str(export), env=env, timeout=60)
    assert roster.returncode == 0, roster.stderr
    assert "Next Week: 2 of 4 seats taken (1 paid), 0 waiting" in roster.stdout
    caption = "Received $1,500 USD · refunded $500 USD · net $1,000 USD · still owed $500 USD"
    assert caption in roster.stdout, roster.stdout
    rows = {r["email"]: r for r in csv.DictReader(export.open(encoding="utf-8"))}
    assert (rows["person5@example.org"]["status"], rows["person5@example.org"]["refunded"]) == (
        "refunded",
        "500.00",
    )
    assert rows["person6@example.org"]["status"] == "cancelled"
    assert (rows["person7@example.org"]["status"], rows["person7@example.org"]["amount"]) == (
        "paid",
        "500.00",
    )
    assert (rows["person8@example.org"]["status"], rows["person8@example.org"]["method"]) == (
        "held",
        "stripe",
    )


def test_a_reminder_goes_to_each_paid_seat_a_week_before_and_only_once(
    paying_inbox, stripe_double, http, inbox_now
):
    buy(http, paying_inbox, stripe_double, person(9), "next-week")
    unpaid = http.post(
        paying_inbox.url + "/workshops/next-week/registrations", data=person(10), headers=JSON
    )
    assert unpaid.json()["status"] == "held"
    # next-week starts on December 3 at 9:00 PST; reminder_days is 7.
    assert sweep_at(paying_inbox, inbox_now())["upcoming"] == 0
    week_before = inbox_now() + dt.timedelta(hours=6)
    assert sweep_at(paying_inbox, week_before)["upcoming"] == 1
    assert sweep_at(paying_inbox, week_before + dt.timedelta(hours=1))["upcoming"] == 0
    reminder = mail_to(paying_inbox, "person9@example.org", "A reminder")
    assert reminder["Subject"] == "A reminder: “Next Week” is on Thursday, December 3, 2026"
    text = reminder.get_body(("plain",)).get_content()
    assert "Thursday, December 3, 2026: 9:00 am – 5:00 pm PST" in text
    assert "/workshops/cancel?r=" in text
    assert [p.get_content_type() for p in reminder.iter_attachments()] == ["text/calendar"]
    sent = paying_inbox.rows(
        "SELECT recipient FROM notifications WHERE key LIKE 'next-week:%:upcoming'"
    )
    assert [row[0] for row in sent] == ["person9@example.org"]  # the unpaid hold gets none


def test_forgetting_a_person_keeps_the_books_but_not_who_paid(paying_inbox, stripe_double, http):
    buy(http, paying_inbox, stripe_double, person(11))
    exported = run_invoke("people.export", "person11@example.org", env=paying_inbox.env)
    assert exported.returncode == 0, exported.stderr
    assert '"paid_amount": 50000' in exported.stdout
    forgot = run_invoke("people.forget", "person11@example.org", "--yes", env=paying_inbox.env)
    assert forgot.returncode == 0, forgot.stderr
    rows = paying_inbox.rows("SELECT email, status, paid_amount FROM payments")
    assert [(r["status"], r["paid_amount"]) for r in rows] == [("paid", 50000)]
    assert rows[0]["email"].startswith("forgotten-")
    assert (
        paying_inbox.rows("SELECT COUNT(*) FROM payments WHERE email LIKE '%person11%'")[0][0] == 0
    )
