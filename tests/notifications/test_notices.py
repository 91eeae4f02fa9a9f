"""Everyone is told: the author gets one short e-mail for a burst of new comments and
registrations (or none, when turned off); a registrant gets a confirmation, with the calendar
file for a seat, and a person promoted from the waiting list gets one too."""

import time

import httpx
import icalendar
from notify_helpers import ADMIN, JSON, post_comment, smtp_env

from tests.workshops.workshop_helpers import confirm_link, manifest_entry

AUTHOR = "miriam@letterpress.example"


def register(inbox, email, name="Reg Istrant", seats="1"):
    data = {"name": name, "email": email, "seats": seats}
    answer = httpx.post(inbox.url + "/workshops/the-arc/registrations", data=data, headers=JSON)
    assert answer.status_code == 201, answer.text
    return answer.json()["status"]


def one_seat(start_inbox, smtp, **env):
    workshops = {"the-arc": manifest_entry("The Arc", "open", seats=1, limit=1)}
    return start_inbox(workshops=workshops, env=smtp_env(smtp, **env))


def test_a_burst_of_comments_and_registrations_is_one_notice(start_inbox, smtp):
    inbox = one_seat(
        start_inbox, smtp, LETTERPRESS_AUTHOR_EMAIL=AUTHOR, LETTERPRESS_NOTIFY_DELAY="2"
    )
    for n in range(3):
        post_comment(inbox, f"Comment number {n}", name=f"Reader {n}", email=f"c{n}@example.org")
    register(inbox, "seat@example.org", name="Sally Seat")
    assert httpx.post(confirm_link(inbox, "seat@example.org")).status_code == 200
    [notice] = smtp.wait_to(AUTHOR, timeout=15)
    time.sleep(1.5)
    assert len(smtp.to(AUTHOR)) == 1
    message = notice.message
    assert message["Subject"] == "3 new comments and 1 new registration in the inbox"
    text = message.get_body(("plain",)).get_content()
    for n in range(3):
        assert f"New comment by Reader {n} on “An Open Essay”" in text
    assert "Sally Seat registered for “The Arc”: 1 seat, confirmed" in text
    assert "c0@example.org" not in text  # names only: addresses stay in the inbox


def test_no_notice_when_the_author_turns_them_off(start_inbox, smtp):
    inbox = one_seat(
        start_inbox, smtp, LETTERPRESS_AUTHOR_EMAIL=AUTHOR, LETTERPRESS_AUTHOR_NOTICES="off"
    )
    post_comment(inbox, "Quiet please", email="q@example.org")
    register(inbox, "seat@example.org")
    smtp.wait_to("seat@example.org")
    time.sleep(1.5)
    assert smtp.to(AUTHOR) == []


def test_registrants_are_confirmed_and_a_promoted_one_is_told(start_inbox, smtp):
    inbox = one_seat(start_inbox, smtp)
    assert register(inbox, "first@example.org", name="Fay First") == "held"
    assert register(inbox, "second@example.org", name="Sid Second") == "waitlisted"
    [held] = smtp.wait_to("first@example.org")
    assert held.message["Subject"] == "Please confirm your registration for “The Arc”"
    assert list(held.message.iter_attachments()) == []
    assert (
        "/workshops/the-arc/registrations/confirm?"
        in held.message.get_body(("plain",)).get_content()
    )
    assert httpx.post(confirm_link(inbox, "first@example.org")).status_code == 200
    seat = smtp.wait_to("first@example.org", count=2)[-1]
    assert seat.message["Subject"] == "Your seat at “The Arc” is confirmed"
    [ics] = [part for part in seat.message.iter_attachments()]
    assert ics.get_filename() == "the-arc.ics" and ics.get_content_type() == "text/calendar"
    # Made for the attendee, one event per day (this workshop's hours run on: one span).
    calendar = icalendar.Calendar.from_ical(ics.get_payload(decode=True))
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART").isoformat() == "2027-05-14T16:00:00+00:00"
    assert event.decoded("DTEND").isoformat() == "2027-05-16T00:00:00+00:00"
    text = seat.message.get_body(("plain",)).get_content()
    assert "http://127.0.0.1:9/workshops/the-arc/" in text and "To cancel" in text
    [waiting] = smtp.wait_to("second@example.org")
    assert "waiting list" in waiting.message["Subject"]
    assert list(waiting.message.iter_attachments()) == []
    assert httpx.post(confirm_link(inbox, "second@example.org")).status_code == 200
    cancel = httpx.post(
        inbox.url + "/workshops/the-arc/registrations/cancel",
        data={"email": "first@example.org"},
        headers=ADMIN,
    )
    assert cancel.json()["promoted"] == ["second@example.org"]
    promoted = smtp.wait_to("second@example.org", count=2)[-1].message
    assert promoted["Subject"] == "Your seat at “The Arc” is confirmed"
    assert "a seat has become free" in promoted.get_body(("plain",)).get_content()
    assert [a.get_filename() for a in promoted.iter_attachments()] == ["the-arc.ics"]
