"""A hundred buyers for twelve seats at once, over HTTP on loopback, with Stripe's webhooks
delivered twice, out of order, forged and late: never oversold, never charged without a seat.

    .venv/bin/pytest tests/payments/test_concurrent_buyers.py -q -n 0 -s

prints the figures (docs/workshops.md quotes them).
"""

import asyncio
import datetime as dt
import random
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from payment_helpers import JSON, person, session_of, sweep_at

pytestmark = pytest.mark.slow

BUYERS = 100
SEATS = 12


async def _all_at_once(url: str, people: list[dict]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(people), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        return await asyncio.gather(
            *(client.post("/workshops/the-arc/registrations", data=p, headers=JSON) for p in people)
        )


def register_all(url: str, people: list[dict]) -> list[httpx.Response]:
    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop of its own, whatever runs here
        return pool.submit(asyncio.run, _all_at_once(url, people)).result()


def seats_confirmed(inbox) -> int:
    return inbox.rows(
        "SELECT COALESCE(SUM(seats), 0) FROM registrations"
        " WHERE workshop = 'the-arc' AND status = 'confirmed'"
    )[0][0]


def test_100_buyers_for_12_seats_never_oversold_never_charged_without_a_seat(
    paying_inbox, stripe_double, inbox_now
):
    figures = {}
    began = time.perf_counter()
    answers = register_all(paying_inbox.url, [person(n) for n in range(BUYERS)])
    figures["register_s"] = time.perf_counter() - began
    assert [a.status_code for a in answers] == [201] * BUYERS
    held = [a.json() for a in answers if a.json()["status"] == "held"]
    assert len(held) == SEATS
    assert Counter(a.json()["status"] for a in answers)["waitlisted"] == BUYERS - SEATS
    assert len(stripe_double.requests_to("/v1/checkout/sessions")) == SEATS
    assert len(stripe_double.sessions) == SEATS
    assert seats_confirmed(paying_inbox) == SEATS

    # Ten pay; two walk away from Stripe's page. Every event is delivered twice, all in a random
    # order and at once, with a forged copy of each and a stale "expired" for each paid session.
    rows = paying_inbox.rows("SELECT checkout_url FROM payments WHERE status = 'held' ORDER BY id")
    sessions = [session_of(stripe_double, row["checkout_url"]) for row in rows]
    paying, walking = sessions[:10], sessions[10:]
    deliveries = []
    for session in paying:
        paid = stripe_double.pay(session["id"])
        event = stripe_double.event("checkout.session.completed", paid)
        stale = stripe_double.event("checkout.session.expired", {**paid, "status": "expired"})
        deliveries += [("genuine", event), ("genuine", event), ("forged", event), ("stale", stale)]
    random.Random(22).shuffle(deliveries)

    def deliver(item):
        kind, event = item
        secret = "whsec_forged" if kind == "forged" else None
        return kind, stripe_double.deliver(event, secret=secret)

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(deliver, deliveries))
    figures["webhooks_s"] = time.perf_counter() - began
    statuses = Counter((kind, answer.status_code) for kind, answer in results)
    assert statuses == {("genuine", 200): 20, ("stale", 200): 10, ("forged", 400): 10}
    # Each event is answered from the session as Stripe holds it now, so whichever of a paid
    # session's events comes first (even the stale one) confirms it, and only that one.
    outcomes = Counter(answer.json().get("outcome") for kind, answer in results if kind != "forged")
    assert outcomes["confirmed"] == 10
    assert (
        outcomes["already handled"]
        + sum(n for outcome, n in outcomes.items() if outcome.startswith("nothing to do"))
        == 20
    )
    figures["outcomes"] = dict(outcomes)
    assert seats_confirmed(paying_inbox) == SEATS

    # One of the two who walked away pays at the last second; its event comes after the holds
    # have run out and their seats have gone to the first two people waiting.
    late = stripe_double.pay(walking[0]["id"])
    swept = sweep_at(paying_inbox, inbox_now() + dt.timedelta(minutes=31))
    assert swept["released"] == 2
    assert seats_confirmed(paying_inbox) == SEATS
    late_answer = stripe_double.deliver(stripe_double.event("checkout.session.completed", late))
    assert late_answer.json()["outcome"] == "refunded: the seats had gone to someone else"
    promoted = paying_inbox.rows(
        "SELECT email, checkout_url FROM payments WHERE status = 'held' ORDER BY id"
    )
    assert len(promoted) == 2  # the first two in line (arrival order is the server's)
    for row in promoted:
        session = session_of(stripe_double, row["checkout_url"])
        event = stripe_double.event("checkout.session.completed", stripe_double.pay(session["id"]))
        assert stripe_double.deliver(event).json()["outcome"] == "confirmed"

    # The books balance: twelve seats, twelve paid, and every charge either holds a seat or has
    # gone back in full.
    assert seats_confirmed(paying_inbox) == SEATS
    payments = paying_inbox.rows("SELECT * FROM payments")
    paid = [p for p in payments if p["status"] == "paid"]
    assert len(paid) == SEATS
    for row in paid:
        [seat] = paying_inbox.rows(
            "SELECT status FROM registrations WHERE workshop = ? AND email = ?",
            (row["workshop"], row["email"]),
        )
        assert seat["status"] == "confirmed"
    charged = [s for s in stripe_double.sessions.values() if s["payment_status"] == "paid"]
    refunded = {r["payment_intent"]: r["amount"] for r in stripe_double.refunds}
    with_seat = {p["payment_intent"] for p in paid}
    for session in charged:
        intent = session["payment_intent"]
        assert intent in with_seat or refunded.get(intent) == session["amount_total"], intent
    assert len(stripe_double.refunds) == 1
    waiting = paying_inbox.rows(
        "SELECT COUNT(*) FROM registrations WHERE workshop = 'the-arc' AND status = 'waitlisted'"
    )[0][0]
    print(
        f"\n{BUYERS} concurrent buyers for {SEATS} seats: {SEATS} held, {BUYERS - SEATS} waiting, "
        f"registered in {figures['register_s']:.2f} s; {len(deliveries)} webhook deliveries "
        f"(10 paid x2, 10 forged, 10 stale) in {figures['webhooks_s']:.2f} s: "
        f"{figures['outcomes']}, 10 forged refused (400); 2 holds "
        f"expired, 2 promoted and paid, 1 late payment refunded in full; final: {len(paid)} paid "
        f"seats, {seats_confirmed(paying_inbox)} confirmed, {waiting} waiting, oversold 0, "
        "charged without a seat 0"
    )
