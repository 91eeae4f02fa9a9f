"""Images a post shows from elsewhere: listed without --download-media; with it, fetched from a
local HTTP server standing in for the old site, with retries, and what failed reported."""

import re
from collections import Counter
from pathlib import Path

import pytest
from werkzeug import Response

from letterpress.wordpress.importer import Importer
from letterpress.wordpress.media import Fetcher, is_wordpress_host, local_path
from letterpress.wordpress.plan import Options
from tests.support import run_invoke
from tests.wordpress.wxr_writer import write_export

PNG = b"\x89PNG\r\n\x1a\n" + b"picture" * 10


def export_for(tmp_path: Path, site: str) -> Path:
    body = (
        f'<p><img src="{site}/wp-content/uploads/2020/01/ok.png" alt="Fine" /></p>'
        f'<p><img src="{site}/wp-content/uploads/2020/01/flaky.png" alt="Flaky" /></p>'
        f'<p><img src="{site}/wp-content/uploads/2020/01/gone.png" alt="Gone" /></p>'
        '<p><img src="https://elsewhere.example/theirs.png" alt="Theirs" /></p>'
    )
    posts = [{"id": 1, "name": "pictures", "content": body, "link": f"{site}/pictures/"}]
    path = write_export(tmp_path / "media.xml", posts)
    # The export's own site address is the local server.
    text = path.read_text("utf-8").replace("https://old-blog.example", site)
    path.write_text(text, "utf-8")
    return path


def run(export: Path, content: Path, fetcher=None, dry_run=False):
    importer = Importer(export, content, "UTC", Options(), echo=lambda _: None,
                        fetcher=fetcher, dry_run=dry_run)  # fmt: skip
    return importer.run()


@pytest.fixture
def old_site(httpserver):
    calls = Counter()

    def flaky(request):
        calls["flaky"] += 1
        if calls["flaky"] < 3:
            return Response("busy", status=503)
        return Response(PNG, content_type="image/png")

    httpserver.expect_request("/wp-content/uploads/2020/01/ok.png").respond_with_data(
        PNG, content_type="image/png"
    )
    httpserver.expect_request("/wp-content/uploads/2020/01/flaky.png").respond_with_handler(flaky)
    httpserver.expect_request("/wp-content/uploads/2020/01/gone.png").respond_with_data(
        "no", status=404
    )
    return httpserver.url_for("").rstrip("/"), calls


def test_without_download_media_every_remote_image_is_listed_with_its_line(tmp_path, old_site):
    site, calls = old_site
    report = run(export_for(tmp_path, site), tmp_path / "content")
    listed = [str(n) for n in report.notes if "still shown from another site" in n.what]
    assert len(listed) == 4
    assert all(re.match(r"essays/pictures\.md: line \d+: ", line) for line in listed)
    assert not calls and not (tmp_path / "content" / "images").exists()


def test_download_media_fetches_the_authors_images_retries_and_reports_failures(tmp_path, old_site):
    site, calls = old_site
    content = tmp_path / "content"
    report = run(export_for(tmp_path, site), content, Fetcher(pause=0.01))
    essay = (content / "essays" / "pictures.md").read_text("utf-8")
    copied = sorted(p.name for p in (content / "images" / "remote").rglob("*.png"))
    assert copied == ["flaky.png", "ok.png"]
    ok = local_path(f"{site}/wp-content/uploads/2020/01/ok.png")
    assert ok.startswith("images/remote/") and ok.endswith("/wp-content/uploads/2020/01/ok.png")
    assert (content / ok).read_bytes() == PNG
    assert "{static}/" + ok in essay
    assert calls["flaky"] == 3  # two refusals, then the picture
    assert report.downloaded == 2
    assert report.not_downloaded == [f"{site}/wp-content/uploads/2020/01/gone.png: HTTP 404"]
    # Another site's image is not the author's: listed, never fetched.
    assert "https://elsewhere.example/theirs.png" in essay
    assert any("elsewhere.example" in n.what for n in report.notes)


def test_the_task_downloads_media_and_prints_what_failed(tmp_path, old_site):
    site, _ = old_site
    content = tmp_path / "content"
    export = export_for(tmp_path, site)
    result = run_invoke("import.wordpress", str(export), "--content", str(content),
                        "--download-media")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    words = re.sub(r"\s+", " ", result.stdout)
    assert "Media downloaded: 2" in words
    assert "gone.png: HTTP 404" in words


@pytest.mark.parametrize(
    "url, path",
    [
        ("https://blog.files.wordpress.com/2010/01/a%20b.jpg?w=300", "images/remote/blog.files.wordpress.com/2010/01/a-b.jpg"),  # noqa: E501
        ("https://i0.wp.com/old.example/wp-content/uploads/x.png?resize=1", "images/remote/i0.wp.com/old.example/wp-content/uploads/x.png"),  # noqa: E501
        ("https://old.example/%2e%2e/%2e%2e/etc/passwd", "images/remote/old.example/etc/passwd.img"),  # noqa: E501
        ("https://old.example/..%5c..%5cwin.ini", "images/remote/old.example/win.ini.img"),
    ],
)  # fmt: skip
def test_a_downloaded_image_is_placed_by_its_decoded_path_inside_content(url, path):
    assert local_path(url) == path


def test_the_authors_hosts_are_the_old_site_wordpress_com_and_jetpack():
    hosts = frozenset({"old.example"})
    assert is_wordpress_host("https://old.example/a.png", hosts)
    assert is_wordpress_host("https://blog.files.wordpress.com/a.png", hosts)
    assert is_wordpress_host("https://i2.wp.com/old.example/a.png", hosts)
    assert not is_wordpress_host("https://elsewhere.example/a.png", hosts)
