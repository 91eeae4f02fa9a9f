"""Without Stripe: a seat with a price is held while the person pays by transfer, the e-mail
carries the workshop's payment instructions, a reminder goes out a day before the hold ends, and
`invoke workshops.paid` confirms the seat."""

import datetime as dt

from payment_helpers import JSON, mail_to, payment, person, registration, sweep_at

from tests.support import run_invoke


def test_a_transfer_holds_the_seat_reminds_and_is_confirmed_by_the_author(
    invoice_inbox, http, inbox_now
):
    answer = http.post(
        invoice_inbox.url + "/workshops/the-arc/registrations", data=person(1, seats="2")
    )
    assert answer.status_code == 303
    assert answer.headers["location"].endswith("/workshops/the-arc/#held")
    held = payment(invoice_inbox, "person1@example.org")
    assert (held["method"], held["status"], held["amount"]) == ("invoice", "held", 100000)
    ends = dt.datetime.fromisoformat(held["hold_until"])
    assert dt.timedelta(days=6, hours=23) < ends - inbox_now() <= dt.timedelta(days=7)
    told = mail_to(invoice_inbox, "person1@example.org", "please pay by").get_body(("plain",))
    assert "Bank transfer against our invoice; reference THE-ARC." in told.get_content()
    assert "pay $1,000 USD as follows" in told.get_content()

    # Nothing is due yet; a day before the hold ends, one reminder, however often the sweep runs.
    assert sweep_at(invoice_inbox, inbox_now() + dt.timedelta(days=5))["reminders"] == 0
    late = ends - dt.timedelta(hours=23)
    assert sweep_at(invoice_inbox, late)["reminders"] == 1
    assert sweep_at(invoice_inbox, late + dt.timedelta(minutes=5))["reminders"] == 0
    reminder = mail_to(invoice_inbox, "person1@example.org", "Reminder")
    assert "we have not yet received your payment" in reminder.get_body(("plain",)).get_content()

    result = run_invoke(
        "workshops.paid", "the-arc", "Person1@Example.org", env=invoice_inbox.env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Recorded $1,000 USD from person1@example.org for the-arc" in result.stdout
    assert payment(invoice_inbox, "person1@example.org")["status"] == "paid"
    # A paid seat is never released, even after its hold's old deadline.
    assert sweep_at(invoice_inbox, ends + dt.timedelta(days=1))["released"] == 0
    assert registration(invoice_inbox, "person1@example.org")["status"] == "confirmed"
    again = run_invoke("workshops.paid", "the-arc", "person1@example.org", env=invoice_inbox.env)
    assert again.returncode == 1
    assert "owes nothing for 'the-arc' (paid)" in again.stderr


def test_an_unpaid_transfer_hold_ends_and_its_seat_goes_to_the_next_in_line(
    invoice_inbox, http, inbox_now
):
    for n in (2, 3):
        http.post(
            invoice_inbox.url + "/workshops/one-seat/registrations", data=person(n), headers=JSON
        )
    ends = dt.datetime.fromisoformat(
        payment(invoice_inbox, "person2@example.org", "one-seat")["hold_until"]
    )
    assert sweep_at(invoice_inbox, ends + dt.timedelta(minutes=1))["released"] == 1
    assert payment(invoice_inbox, "person2@example.org", "one-seat")["status"] == "expired"
    promoted = payment(invoice_inbox, "person3@example.org", "one-seat")
    assert (promoted["status"], promoted["method"]) == ("held", "invoice")
    expired = mail_to(invoice_inbox, "person2@example.org", "has ended")
    assert "Nothing was charged" in expired.get_body(("plain",)).get_content()
    late = run_invoke("workshops.paid", "one-seat", "person2@example.org", env=invoice_inbox.env)
    assert late.returncode == 1
    assert "not paid in time" in late.stderr
