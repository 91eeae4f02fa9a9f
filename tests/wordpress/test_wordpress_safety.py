"""The importer is safe to run: a broken or foreign file writes nothing and names the file and
line; --dry-run writes nothing; a changed file is kept unless --force; uploads are copied only
from the folder given. These run the library and the task on a small content folder, no build."""

from pathlib import Path

import pytest

from letterpress.wordpress.importer import Importer
from letterpress.wordpress.plan import Options
from letterpress.wordpress.wxr import WxrError
from tests.support import run_invoke

EXPORTS = Path(__file__).parent / "exports"
RICH = EXPORTS / "rich.xml"


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def importer(content: Path, export: Path = RICH, **options) -> Importer:
    flags = {k: options.pop(k) for k in ("published_only", "comments") if k in options}
    return Importer(
        export, content, "America/Los_Angeles", Options(**flags), echo=lambda _: None, **options
    )


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    (folder / "essays").mkdir(parents=True)
    (folder / "essays" / "mine.md").write_text("Title: Mine\nDate: 2020-01-01\n\nMy own.\n")
    return folder


def test_a_truncated_export_names_the_file_and_line_and_writes_nothing(content, tmp_path):
    text = RICH.read_text("utf-8")
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: text.index("<title>Colophon</title>")], "utf-8")
    before = snapshot(content)
    result = run_invoke("import.wordpress", str(cut), "--content", str(content))
    assert result.returncode == 1
    lines = cut.read_text("utf-8").count("\n") + 1
    assert f"{cut}: line {lines}" in result.stderr + result.stdout
    assert "export it again" in result.stderr + result.stdout
    assert snapshot(content) == before


@pytest.mark.parametrize(
    "name, text, says",
    [
        ("page.xml", "<html><body><p>Hello</p></body></html>", "it starts with <html>"),
        ("feed.xml", '<rss version="2.0"><channel><title>A feed</title>'
         "<item><title>x</title></item></channel></rss>", "no <wp:wxr_version>"),
        ("notes.xml", "Just some notes, not XML at all.", "line 1, column 1: the XML is broken"),
        ("future.xml", '<rss xmlns:wp="http://wordpress.org/export/1.9/"><channel>'
         "<wp:wxr_version>1.9</wp:wxr_version></channel></rss>", "WXR version 1.9"),
        ("empty.xml", "", "the file is empty"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_wordpress_export_is_refused(content, tmp_path, name, text, says):
    export = tmp_path / name
    export.write_text(text, "utf-8")
    before = snapshot(content)
    with pytest.raises(WxrError) as error:
        importer(content, export).run()
    assert str(error.value).startswith(f"{export}: ")
    assert says in str(error.value)
    assert snapshot(content) == before


def test_a_dry_run_lists_the_files_and_writes_nothing(content):
    before = snapshot(content)
    result = run_invoke("import.wordpress", str(RICH), "--content", str(content), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "would write content/essays/listening-before-deciding.md" in result.stdout
    assert "would write content/comments/listening-before-deciding/1008.md" in result.stdout
    assert "would write content/redirects.csv" in result.stdout
    assert snapshot(content) == before


def test_a_changed_file_is_kept_unless_forced(content):
    importer(content).run()
    essay = content / "essays" / "listening-before-deciding.md"
    edited = essay.read_text("utf-8") + "\nA line the author added.\n"
    essay.write_text(edited, "utf-8")
    report = importer(content).run()
    assert report.kept == ["essays/listening-before-deciding.md"]
    assert report.files_written == 0
    assert essay.read_text("utf-8") == edited
    forced = importer(content, force=True).run()
    assert forced.overwritten["essays"] == 1
    assert "A line the author added." not in essay.read_text("utf-8")


def test_the_authors_own_slugs_are_never_taken(content):
    (content / "essays" / "theirs.md").write_text(
        "Title: Listening\nSlug: listening-before-deciding\nDate: 2020-01-01\n\nMine.\n"
    )
    importer(content).run()
    assert "Slug: listening-before-deciding-2" in (
        content / "essays" / "listening-before-deciding-2.md"
    ).read_text("utf-8")
    assert (content / "essays" / "theirs.md").read_text().endswith("Mine.\n")


def test_published_only_and_no_comments_leave_those_out(content):
    report = importer(content, published_only=True, comments=False).run()
    assert report.imported["drafts"] == 0
    assert (
        report.skipped[("posts", "password-protected (not imported: it was for its readers only)")]
        == 1
    )
    assert report.skipped[("comments", "--no-comments")] == 14
    assert not (content / "essays" / "salary-bands.md").exists()
    assert not (content / "comments").exists()


def test_uploads_found_are_copied_and_linked_as_static_files(content, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2015" / "03").mkdir(parents=True)
    (uploads / "2015" / "03" / "desk.jpg").write_bytes(b"a small picture")
    report = importer(content, uploads=uploads).run()
    copied = content / "images" / "uploads" / "2015" / "03" / "desk.jpg"
    assert copied.read_bytes() == b"a small picture"
    essay = (content / "essays" / "listening-before-deciding.md").read_text("utf-8")
    assert 'src="{static}/images/uploads/2015/03/desk.jpg"' in essay
    assert "https://old-blog.example/wp-content/uploads/2014/11/old-chart.png" in essay
    assert report.missing_uploads == [
        "https://old-blog.example/wp-content/uploads/2014/11/old-chart.png",
        "https://old-blog.example/wp-content/uploads/2015/06/board.png",
    ]
    table = (content / "redirects.csv").read_text("utf-8")
    assert "/wp-content/uploads/2015/03/desk.jpg,/images/uploads/2015/03/desk.jpg" in table


def test_an_import_with_uploads_builds(content, tmp_path):
    from tests.support import copy_content, run_build

    site = copy_content(tmp_path / "site")
    uploads = tmp_path / "uploads"
    (uploads / "2015" / "03").mkdir(parents=True)
    (uploads / "2015" / "03" / "desk.jpg").write_bytes(b"a small picture")
    importer(site, uploads=uploads).run()
    built = run_build(site, tmp_path / "output", tmp_path / "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "output" / "images" / "uploads" / "2015" / "03" / "desk.jpg").is_file()
