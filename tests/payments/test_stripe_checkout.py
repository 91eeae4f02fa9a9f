"""Paying for a seat by card: the real inbox over HTTP, the real `stripe` library, a local Stripe
that checks every request against Stripe's published API description, and webhooks signed the
way Stripe signs them."""

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

from payment_helpers import (
    JSON,
    WEBHOOK_SECRET,
    mail_to,
    payment,
    person,
    registration,
    session_for,
    sweep_at,
)

REGISTER = "/workshops/{slug}/registrations"


def register(http, inbox, slug="the-arc", **fields):
    return http.post(inbox.url + REGISTER.format(slug=slug), data=fields, headers=JSON)


def test_registering_holds_the_seats_and_opens_a_checkout_for_the_right_amount(
    paying_inbox, stripe_double, http, inbox_now
):
    form = http.post(
        paying_inbox.url + "/workshops/the-arc/registrations",
        data=person(1, seats="2", email="Ana@Example.org"),
    )
    assert form.status_code == 303
    held = payment(paying_inbox, "ana@example.org")
    # The page says the seat is held; the way to pay goes to the address only, by e-mail.
    assert form.headers["location"].endswith("/workshops/the-arc/#held")
    assert "checkout" not in form.text.lower()
    told = mail_to(paying_inbox, "ana@example.org", "please pay by")
    assert held["checkout_url"] in told.get_body(("plain",)).get_content()
    assert (held["status"], held["method"], held["seats"]) == ("held", "stripe", 2)
    assert (held["amount"], held["currency"]) == (100000, "USD")
    [create] = stripe_double.requests_to("/v1/checkout/sessions")
    assert create.idempotency_key == f"letterpress-hold-{held['id']}"
    [item] = create.params["line_items"]
    assert item["quantity"] == 2
    assert item["price_data"]["unit_amount"] == 50000
    assert item["price_data"]["currency"] == "usd"
    assert create.params["customer_email"] == "ana@example.org"
    assert create.params["success_url"].endswith("/workshops/the-arc/#paid")
    # The hold lasts hold_minutes (30); Stripe's session ends with it, give or take Stripe's
    # two-minute margin for clocks that disagree.
    deadline = dt.datetime.fromisoformat(held["hold_until"])
    assert dt.timedelta(minutes=29) < deadline - inbox_now() <= dt.timedelta(minutes=30)
    expires = dt.datetime.fromtimestamp(create.params["expires_at"], dt.UTC)
    assert dt.timedelta(0) <= expires - deadline <= dt.timedelta(minutes=3)
    assert registration(paying_inbox, "ana@example.org")["status"] == "confirmed"


def test_a_paid_session_confirms_the_seat_once_however_often_its_event_comes(
    paying_inbox, stripe_double, http
):
    answer = register(http, paying_inbox, **person(2))
    assert answer.json()["status"] == "held"
    session = session_for(stripe_double, paying_inbox, "person2@example.org")
    paid = stripe_double.pay(session["id"])
    event = stripe_double.event("checkout.session.completed", paid)
    # Stripe delivers at least once: here five times, three of them at the same moment.
    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = list(pool.map(lambda _: stripe_double.deliver(event), range(3)))
    answers += [stripe_double.deliver(event) for _ in range(2)]
    assert [a.status_code for a in answers] == [200] * 5
    outcomes = sorted(a.json()["outcome"] for a in answers)
    assert outcomes == ["already handled"] * 4 + ["confirmed"]
    row = payment(paying_inbox, "person2@example.org")
    assert (row["status"], row["paid_amount"]) == ("paid", 50000)
    assert row["payment_intent"] == stripe_double.sessions[session["id"]]["payment_intent"]
    confirmations = paying_inbox.rows(
        "SELECT COUNT(*) FROM notifications WHERE kind = 'payment' AND key LIKE '%:paid'"
    )
    assert confirmations[0][0] == 1


def test_events_arriving_out_of_order_leave_the_seat_paid(paying_inbox, stripe_double, http):
    # A bank debit: Checkout completes unpaid, the money arrives later. Stripe's events about it
    # come in the wrong order, and a stale one after both.
    assert register(http, paying_inbox, **person(3)).json()["status"] == "held"
    session_id = session_for(stripe_double, paying_inbox, "person3@example.org")["id"]
    unpaid = stripe_double.pay(session_id, paid=False)
    completed = stripe_double.event("checkout.session.completed", unpaid)
    settled = stripe_double.event(
        "checkout.session.async_payment_succeeded", stripe_double.settle(session_id)
    )
    assert stripe_double.deliver(settled).json()["outcome"] == "confirmed"
    assert stripe_double.deliver(completed).json()["outcome"].startswith("nothing to do")
    stale = stripe_double.event("checkout.session.expired", {**unpaid, "status": "expired"})
    assert stripe_double.deliver(stale).json()["outcome"].startswith("nothing to do")
    assert payment(paying_inbox, "person3@example.org")["status"] == "paid"
    assert registration(paying_inbox, "person3@example.org")["status"] == "confirmed"

    # And a session completed unpaid, whose money has not come yet, confirms nothing.
    assert register(http, paying_inbox, **person(4)).json()["status"] == "held"
    waiting = session_for(stripe_double, paying_inbox, "person4@example.org")["id"]
    unpaid = stripe_double.pay(waiting, paid=False)
    early = stripe_double.event("checkout.session.completed", unpaid)
    assert stripe_double.deliver(early).json()["outcome"] == "not paid yet"
    assert payment(paying_inbox, "person4@example.org")["status"] == "held"


