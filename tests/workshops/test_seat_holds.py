"""A seat belongs to a verified person: a registration holds its seats until the person confirms
with the link e-mailed to them; holds nobody confirms lapse and their seats go to the waiting
list in order; a list member's name and tags change only through their own confirmed action.
The real inbox over HTTP, its own sender writing the e-mail to the outbox, a restart a day later
for the lapse."""

import email
import email.policy
import json
import re
import time
from pathlib import Path

from workshop_helpers import ADMIN, JSON, confirm_link, manifest_entry

from tests.support import TODAY

REGISTER = "/workshops/small/registrations"
SMALL = {"small": manifest_entry("Small", "open", seats=2, limit=2)}


def outbox(inbox) -> Path:
    return Path(inbox.env["LETTERPRESS_BUILD_DIR"]) / "outbox"


def mail_to(inbox, address: str, subject_has: str, timeout: float = 10.0):
    """The e-mail the inbox's sender wrote to `address` whose subject holds `subject_has`."""
    deadline = time.monotonic() + timeout
    folder = outbox(inbox) / "notifications"
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.eml")) if folder.is_dir() else []:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address in str(message["To"]) and subject_has in str(message["Subject"]):
                return message
        time.sleep(0.1)
    raise AssertionError(f"no e-mail to {address} about “{subject_has}”")


def link_in(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/registrations/confirm\?\S+", text).group(0)


def roster(inbox, http) -> dict:
    return http.get(inbox.url + REGISTER, headers=ADMIN).json()


def contacts(inbox) -> dict:
    path = outbox(inbox) / "contacts.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def person(name, address, seats="1", **extra) -> dict:
    return {"name": name, "email": address, "seats": seats, **extra}


def test_the_link_in_the_e_mail_confirms_the_hold_and_only_then_reaches_the_list(start_inbox, http):
    inbox = start_inbox(
        workshops=SMALL,
        env={
            "LETTERPRESS_TODAY": TODAY,
            "LETTERPRESS_INBOX_URL": "http://127.0.0.1:1",  # as e-mailed; the test goes direct
            "LETTERPRESS_AUTHOR_EMAIL": "author@letterpress.example",
            "LETTERPRESS_NOTIFY_DELAY": "0",
        },
    )
    outbox(inbox).mkdir(parents=True, exist_ok=True)
    member = {
        "email": "ada@example.org",
        "name": "Ada Original",
        "tags": [],
        "status": "subscribed",
    }
    (outbox(inbox) / "contacts.json").write_text(json.dumps({"ada@example.org": member}))
    answer = http.post(
        inbox.url + REGISTER, data=person("Mallory", "ada@example.org"), headers=JSON
    )
    assert answer.status_code == 201 and answer.json()["status"] == "held"
    assert contacts(inbox)["ada@example.org"] == member, "a stranger renamed or tagged a member"
    message = mail_to(inbox, "ada@example.org", "Please confirm")
    link = link_in(message).replace("http://127.0.0.1:1", inbox.url)
    page = http.get(link)
    assert page.status_code == 200 and "Confirm my registration" in page.text
    assert roster(inbox, http)["counts"] == {"held": 1, "confirmed": 0, "waiting": 0}
    done = http.post(link)
    assert done.status_code == 200 and "is confirmed" in done.text
    assert roster(inbox, http)["counts"] == {"held": 0, "confirmed": 1, "waiting": 0}
    assert contacts(inbox)["ada@example.org"]["tags"] == ["workshop:small"]
    assert contacts(inbox)["ada@example.org"]["name"] == "Mallory"  # Ada's own confirmed action
    mail_to(inbox, "ada@example.org", "is confirmed")
    mail_to(inbox, "author@letterpress.example", "new registration")
    forged = link[:-3] + "xyz"
    assert http.post(forged).status_code == 404


def test_holds_nobody_confirms_lapse_and_the_seats_go_to_the_waiting_list_in_order(
    start_inbox, http
):
    inbox = start_inbox(workshops=SMALL, env={"LETTERPRESS_TODAY": TODAY})
    # Squatters with made-up addresses take both seats; two real readers wait.
    for n in range(2):
        http.post(inbox.url + REGISTER, data=person(f"Squatter {n}", f"made-up{n}@example.org"))
    http.post(inbox.url + REGISTER, data=person("Cleo", "cleo@example.org"))
    http.post(inbox.url + REGISTER, data=person("Dev", "dev@example.org"))
    assert roster(inbox, http)["counts"] == {"held": 2, "confirmed": 0, "waiting": 2}
    assert http.post(confirm_link(inbox, "dev@example.org", "small")).status_code == 200
    late = confirm_link(inbox, "made-up0@example.org", "small")
    inbox.stop()
    inbox.env["LETTERPRESS_TODAY"] = "2026-11-27"  # a day on: every hold has lapsed
    inbox.start()
    deadline = time.monotonic() + 10
    while roster(inbox, http)["counts"]["waiting"] and time.monotonic() < deadline:
        time.sleep(0.1)
    people = {r["email"]: r["status"] for r in roster(inbox, http)["registrations"]}
    assert people == {"cleo@example.org": "held", "dev@example.org": "confirmed"}
    assert roster(inbox, http)["counts"] == {"held": 1, "confirmed": 1, "waiting": 0}
    lapsed = http.post(late.replace(late.split("/workshops")[0], inbox.url))
    assert lapsed.status_code == 410 and "lapsed" in lapsed.text
    mail_to(inbox, "cleo@example.org", "Please confirm")
    mail_to(inbox, "dev@example.org", "is confirmed")
    seats = http.get(inbox.url + "/workshops/small/seats").json()
    assert (seats["taken"], seats["left"]) == (2, 0)
