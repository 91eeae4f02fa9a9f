"""The engine's services as a feature sees them (letterpress/build_services.py): the comments read
through the engine, in shares on several processes and again from its stores, come out exactly
as read without it; a wrong file is reported the same way."""

import datetime as dt
import os
from pathlib import Path

import pytest

from letterpress.build_services import OutputJob, PlainServices
from letterpress.comments import Comment, CommentError, read_comments, write_comment
from letterpress.comments import thread as thread_module
from letterpress.engine.services import Engine

START = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
BODIES = ["Plain words.", "Some *emphasis* and [a link](https://example.org).", "> quoted\n\nno"]


@pytest.fixture
def comments_dir(tmp_path):
    """Two essays' comments, replies and an author's answer among them."""
    content = tmp_path / "content"
    for number in range(12):
        essay = "first-essay" if number % 3 else "second-essay"
        write_comment(
            content,
            Comment(
                id=f"c{number:02d}",
                essay=essay,
                author=f"Reader {number}",
                date=START + dt.timedelta(minutes=number),
                body=BODIES[number % len(BODIES)],
                reply_to=f"c{number - 3:02d}" if number >= 3 else None,
                url="https://reader.example" if number == 4 else "",
                role="author" if number == 5 else "",
            ),
        )
    return content / "comments"


@pytest.fixture
def engine(tmp_path, monkeypatch):
    monkeypatch.setattr(thread_module, "READ_IN_PARALLEL_FROM", 2)  # share even 12 files
    built = Engine(cache_folder=tmp_path / "cache", workers=2)
    built.start_build("fingerprint")
    return built


def flat(by_essay):
    """Everything a template sees of each comment, the source file and the HTML included."""
    return {
        essay: [(c, c.source, c.essay, str(c.html)) for c in comments]
        for essay, comments in by_essay.items()
    }


def test_read_through_the_engine_in_shares_equals_read_plainly(comments_dir, engine):
    assert flat(read_comments(comments_dir, engine)) == flat(read_comments(comments_dir))


def test_a_second_build_reads_no_file_again(comments_dir, engine, monkeypatch):
    read_comments(comments_dir, engine)
    engine.end_build()
    again = Engine(cache_folder=engine.cache_folder, workers=2)  # a new process's engine
    again.start_build("fingerprint")

    def read_comment(path):
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(thread_module, "read_comment", read_comment)
    assert sum(len(c) for c in read_comments(comments_dir, again).values()) == 12


def test_a_file_changed_since_is_read_again(comments_dir, engine):
    read_comments(comments_dir, engine)
    edited = comments_dir / "second-essay" / "c03.md"
    edited.write_text(edited.read_text("utf-8").replace("Plain", "Edited"), "utf-8")
    comments = {c.id: c for c in read_comments(comments_dir, engine)["second-essay"]}
    assert str(comments["c03"].html) == "<p>Edited words.</p>"


def test_a_wrong_file_is_reported_as_always(comments_dir, engine):
    wrong = comments_dir / "first-essay" / "broken.md"
    wrong.write_text("Id: broken\nAuthor: Someone\n\nNo date.\n", "utf-8")
    with pytest.raises(CommentError) as plainly:
        read_comments(comments_dir)
    with pytest.raises(CommentError) as through_engine:
        read_comments(comments_dir, engine)
    assert str(through_engine.value) == str(plainly.value) == f"{wrong}: missing field(s) Date"


def test_a_new_fingerprint_makes_everything_again(tmp_path):
    made = []
    engine = Engine(cache_folder=tmp_path / "cache")
    for fingerprint in ("one", "one", "two"):
        engine.start_build(fingerprint)
        engine.remember("kind", "key", lambda f=fingerprint: made.append(f) or len(made))
        engine.end_build()
    assert made == ["one", "two"]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["kind-two.pickle"]


def test_cache_off_remembers_nothing(tmp_path):
    made = []
    engine = Engine(cache_folder=tmp_path / "cache", keep=False)
    for _ in range(2):
        engine.start_build("one")
        engine.remember("kind", "key", lambda: made.append(1))
        engine.end_build()
    assert len(made) == 2
    assert not (tmp_path / "cache").exists()


def test_output_jobs_are_written_once_per_key_and_again_when_the_file_changes(tmp_path):
    path = str(tmp_path / "out" / "feed.xml")
    makes = []

    def job(key: str, text: bytes) -> OutputJob:
        return OutputJob(key, {"atom": path}, lambda: makes.append(key) or {"atom": text})

    engine = Engine(cache_folder=tmp_path / "cache")
    engine.start_build("fp")
    engine.write_outputs([job("a", b"one")])
    engine.write_outputs([job("a", b"one")])
    assert makes == ["a"]
    os.utime(path, ns=(0, 0))  # touched behind the engine's back
    engine.write_outputs([job("a", b"one")])
    engine.write_outputs([job("b", b"two")])
    assert makes == ["a", "a", "b"]
    PlainServices().write_outputs([job("c", b"three")])
    assert Path(path).read_bytes() == b"three"
