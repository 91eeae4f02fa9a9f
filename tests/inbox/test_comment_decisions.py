"""A decision on a comment that another process removes meanwhile (a forget run from the
terminal deletes the person's comments) is refused as NotFound, never half made."""

import datetime as dt

import pytest

from letterpress.inbox import comment_decisions
from letterpress.inbox.comment_store import Submission, store_comment
from letterpress.inbox.errors import NotFound
from letterpress.inbox.schema import open_inbox

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize("decision", ["approve", "reject", "spam"])
def test_a_comment_deleted_between_reading_and_deciding_is_not_found(
    tmp_path, monkeypatch, decision
):
    path = tmp_path / "inbox.sqlite3"
    db, other = open_inbox(path), open_inbox(path)
    try:
        submission = Submission("open-essay", None, "Zoe", "zoe@example.org", "", "Hello.")
        comment_id = store_comment(db, submission, "127.0.0.0/24", NOW).id
        read = comment_decisions.get_comment

        def read_then_forgotten(connection, wanted):
            row = read(connection, wanted)
            other.execute("DELETE FROM comments WHERE id = ?", (wanted,))  # the other process
            return row

        monkeypatch.setattr(comment_decisions, "get_comment", read_then_forgotten)
        with pytest.raises(NotFound, match=comment_id):
            comment_decisions.decide(db, comment_id, decision, NOW)
        assert db.execute("SELECT count(*) FROM notifications").fetchone()[0] == 0
    finally:
        db.close()
        other.close()
