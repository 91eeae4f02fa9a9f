"""The site and the inbox on different hosts: the inbox takes the manifest (and the forms'
templates, and the workshops' calendars) from the published site's address, asks again with the
validators it holds, and keeps its last good copy, on disk, while the site is down or publishes a
broken manifest; `SiteManifest.health()` says which."""

import email.utils
import hashlib
import json
import logging
import os
import re
import time
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from letterpress.inbox.config import ConfigError, InboxConfig
from letterpress.inbox.site import SiteManifest
from letterpress.inbox.site_fetch import SiteMirror
from letterpress.manifest import ManifestError
from tests.support import free_port, prepare_inbox


class SiteHost:
    """A static host serving a built site as Pages or a CDN does: ETag and Last-Modified on
    every file, 304 when the client's validator matches. Records each request."""

    def __init__(self, root: Path):
        self.root = root
        self.requests: list[tuple[str, int]] = []

    def __call__(self, request: Request) -> Response:
        path = self.root / request.path.lstrip("/")
        if not path.is_file():
            return self._answer(request, Response("not found", status=404))
        body = path.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = email.utils.formatdate(path.stat().st_mtime, usegmt=True)
        headers = {"ETag": etag, "Last-Modified": modified}
        if request.headers.get("If-None-Match") == etag:
            return self._answer(request, Response(status=304, headers=headers))
        return self._answer(request, Response(body, headers=headers))

    def _answer(self, request: Request, response: Response) -> Response:
        self.requests.append((request.path, response.status_code))
        return response

    def statuses(self, path: str) -> list[int]:
        return [status for requested, status in self.requests if requested == path]


@pytest.fixture
def published(tmp_path, site):
    """A copy of the built sample site (so a test may break it) on a host of its own."""
    root = tmp_path / "published"
    for source in site.output.rglob("*"):
        name = source.relative_to(site.output)
        if source.is_file() and (
            name.parts[0] in ("inbox-forms", "workshops") or name.name == "letterpress.json"
        ):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(source.read_bytes())
    host = SiteHost(root)
    server = HTTPServer(host="127.0.0.1", port=free_port())
    server.expect_request(re.compile("/.*")).respond_with_handler(host)
    server.start()
    yield server, host, root
    if server.is_running():
        server.stop()


def manifest_url(server: HTTPServer) -> str:
    return server.url_for("/letterpress.json")


def an_open_essay(root: Path) -> str:
    essays = json.loads((root / "letterpress.json").read_text("utf-8"))["essays"]
    return next(slug for slug, essay in essays.items() if essay["comments_open"])


def test_a_refresh_asks_with_its_etag_and_an_unchanged_site_answers_304(published, tmp_path):
    server, host, root = published
    mirror = SiteMirror(manifest_url(server), tmp_path / "cache")
    assert mirror.refresh().error == ""
    copy = tmp_path / "cache" / "letterpress.json"
    assert copy.read_bytes() == (root / "letterpress.json").read_bytes()
    written = copy.stat().st_mtime_ns
    forms = sorted(p.name for p in (tmp_path / "cache" / "inbox-forms").rglob("*.j2"))
    assert "page.j2" in forms and "comment_form.html.j2" in forms
    # Only what the inbox reads: the manifest and the forms (the e-mail makes its own calendar).
    assert not list((tmp_path / "cache").rglob("*.ics"))

    assert mirror.refresh().error == ""
    assert host.statuses("/letterpress.json") == [200, 304]
    assert host.statuses("/inbox-forms/page.j2") == [200, 304]
    assert copy.stat().st_mtime_ns == written, "a 304 leaves the copy alone"

    # A restarted inbox keeps the validators: its first request is conditional too.
    SiteMirror(manifest_url(server), tmp_path / "cache").refresh()
    assert host.statuses("/letterpress.json") == [200, 304, 304]


def test_a_new_build_on_the_site_replaces_the_copy(published, tmp_path):
    server, host, root = published
    site = SiteManifest(
        tmp_path / "cache" / "letterpress.json",
        SiteMirror(manifest_url(server), tmp_path / "cache"),
    )
    site.mirror.refresh()
    slug = an_open_essay(root)
    data = json.loads((root / "letterpress.json").read_text("utf-8"))
    data["essays"][slug]["comments_open"] = False
    (root / "letterpress.json").write_text(json.dumps(data), "utf-8")
    site.mirror.refresh()
    assert host.statuses("/letterpress.json") == [200, 200]
    assert site.current().essays[slug].comments_open is False


def test_while_the_site_is_down_the_last_good_copy_stays_and_turns_stale(
    published, tmp_path, caplog
):
    server, _host, _root = published
    clock = [1_000_000.0]
    mirror = SiteMirror(manifest_url(server), tmp_path / "cache", clock=lambda: clock[0])
    site = SiteManifest(mirror.manifest_path, mirror, stale_after=600)
    mirror.refresh()
    essays = site.current().essays
    assert site.health(now=clock[0] + 5).state == "ok"

    server.stop()
    with caplog.at_level(logging.WARNING, logger="letterpress"):
        status = mirror.refresh()
        mirror.refresh()
    assert "did not answer" in status.error
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, "logged once while it lasts, not at every refresh"
    assert "keeping the copy of" in warnings[0]
    assert site.current().essays == essays
    recent = site.health(now=clock[0] + 60)
    assert recent.state == "ok" and "did not answer" in recent.error
    late = site.health(now=clock[0] + 601)
    assert late.state == "stale" and not late.ok
    assert "last good copy" in late.detail and late.age_s == pytest.approx(601)

    # A restart while the site is still down starts on the copy on disk, already stale.
    restarted = SiteMirror(manifest_url(server), tmp_path / "cache", clock=lambda: clock[0])
    again = SiteManifest(restarted.manifest_path, restarted, stale_after=600)
    restarted.refresh()
    assert again.current().essays == essays
    assert again.health(now=clock[0] + 601).state == "stale"


