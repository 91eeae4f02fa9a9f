"""Real exports' defects: each mended with a note naming the line, or (when it cannot be mended)
refused with the line and nothing written; and the safety nets behind the importer: the
redirect writer's check of the resolved path, and the build's refusal of unsafe addresses."""

from pathlib import Path

import pytest

from letterpress.content_checks import unsafe_links
from letterpress.redirects import RedirectError, Resolved, parse_table, write_redirects
from letterpress.wordpress.importer import Importer
from letterpress.wordpress.plan import Options
from letterpress.wordpress.wxr import WxrError
from tests.support import copy_content, run_build
from tests.wordpress.wxr_writer import write_export


def importer(export: Path, content: Path) -> Importer:
    return Importer(export, content, "UTC", Options(), echo=lambda _: None)


@pytest.fixture
def clean_export(tmp_path) -> Path:
    posts = [{"id": 1, "name": "first", "title": "First", "content": "<p>Hello there.</p>"}]
    return write_export(tmp_path / "clean.xml", posts)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# (name, how to spoil the clean export, what the note says, the needle whose line it names)
DEFECTS = [
    ("bom", lambda t: "\ufeff" + t, "byte-order mark", None),
    ("blank-lines", lambda t: "\n\n" + t, "blank lines before the XML declaration", None),
    ("undeclared-atom", lambda t: t.replace(
        "<title>Test Blog</title>",
        '<title>Test Blog</title><atom:link rel="self" href="https://x.example/feed/"/>'),
     "the prefix 'atom:' used without being declared", "<atom:link"),
    ("control-character", lambda t: t.replace("Hello there.", "Hello\x0b there."),
     "control characters XML forbids removed", "Hello"),
    ("html-entity", lambda t: t.replace("<title>First</title>", "<title>First&nbsp;post</title>"),
     "HTML entities (such as &nbsp;)", "First&nbsp;post"),
    ("bare-ampersand", lambda t: t.replace("<title>Test Blog</title>",
                                           "<title>Tea & Biscuits</title>"),
     "a bare '&' written as '&amp;'", "Tea & Biscuits"),
    ("not-utf8", lambda t: t.replace("Hello there.", "Caf\udce9"),
     "bytes that are not UTF-8", "Caf"),
]  # fmt: skip


@pytest.mark.parametrize("name, spoil, says, needle", DEFECTS, ids=[d[0] for d in DEFECTS])
def test_a_defect_real_exports_have_is_mended_with_a_note_naming_its_line(
    tmp_path, clean_export, name, spoil, says, needle
):
    spoilt = tmp_path / f"{name}.xml"
    text = spoil(clean_export.read_text("utf-8"))
    spoilt.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    content = tmp_path / "content"
    report = importer(spoilt, content).run()
    notes = [r for r in report.repairs if says in r]
    assert len(notes) == 1, report.repairs
    line = _line_of(text, needle) if needle else 1
    if name == "blank-lines":
        line = 1
    assert notes[0].startswith(f"{spoilt}: line {line}: "), notes[0]
    assert (content / "essays" / "first.md").is_file()


@pytest.mark.parametrize(
    "name, spoil, says",
    [
        ("cut-off", lambda t: t[: t.index("<wp:post_name>")], "line"),
        ("mismatched", lambda t: t.replace("</channel>", "</chanel>"), "mismatch"),
    ],
)
def test_a_file_that_cannot_be_mended_still_stops_with_its_line_and_nothing_written(
    tmp_path, clean_export, name, spoil, says
):
    spoilt = tmp_path / f"{name}.xml"
    spoilt.write_text(spoil(clean_export.read_text("utf-8")), "utf-8")
    content = tmp_path / "content"
    with pytest.raises(WxrError) as error:
        importer(spoilt, content).run()
    assert str(error.value).startswith(f"{spoilt}: line ")
    assert says in str(error.value)
    assert not content.exists()


@pytest.mark.parametrize(
    "source",
    ["/%2e%2e/%2e%2e/escaped/", "/a/..%2f..%2fescaped/", "/a/%2E%2E%5c%2E%2E%5cescaped/",
     "/a/%EF%BC%8E%EF%BC%8E/escaped/", "/a/%0a/x/"],
)  # fmt: skip
def test_the_redirect_writer_decides_on_the_decoded_resolved_path(tmp_path, source):
    output = tmp_path / "site" / "output"
    output.mkdir(parents=True)
    with pytest.raises(RedirectError):
        write_redirects(output, [Resolved(source, "/essays/")])
    with pytest.raises(RedirectError):
        parse_table(f"from,to\n{source},/essays/\n", "content/redirects.csv")
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_redirect_writer_follows_a_symbolic_link_before_deciding(tmp_path):
    output = tmp_path / "output"
    outside = tmp_path / "outside"
    output.mkdir()
    outside.mkdir()
    (output / "old").symlink_to(outside, target_is_directory=True)
    with pytest.raises(RedirectError) as error:
        write_redirects(output, [Resolved("/old/post/", "/essays/")])
    assert "outside the output folder" in str(error.value)
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    "html, scheme",
    [
        ('<a href="javascript:alert(1)">x</a>', "javascript"),
        ('<a href="  JaVa&#x09;ScRipt:alert(1)">x</a>', "javascript"),
        ("<a href='vbscript:msgbox'>x</a>", "vbscript"),
        ('<img src="data:image/svg+xml;base64,AAAA" alt="x">', "data"),
        ('<iframe src="data:text/html,<script>1</script>"></iframe>', "data"),
    ],
)
def test_the_content_check_names_every_unsafe_scheme_however_it_is_spelt(html, scheme):
    problems = unsafe_links("essays/x.md", html)
    assert len(problems) == 1 and f"{scheme}: address" in problems[0]
    assert unsafe_links("essays/x.md", '<a href="https://ok.example/javascript:x">x</a>') == []


def test_the_build_refuses_a_javascript_link_in_any_essay(tmp_path):
    content = copy_content(tmp_path / "content")
    essay = content / "essays" / "a-bad-link.md"
    essay.write_text(
        "Title: A bad link\nDate: 2026-01-05\n\nFine text.\n\n[Click me](javascript:alert(1))\n",
        "utf-8",
    )
    built = run_build(content, tmp_path / "output", tmp_path / "build")
    assert built.returncode != 0
    said = built.stdout + built.stderr
    assert "essays/a-bad-link.md: line 6: the <a> href 'javascript:alert(1)'" in said