def test_a_forged_or_replayed_signature_changes_nothing(paying_inbox, stripe_double, http):
    assert register(http, paying_inbox, **person(5)).json()["status"] == "held"
    session_id = session_for(stripe_double, paying_inbox, "person5@example.org")["id"]
    event = stripe_double.event("checkout.session.completed", stripe_double.pay(session_id))
    forged = stripe_double.deliver(event, secret="whsec_someone_else")
    assert forged.status_code == 400
    assert "does not verify" in forged.json()["error"]
    replayed = stripe_double.deliver(event, timestamp=int(time.time()) - 3600)
    assert replayed.status_code == 400
    unsigned = http.post(stripe_double.webhook_url, content=b"{}", headers=JSON)
    assert unsigned.status_code == 400
    assert payment(paying_inbox, "person5@example.org")["status"] == "held"
    assert paying_inbox.rows("SELECT COUNT(*) FROM stripe_events")[0][0] == 0
    assert WEBHOOK_SECRET not in paying_inbox.log()
    # The genuine delivery still counts.
    assert stripe_double.deliver(event).json()["outcome"] == "confirmed"


def test_an_expired_hold_racing_a_late_payment_is_refunded_and_the_person_told(
    paying_inbox, stripe_double, http, inbox_now
):
    first = register(http, paying_inbox, "one-seat", **person(6)).json()
    second = register(http, paying_inbox, "one-seat", **person(7)).json()
    assert (first["status"], second["status"]) == ("held", "waitlisted")
    session_id = session_for(stripe_double, paying_inbox, "person6@example.org", "one-seat")["id"]
    # The buyer pays at the last moment; Stripe's webhook is slow to arrive, and meanwhile the
    # hold runs out: the seat goes to the next in line, who gets a hold and a link of their own.
    paid = stripe_double.pay(session_id)
    swept = sweep_at(paying_inbox, inbox_now() + dt.timedelta(minutes=31))
    assert swept["released"] == 1
    assert payment(paying_inbox, "person6@example.org", "one-seat")["status"] == "expired"
    promoted = payment(paying_inbox, "person7@example.org", "one-seat")
    assert promoted["status"] == "held" and promoted["checkout_url"]
    # Now the payment's event arrives: the seat is someone else's, so the money goes back.
    answer = stripe_double.deliver(stripe_double.event("checkout.session.completed", paid))
    assert answer.json()["outcome"] == "refunded: the seats had gone to someone else"
    late = payment(paying_inbox, "person6@example.org", "one-seat")
    assert (late["status"], late["refund_amount"]) == ("refunded", 50000)
    [refund] = stripe_double.refunds_of(paid["payment_intent"])
    assert refund["amount"] == 50000
    [call] = stripe_double.requests_to("/v1/refunds")
    assert call.idempotency_key == f"letterpress-refund-{late['id']}"
    told = paying_inbox.rows(
        "SELECT recipient FROM notifications WHERE kind = 'payment' AND key LIKE '%:late_refund'"
    )
    assert [row[0] for row in told] == ["person6@example.org"]
    # Never oversold: the one seat is held by the second person only.
    taken = paying_inbox.rows(
        "SELECT email FROM registrations WHERE workshop = 'one-seat' AND status = 'confirmed'"
    )
    assert [row[0] for row in taken] == ["person7@example.org"]


def test_a_repeated_paid_registration_is_answered_as_a_new_one(paying_inbox, stripe_double, http):
    """No oracle: the answer (page or JSON) to a registration for a paid workshop is the same
    whether or not the address had registered, and the repeat opens no second payment."""
    url = paying_inbox.url + REGISTER.format(slug="the-arc")
    pages = [http.post(url, data=person(n)) for n in (8, 8, 9)]
    assert {(page.status_code, page.headers["location"]) for page in pages} == {
        (303, pages[0].headers["location"])
    }
    assert pages[0].headers["location"].endswith("/workshops/the-arc/#held")
    answers = [register(http, paying_inbox, **person(n)).json() for n in (8, 10)]
    assert answers[0] == answers[1] == {"workshop": "the-arc", "status": "held", "seats": 1}
    assert len(stripe_double.requests_to("/v1/checkout/sessions")) == 3  # 8, 9 and 10 once each
    assert payment(paying_inbox, "person8@example.org")["status"] == "held"
