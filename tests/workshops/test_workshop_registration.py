"""Registering for a workshop through the real inbox over HTTP, with a real SQLite file."""

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from workshop_helpers import ADMIN, JSON, WORKSHOPS, confirm

REGISTER = "/workshops/the-arc/registrations"


def person(n: int, **extra) -> dict:
    return {"name": f"Person {n}", "email": f"person{n}@example.org", "seats": "1", **extra}


def count(inbox, sql="SELECT COUNT(*) FROM registrations", params=()) -> int:
    return inbox.rows(sql, params)[0][0]


def statuses(inbox, workshop="the-arc") -> dict[str, int]:
    rows = inbox.rows(
        "SELECT status, SUM(seats) FROM registrations WHERE workshop = ? GROUP BY status",
        (workshop,),
    )
    return {row[0]: row[1] for row in rows}


def register_all(url: str, people: list[dict]) -> list[httpx.Response]:
    """Send every registration at once, each on its own connection.

    The asyncio loop runs in a thread of its own: Playwright's sync API may already hold one in
    the main thread.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _send_at_once(url, people)).result()


async def _send_at_once(url: str, people: list[dict]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(people), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        return await asyncio.gather(*(client.post(REGISTER, data=p, headers=JSON) for p in people))


def test_a_form_registration_holds_the_seat_and_is_sent_back_to_the_page(workshop_inbox, http):
    answer = http.post(workshop_inbox.url + REGISTER, data=person(1, phone="+1 206 555 0100"))
    assert answer.status_code == 303
    assert answer.headers["location"] == "http://127.0.0.1:9/workshops/the-arc/#check-email"
    [row] = workshop_inbox.rows("SELECT * FROM registrations")
    assert (row["email"], row["seats"], row["status"]) == ("person1@example.org", 1, "held")
    assert row["phone"] == "+1 206 555 0100"
    assert row["newsletter"] == 0


def test_100_concurrent_registrations_for_12_seats_hold_exactly_12(workshop_inbox):
    people = [person(n) for n in range(100)]
    began = time.perf_counter()
    answers = register_all(workshop_inbox.url, people)
    elapsed = time.perf_counter() - began
    assert [a.status_code for a in answers] == [201] * 100, "every request is answered"
    outcomes = [a.json()["status"] for a in answers]
    assert outcomes.count("held") == 12
    assert outcomes.count("waitlisted") == 88
    assert statuses(workshop_inbox) == {"held": 12, "waitlisted": 88}
    print(f"\n100 concurrent registrations for 12 seats: 12 held, 88 waiting, {elapsed:.2f} s")


def test_the_same_address_again_changes_nothing_and_never_gets_a_second_seat(workshop_inbox):
    # Ten people each send the form five times at once, some with another case or seat count.
    people = [
        person(n, email=f"Person{n}@Example.org" if k % 2 else f"person{n}@example.org")
        | {"seats": "2" if k == 4 else "1"}
        for n in range(10)
        for k in range(5)
    ]
    answers = register_all(workshop_inbox.url, people)
    assert {a.status_code for a in answers} == {201}
    assert all("already_registered" not in a.json() for a in answers)
    assert count(workshop_inbox) == 10
    assert sum(statuses(workshop_inbox).values()) <= 12 + 10


def test_once_full_the_next_person_is_told_they_are_on_the_waiting_list(workshop_inbox, http):
    for n in range(6):
        http.post(workshop_inbox.url + REGISTER, data=person(n, seats="2"))
    answer = http.post(workshop_inbox.url + REGISTER, data=person(99))
    assert answer.status_code == 303
    assert answer.headers["location"].endswith("/workshops/the-arc/#waitlisted")
    assert statuses(workshop_inbox) == {"held": 12, "waitlisted": 1}


BAD_INPUT = [
    ({"name": ""}, "name", "Please give your name"),
    ({"email": ""}, "email", "Please give your e-mail address"),
    ({"email": "person@example"}, "email", "does not look like an e-mail address"),
    ({"email": "two@@example.org"}, "email", "does not look like an e-mail address"),
    ({"seats": "0"}, "seats", "must be from 1 to 2; you asked for 0"),
    ({"seats": "3"}, "seats", "must be from 1 to 2; you asked for 3"),
    ({"seats": "two"}, "seats", "must be from 1 to 2; you asked for two"),
    ({"phone": "call me <maybe>"}, "phone", "A phone number has digits"),
    ({"message": "x" * 2001}, "message", "longer than 2000 characters"),
    ({"name": "n" * 201}, "name", "longer than 200 characters"),
]


def test_bad_input_is_refused_naming_the_field_and_changes_nothing(workshop_inbox, http):
    for fields, field, message in BAD_INPUT:
        case = f"case {fields!r:.60}"
        answer = http.post(workshop_inbox.url + REGISTER, data=person(1) | fields, headers=JSON)
        assert answer.status_code == 400, case
        assert answer.json()["field"] == field, case
        assert message in answer.json()["error"], case
        page = http.post(workshop_inbox.url + REGISTER, data=person(1) | fields)
        assert page.status_code == 400, case
        assert f"<strong>{field}</strong>" in page.text, case
    oversized = person(1, message="x" * (170 * 1024))
    answer = http.post(workshop_inbox.url + REGISTER, data=oversized, headers=JSON)
    assert answer.status_code == 413
    # The server's own limit, said before any field is read.
    assert "larger than the inbox accepts" in answer.json()["error"]
    assert count(workshop_inbox) == 0


def test_json_bodies_are_accepted_like_forms(workshop_inbox, http):
    body = json.dumps({"name": "Ada", "email": "ada@example.org", "seats": 2, "newsletter": "yes"})
    answer = http.post(
        workshop_inbox.url + REGISTER,
        content=body,
        headers={**JSON, "Content-Type": "application/json"},
    )
    assert answer.status_code == 201
    assert answer.json() == {
        "workshop": "the-arc",
        "status": "held",
        "seats": 2,
    }


REFUSALS = [
    ("nowhere", 404, "There is no workshop “nowhere” on this site."),
    ("shut", 403, "Registration for “Shut” is closed."),
    ("gone", 410, "“Gone” has already taken place, so it takes no more registrations."),
]


def test_unknown_closed_and_past_workshops_are_refused_with_the_reason(workshop_inbox, http):
    for slug, status, reason in REFUSALS:
        url = f"{workshop_inbox.url}/workshops/{slug}/registrations"
        page = http.post(url, data=person(1))
        assert (page.status_code, slug) == (status, slug)
        assert reason in page.text
        assert http.post(url, data=person(1), headers=JSON).json()["error"] == reason
    assert count(workshop_inbox) == 0
    # A workshop with its waiting list open, and no seats, queues everyone.
    url = workshop_inbox.url + "/workshops/full-house/registrations"
    assert http.post(url, data=person(1), headers=JSON).json()["status"] == "waitlisted"


def test_a_started_workshop_takes_no_registrations_whatever_the_manifest_says(start_inbox, http):
    inbox = start_inbox(workshops=WORKSHOPS, env={"LETTERPRESS_TODAY": "2027-05-15"})
    answer = http.post(inbox.url + REGISTER, data=person(1), headers=JSON)
    assert answer.status_code == 403
    assert "closed" in answer.json()["error"]


def test_the_mailing_list_gets_tags_and_only_consenting_people_are_subscribed(workshop_inbox, http):
    for n in range(12):
        http.post(workshop_inbox.url + REGISTER, data=person(n))
    http.post(workshop_inbox.url + REGISTER, data=person(12, newsletter="yes"))
    contacts_path = workshop_inbox.db_path.parents[1] / "build" / "outbox" / "contacts.json"
    assert not contacts_path.exists(), "nobody reaches the list before confirming"
    for n in range(13):
        confirm(workshop_inbox, http, f"person{n}@example.org")
    contacts = json.loads(contacts_path.read_text("utf-8"))
    assert len(contacts) == 13
    assert contacts["person0@example.org"]["tags"] == ["workshop:the-arc"]
    assert contacts["person0@example.org"]["status"] != "pending"
    assert contacts["person12@example.org"]["tags"] == ["waitlist", "workshop:the-arc"]
    assert contacts["person12@example.org"]["status"] == "pending"  # double opt-in
    # A seat frees up: the first person waiting gets it and leaves the waiting list's tag.
    cancel = workshop_inbox.url + REGISTER + "/cancel"
    http.post(cancel, data={"email": "person0@example.org"}, headers=ADMIN)
    contacts = json.loads(contacts_path.read_text("utf-8"))
    assert contacts["person12@example.org"]["tags"] == ["workshop:the-arc"]


def test_cancelling_a_seat_gives_it_to_the_first_person_waiting(workshop_inbox, http):
    for n in range(14):
        http.post(workshop_inbox.url + REGISTER, data=person(n))
    cancel = workshop_inbox.url + REGISTER + "/cancel"
    refused = http.post(cancel, data={"email": "person3@example.org"}, headers=JSON)
    assert refused.status_code == 401
    assert statuses(workshop_inbox) == {"held": 12, "waitlisted": 2}
    answer = http.post(cancel, data={"email": "Person3@example.org"}, headers=ADMIN)
    assert answer.status_code == 200
    assert answer.json()["promoted"] == ["person12@example.org"]
    roster = http.get(workshop_inbox.url + REGISTER, headers=ADMIN).json()["registrations"]
    assert [r["email"] for r in roster if r["status"] == "waitlisted"] == ["person13@example.org"]
    assert "person3@example.org" not in [r["email"] for r in roster]
    assert statuses(workshop_inbox) == {"held": 12, "waitlisted": 1, "cancelled": 1}
    again = http.post(cancel, data={"email": "person3@example.org"}, headers=ADMIN | JSON)
    assert again.status_code == 404
    assert again.json()["field"] == "email"
