"""`invoke workshops.roster` and `invoke workshops.cancel`, run as the author runs them."""

import csv
import subprocess

from tests.support import free_port, run_invoke


def invoke(inbox, *args: str) -> subprocess.CompletedProcess:
    """A workshop task seeing what `inbox` sees; wide columns, so no roster line is wrapped."""
    return run_invoke(*args, env={**inbox.env, "COLUMNS": "200"}, timeout=60)


def fill(inbox, http, people: int) -> None:
    for n in range(people):
        data = {"name": f"Person {n}", "email": f"person{n}@example.org", "seats": "1"}
        assert http.post(inbox.url + "/workshops/the-arc/registrations", data=data).is_redirect


def test_the_roster_lists_confirmed_then_waiting_and_exports_csv(workshop_inbox, http, tmp_path):
    fill(workshop_inbox, http, 14)
    export = tmp_path / "roster.csv"
    result = invoke(workshop_inbox, "workshops.roster", "the-arc", "--csv", str(export))
    assert result.returncode == 0, result.stderr
    assert "The Arc: 12 of 12 seats taken, 2 waiting" in result.stdout
    assert result.stdout.index("person11@example.org") < result.stdout.index("person12@")
    rows = list(csv.DictReader(export.open(encoding="utf-8")))
    assert [r["status"] for r in rows] == ["held"] * 12 + ["waiting"] * 2
    assert {r["amount"] for r in rows} == {""}  # a free workshop: no money columns filled
    assert rows[0]["email"] == "person0@example.org"
    remote = invoke(workshop_inbox, "workshops.roster", "the-arc", "--remote", workshop_inbox.url)
    assert remote.returncode == 0, remote.stderr
    assert "12 of 12 seats taken, 2 waiting" in remote.stdout


def test_cancel_gives_the_seat_to_the_first_person_waiting(workshop_inbox, http):
    fill(workshop_inbox, http, 14)
    result = invoke(workshop_inbox, "workshops.cancel", "the-arc", "Person3@example.org")
    assert result.returncode == 0, result.stderr
    assert "Moved up from the waiting list: person12@example.org" in result.stdout
    remote = invoke(
        workshop_inbox,
        "workshops.cancel",
        "the-arc",
        "person4@example.org",
        "--remote",
        workshop_inbox.url,
    )
    assert remote.returncode == 0, remote.stderr
    assert "person13@example.org" in remote.stdout
    statuses = workshop_inbox.rows("SELECT email, status FROM registrations ORDER BY queue")
    waiting = [row["email"] for row in statuses if row["status"] == "waitlisted"]
    assert waiting == []


def test_the_tasks_fail_with_a_sentence_and_a_non_zero_exit(workshop_inbox, tmp_path):
    nobody = invoke(workshop_inbox, "workshops.cancel", "the-arc", "nobody@example.org")
    assert nobody.returncode == 1
    assert "nobody@example.org holds no registration" in nobody.stderr
    unknown = invoke(workshop_inbox, "workshops.roster", "no-such-workshop")
    assert unknown.returncode == 2
    assert "No workshop 'no-such-workshop'" in unknown.stderr
    workshop_inbox.env["LETTERPRESS_INBOX_DB"] = str(tmp_path / "missing.sqlite3")
    missing = invoke(workshop_inbox, "workshops.roster", "the-arc")
    assert missing.returncode == 2
    assert "No inbox database at" in missing.stderr


def test_remote_tasks_say_why_the_inbox_refused_or_could_not_be_reached(workshop_inbox):
    wrong = {**workshop_inbox.env, "LETTERPRESS_ADMIN_TOKEN": "not-the-token"}
    refused = run_invoke(
        "workshops.roster", "the-arc", "--remote", workshop_inbox.url, env=wrong, timeout=60
    )
    assert refused.returncode == 1
    assert f"{workshop_inbox.url}/workshops/the-arc/registrations: 401" in refused.stderr
    assert "seats taken" not in refused.stdout

    nowhere = f"http://127.0.0.1:{free_port()}"
    args = ("workshops.cancel", "the-arc", "person1@example.org", "--remote", nowhere)
    unreachable = invoke(workshop_inbox, *args)
    assert unreachable.returncode == 1
    assert f"{nowhere}/workshops/the-arc/registrations/cancel" in unreachable.stderr
    assert "could not be reached" in unreachable.stderr