def test_a_broken_manifest_on_the_site_is_refused_and_the_last_good_kept(published, tmp_path):
    server, _host, root = published
    mirror = SiteMirror(manifest_url(server), tmp_path / "cache")
    site = SiteManifest(mirror.manifest_path, mirror)
    mirror.refresh()
    good = mirror.manifest_path.read_bytes()
    for broken in ('{"version": 1, "essays": {"x": {"url": "/x/"}}}', "<html>oops</html>"):
        (root / "letterpress.json").write_text(broken, "utf-8")
        status = mirror.refresh()
        assert mirror.manifest_path.read_bytes() == good
        assert manifest_url(server) in status.error
        health = site.health()
        assert health.state == "ok" and health.error == status.error
        assert site.current().essays


def test_with_no_copy_and_no_site_the_manifest_is_unreadable(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/letterpress.json"
    mirror = SiteMirror(url, tmp_path / "cache", timeout=2)
    site = SiteManifest(mirror.manifest_path, mirror)
    mirror.refresh()
    health = site.health()
    assert health.state == "unreadable" and "did not answer" in health.detail
    with pytest.raises(ManifestError):
        site.current()


def test_a_local_file_that_breaks_is_reported_unreadable(tmp_path, site):
    path = tmp_path / "letterpress.json"
    path.write_bytes((site.output / "letterpress.json").read_bytes())
    manifest = SiteManifest(path)
    assert manifest.health().state == "ok"
    path.write_text("{", "utf-8")
    os.utime(path, ns=(1, 1))
    health = manifest.health()
    assert health.state == "unreadable" and "last good one read stays in use" in health.detail


def test_the_setting_takes_a_file_or_an_address_and_nothing_else(tmp_path):
    db = str(tmp_path / "var" / "inbox.sqlite3")
    config = InboxConfig.from_environ(
        {
            "LETTERPRESS_INBOX_DB": db,
            "LETTERPRESS_SITE_MANIFEST": "https://example.org/letterpress.json",
            "LETTERPRESS_MANIFEST_REFRESH": "30",
        }
    )
    assert config.manifest_url == "https://example.org/letterpress.json"
    assert config.manifest_path == tmp_path / "var" / "site" / "letterpress.json"
    assert config.manifest_refresh == 30
    local = InboxConfig.from_environ({"LETTERPRESS_SITE_MANIFEST": "site/letterpress.json"})
    assert (local.manifest_url, str(local.manifest_path)) == ("", "site/letterpress.json")
    with pytest.raises(ConfigError, match="LETTERPRESS_SITE_MANIFEST in the environment: give"):
        InboxConfig.from_environ({"LETTERPRESS_SITE_MANIFEST": "ftp://example.org/m.json"})


def test_the_inbox_takes_comments_for_a_site_on_another_host_and_survives_its_outage(
    published, tmp_path
):
    server, _host, root = published
    slug = an_open_essay(root)
    inbox = prepare_inbox(
        tmp_path / "inbox",
        env={
            "LETTERPRESS_SITE_MANIFEST": manifest_url(server),
            "LETTERPRESS_MANIFEST_REFRESH": "1",
            "LETTERPRESS_COMMENT_RATE": "0",
        },
    ).start()
    try:
        comment = {"essay": slug, "name": "Ada", "email": "ada@example.org", "body": "Far away."}
        answer = httpx.post(inbox.url + "/comments", data=comment)
        assert answer.status_code == 303, answer.text
        # A refused form comes back on the site's own page: the templates came from the site.
        refused = httpx.post(inbox.url + "/comments", data={**comment, "body": ""})
        assert refused.status_code == 400
        assert "letterpress.css" in refused.text and "Please check your comment" in refused.text
        assert "site manifest fetched from " + manifest_url(server) in inbox.log()

        assert httpx.get(inbox.url + "/healthz").status_code == 200

        server.stop()
        inbox.stop()
        inbox.env["LETTERPRESS_MANIFEST_STALE_AFTER"] = "1"
        inbox.start()
        answer = httpx.post(inbox.url + "/comments", data={**comment, "body": "Still here."})
        assert answer.status_code == 303, answer.text
        time.sleep(1.5)  # no good answer from the site for longer than manifest_stale_after
        health = httpx.get(inbox.url + "/healthz")
        assert health.status_code == 503 and health.json()["manifest"].startswith("stale: ")
        assert "site manifest not refreshed" in inbox.log()
        assert "keeping the copy of" in inbox.log()
        bodies = {row["body"] for row in inbox.rows("SELECT body FROM comments")}
        assert bodies == {"Far away.", "Still here."}
    finally:
        inbox.stop()
