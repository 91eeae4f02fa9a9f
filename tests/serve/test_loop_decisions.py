"""The loop's pure decisions, without Pelican: which edits take the fast path, where the reload
script goes, which output files changed, and the address `make serve` gives."""

from pathlib import Path

from commands.serve import serve_address
from letterpress.dev_server.changes import Action, Kind, Layout, plan
from letterpress.dev_server.live import with_reload_script
from letterpress.dev_server.outline import outline_changes
from letterpress.dev_server.outputs import changed

SITE = Path("/site")
LAYOUT = Layout(
    content=SITE / "content",
    essays=(SITE / "content/essays",),
    comments=SITE / "content/comments",
    workshops=SITE / "content/workshops",
    theme=SITE / "theme",
    settings_files=(SITE / "pelicanconf.py", SITE / "letterpress.toml"),
    code=(SITE / "letterpress", SITE / "plugins", SITE / "commands"),
)


def test_an_essay_a_comment_and_a_workshop_edited_take_the_fast_path():
    for path, kind in (
        ("content/essays/a.md", Kind.ESSAY),
        ("content/comments/a/20260101-0000-abcd.md", Kind.COMMENT),
        ("content/workshops/w.md", Kind.WORKSHOP),
    ):
        decided = plan(LAYOUT, [(Action.MODIFIED, SITE / path)])
        assert decided.rebuild and [edit.kind for edit in decided.fast] == [kind]


def test_a_new_essay_a_template_or_an_image_take_the_complete_rebuild_alone():
    for action, path in (
        (Action.ADDED, "content/essays/new.md"),
        (Action.DELETED, "content/workshops/w.md"),
        (Action.MODIFIED, "theme/templates/base.html"),
        (Action.MODIFIED, "content/images/a.png"),
    ):
        decided = plan(LAYOUT, [(action, SITE / path)])
        assert decided.rebuild and decided.fast == (), path
    mixed = [(Action.MODIFIED, SITE / "content/essays/a.md"), (Action.ADDED, SITE / "content/x.md")]
    assert plan(LAYOUT, mixed).fast == ()


def test_a_new_comment_takes_the_fast_path_too():
    decided = plan(LAYOUT, [(Action.ADDED, SITE / "content/comments/a/20260101-0000-abcd.md")])
    assert [edit.kind for edit in decided.fast] == [Kind.COMMENT]


def test_settings_are_read_again_and_code_restarts_the_process():
    assert plan(LAYOUT, [(Action.MODIFIED, SITE / "letterpress.toml")]).reread_settings
    assert plan(LAYOUT, [(Action.MODIFIED, SITE / "pelicanconf.py")]).reread_settings
    assert plan(LAYOUT, [(Action.MODIFIED, SITE / "plugins/comments/comments.py")]).restart
    assert plan(LAYOUT, [(Action.ADDED, SITE / "content/essays/.a.md.swp")]).nothing


def test_the_reload_script_goes_before_the_last_body_end_and_nowhere_else():
    page = b"<html><body><pre>&lt;/body&gt;</pre></BODY >\n</html>"
    tag = b'<script src="/__letterpress/reload.js" defer></script>'
    assert with_reload_script(page) == page.replace(b"</BODY >", tag + b"</BODY >")
    assert with_reload_script(b"<p>a fragment</p>") == b"<p>a fragment</p>" + tag


def test_changed_output_files_are_those_added_removed_or_rewritten():
    before = {"a.html": (1, 10), "b.html": (1, 10), "c.html": (1, 10)}
    after = {"a.html": (1, 10), "b.html": (2, 11), "d.html": (1, 12)}
    assert changed(before, after) == ["b.html", "c.html", "d.html"]


def test_an_outline_differs_in_the_names_whose_values_differ():
    assert outline_changes({"title": "A", "tags": ["x"]}, {"title": "A", "tags": ["y"]}) == ["tags"]
    assert outline_changes({"title": "A"}, {"title": "A", "series": "S"}) == ["series"]


def test_make_serve_gives_the_port_from_the_environment_as_make_does():
    assert serve_address({}) == "http://127.0.0.1:8000"
    assert serve_address({"PORT": "8010"}) == "http://127.0.0.1:8010"
