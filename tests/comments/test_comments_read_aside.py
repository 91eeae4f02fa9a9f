"""Comment files read aside (in a forked child, plugins/comments) and put into the build cache
before `read_comments`: the same comments and HTML as reading them in the build process, and a
wrong file left for `read_comments` to report exactly as it always has."""

import datetime as dt

import pytest
from letterpress.build_cache import Store
from letterpress.forked import Forked

from letterpress.comments import (
    Comment,
    CommentError,
    comment_files,
    files_not_stored,
    read_comments,
    read_for_store,
    store_read,
    write_comment,
)
from letterpress.comments import thread as thread_module

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


def store(tmp_path, name="cache") -> Store:
    return Store(tmp_path / name, "comments", "fingerprint")


def flat(by_essay):
    """Everything a template sees of each comment, the source file and the HTML included."""
    return {
        essay: [(c, c.source, c.essay, str(c.html)) for c in comments]
        for essay, comments in by_essay.items()
    }


def test_read_aside_gives_what_reading_in_the_build_puts_in_the_store(comments_dir, tmp_path):
    read_here = store(tmp_path, "here")
    read_comments(comments_dir, read_here)
    found = read_for_store(comment_files(comments_dir))
    assert found == read_here.entries
    assert len(found) == 12


def test_read_in_a_forked_child_it_comes_back_the_same(comments_dir):
    paths = comment_files(comments_dir)
    assert Forked(read_for_store, paths).result() == read_for_store(paths)


def test_read_comments_after_collecting_gives_the_same_comments(comments_dir, tmp_path):
    without = read_comments(comments_dir)
    collected = store(tmp_path)
    paths = files_not_stored(comment_files(comments_dir), collected)
    assert paths == comment_files(comments_dir)
    store_read(collected, read_for_store(paths))
    assert files_not_stored(comment_files(comments_dir), collected) == []
    assert flat(read_comments(comments_dir, collected)) == flat(without)


def test_after_collecting_no_file_is_read_again(comments_dir, tmp_path, monkeypatch):
    collected = store(tmp_path)
    store_read(collected, read_for_store(comment_files(comments_dir)))

    def read_comment(path):
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(thread_module, "read_comment", read_comment)
    assert sum(len(c) for c in read_comments(comments_dir, collected).values()) == 12


def test_a_file_changed_after_it_was_read_aside_is_read_again(comments_dir, tmp_path):
    collected = store(tmp_path)
    store_read(collected, read_for_store(comment_files(comments_dir)))
    edited = comments_dir / "second-essay" / "c03.md"
    edited.write_text(edited.read_text("utf-8").replace("Plain", "Edited"), "utf-8")
    assert files_not_stored(comment_files(comments_dir), collected) == [edited]
    comments = {c.id: c for c in read_comments(comments_dir, collected)["second-essay"]}
    assert str(comments["c03"].html) == "<p>Edited words.</p>"


def test_a_wrong_file_is_left_out_and_reported_as_always(comments_dir, tmp_path):
    wrong = comments_dir / "first-essay" / "broken.md"
    wrong.write_text("Id: broken\nAuthor: Someone\n\nNo date.\n", "utf-8")
    not_utf8 = comments_dir / "second-essay" / "latin1.md"
    not_utf8.write_bytes("Id: latin1\nAuthor: Zoë\n".encode("latin-1"))
    found = read_for_store(comment_files(comments_dir))
    assert str(wrong) not in found
    assert str(not_utf8) not in found
    assert len(found) == 12

    with pytest.raises(CommentError) as as_always:
        read_comments(comments_dir)
    collected = store(tmp_path)
    store_read(collected, found)
    with pytest.raises(CommentError) as after_collecting:
        read_comments(comments_dir, collected)
    assert str(after_collecting.value) == str(as_always.value)
    assert str(as_always.value) == f"{wrong}: missing field(s) Date"
