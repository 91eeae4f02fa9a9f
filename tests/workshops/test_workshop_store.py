"""The registration store under real contention: separate SQLite connections in threads, as
several inbox workers or the command line would be."""

import datetime as dt
import threading

from letterpress.inbox.db import connect
from letterpress.inbox.registration_store import (
    Registration,
    cancel,
    register,
    roster,
)
from letterpress.inbox.schema import open_inbox

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
HOLD = dt.timedelta(minutes=30)


def test_writers_on_separate_connections_never_oversell(tmp_path):
    path = tmp_path / "inbox.sqlite3"
    open_inbox(path).close()
    answers: list[str] = []
    lock = threading.Lock()

    def worker(numbers: range) -> None:
        db = connect(path)
        for n in numbers:
            outcome = register(
                db, "the-arc", 12, Registration(f"P{n}", f"p{n}@example.org"), now=NOW, hold=HOLD
            )
            with lock:
                answers.append(outcome.status)
        db.close()

    threads = [threading.Thread(target=worker, args=(range(k, 100, 8),)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers.count("held") == 12
    assert answers.count("waitlisted") == 88
    db = connect(path)
    entries = roster(db, "the-arc")
    assert sum(e.seats for e in entries if e.status == "held") == 12


def test_a_cancelled_person_who_registers_again_joins_the_back_of_the_line(tmp_path):
    db = open_inbox(tmp_path / "inbox.sqlite3")
    for n in range(3):
        register(db, "w", 2, Registration(f"P{n}", f"p{n}@example.org"), now=NOW, hold=HOLD)
    assert cancel(db, "w", "p0@example.org", 2, now=NOW, hold=HOLD) == ["p2@example.org"]
    again = register(db, "w", 2, Registration("P0", "P0@example.org"), now=NOW, hold=HOLD)
    assert (again.status, again.created) == ("waitlisted", True)
    assert [(e.email, e.status) for e in roster(db, "w")] == [
        ("p1@example.org", "held"),
        ("p2@example.org", "held"),
        ("p0@example.org", "waitlisted"),
    ]
