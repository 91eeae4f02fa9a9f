"""Threads: nesting, the depth limit, and the mistakes that stop a build."""

import datetime as dt

import pytest

from letterpress.comments import (
    MAX_DEPTH,
    Comment,
    CommentError,
    build_thread,
    check_comments,
    read_comments,
    write_comment,
)

START = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)


def comment(cid, reply_to=None, minutes=0, essay="essay", author=None):
    return Comment(
        id=cid,
        essay=essay,
        author=author or f"Reader {cid}",
        date=START + dt.timedelta(minutes=minutes),
        body=f"Comment {cid}.",
        reply_to=reply_to,
    )


def shape(entries):
    """The thread as nested (id, depth, in_reply_to id, [replies]) for readable assertions."""
    return [
        (
            e.comment.id,
            e.depth,
            e.in_reply_to.id if e.in_reply_to else None,
            shape(e.replies),
        )
        for e in entries
    ]


def test_replies_nest_under_their_parent_oldest_first():
    thread = build_thread(
        [
            comment("b", minutes=5),
            comment("a", minutes=1),
            comment("a2", "a", minutes=9),
            comment("a1", "a", minutes=7),
            comment("a1x", "a1", minutes=8),
        ]
    )
    assert shape(thread) == [
        ("a", 0, None, [("a1", 1, None, [("a1x", 2, None, [])]), ("a2", 1, None, [])]),
        ("b", 0, None, []),
    ]


def test_five_levels_nest_and_deeper_replies_stay_at_the_last_level():
    assert MAX_DEPTH >= 5
    chain = [comment("c0", minutes=0)]
    for level in range(1, 8):
        chain.append(comment(f"c{level}", f"c{level - 1}", minutes=level))
    chain.append(comment("side", "c5", minutes=20))
    thread = build_thread(chain, max_depth=5)

    entry, depth_of = thread[0], {}
    stack = [entry]
    while stack:
        current = stack.pop()
        depth_of[current.comment.id] = (current.depth, current.in_reply_to)
        stack.extend(current.replies)
    for level in range(5):
        assert depth_of[f"c{level}"] == (level, None)
    # c5, c6, c7 and side answer comments at or below the last level: shown there, marked.
    assert depth_of["c5"][0] == 4 and depth_of["c5"][1].id == "c4"
    assert depth_of["c6"][0] == 4 and depth_of["c6"][1].id == "c5"
    assert depth_of["c7"][0] == 4 and depth_of["c7"][1].id == "c6"
    assert depth_of["side"][0] == 4 and depth_of["side"][1].id == "c5"
    last_level = thread[0].replies[0].replies[0].replies[0].replies
    assert [e.comment.id for e in last_level] == ["c4", "c5", "c6", "c7", "side"]


def test_a_build_of_correct_comments_passes():
    check_comments({"essay": [comment("a"), comment("b", "a")]}, ["essay"])


def test_all_build_mistakes_are_reported_together_naming_each_file(tmp_path):
    content = tmp_path / "content"
    for c in [
        comment("orphan", "no-such-id", essay="essay"),
        comment("dup", essay="essay"),
        comment("dup", essay="other-essay"),
        comment("loop-a", "loop-b", essay="essay"),
        comment("loop-b", "loop-a", essay="essay", minutes=1),
        comment("lost", essay="no-such-essay"),
    ]:
        write_comment(content, c)
    comments = read_comments(content / "comments")
    with pytest.raises(CommentError) as error:
        check_comments(comments, ["essay", "other-essay"])
    message = str(error.value)
    folder = content / "comments"
    assert f"{folder / 'essay' / 'orphan.md'}: Reply-To 'no-such-id' names no comment" in message
    assert f"{folder / 'other-essay' / 'dup.md'}: duplicate Id 'dup'" in message
    assert f"already used by {folder / 'essay' / 'dup.md'}" in message
    assert f"{folder / 'essay' / 'loop-a.md'}: its Reply-To chain comes back" in message
    assert f"{folder / 'essay' / 'loop-b.md'}: its Reply-To chain comes back" in message
    assert f"{folder / 'no-such-essay'}: comments for an essay that does not exist" in message


def test_a_comment_answering_itself_is_a_cycle():
    with pytest.raises(CommentError, match="comes back to itself"):
        check_comments({"essay": [comment("self", "self")]}, ["essay"])


def test_a_reply_to_a_comment_on_another_essay_is_refused():
    comments = {"one": [comment("a", essay="one")], "two": [comment("b", "a", essay="two")]}
    with pytest.raises(CommentError, match="names no comment on the essay 'two'"):
        check_comments(comments, ["one", "two"])


def test_no_comments_folder_means_no_comments(tmp_path):
    assert read_comments(tmp_path / "comments") == {}


def test_a_removed_comment_holds_its_replies_place_and_vanishes_without_them():
    import datetime as dt

    from letterpress.comments import Comment, build_thread, format_comment, parse_comment, removed

    when = dt.datetime(2026, 10, 2, 9, 14, tzinfo=dt.UTC)
    gone = Comment("a1", "essay", "Zed", when, "Private.\n", url="https://zed.example")
    text = format_comment(removed(gone))
    assert "Zed" not in text and "Private" not in text and "zed.example" not in text
    placeholder = parse_comment(text, "essay")
    assert placeholder.removed and placeholder.author == "" and placeholder.body == ""
    reply = Comment("b2", "essay", "Rae", when + dt.timedelta(hours=1), "Yes.\n", reply_to="a1")
    [entry] = build_thread([placeholder, reply])
    assert entry.comment.removed and [r.comment.id for r in entry.replies] == ["b2"]
    assert build_thread([placeholder]) == ()
