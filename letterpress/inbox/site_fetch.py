"""The built site's files, fetched from where the site is published when it lives on another host.

The inbox reads a few of the build's files: the manifest (letterpress.json) and the templates of
its forms (inbox-forms/). (Not the workshops' calendar files: the registration e-mail makes its
attendee's calendar from the manifest's facts, naming it after the manifest's ics_url.)

When the site is published elsewhere (GitHub Pages, a CDN), LETTERPRESS_SITE_MANIFEST is the
manifest's address and a `SiteMirror` keeps a copy of those files in a folder on the inbox's
disk (LETTERPRESS_SITE_CACHE); every other part of the inbox reads that folder as it would read
output/.

Each refresh asks with the validators of the copy it holds (If-None-Match, If-Modified-Since), so
an unchanged site costs one 304 per file. A copy is only ever replaced by a good one: a site that
is down, answers 5xx, or publishes a manifest that does not parse leaves the last good copy in
place, on disk, so the inbox also starts on it after a restart. What went wrong is logged and kept
in `MirrorStatus` for /healthz (SiteManifest.health in site.py).
"""

import asyncio
import datetime as dt
import http.client
import json
import logging
import os
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urljoin

from letterpress.errors import LetterpressError
from letterpress.form_templates import FOLDER, PAGE, PARTIALS, SETTINGS_FILE, SUFFIX
from letterpress.manifest import FILENAME, Manifest, ManifestError, parse_manifest, read_manifest

log = logging.getLogger(__name__)

# A manifest of 4,000 essays with their comment ids is a few MB; anything far larger is not one.
MAX_BYTES = 64 * 1024 * 1024
TIMEOUT_S = 10.0
# The validators of each file held, and when the site last gave a good manifest.
STATE_FILE = ".fetched.json"
USER_AGENT = "Letterpress-inbox (site manifest)"


class FetchError(LetterpressError):
    """The site did not give a file: unreachable, or an answer other than 200, 304 or 404."""


@dataclass(frozen=True)
class Answer:
    status: int  # 200, 304 (not modified) or 404 (not there)
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""


def fetch(url: str, etag: str = "", last_modified: str = "", timeout: float = TIMEOUT_S) -> Answer:
    """GET `url`, conditionally when validators are given; FetchError naming the address when
    the site cannot be reached or answers anything but 200, 304, 404 or 410."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if response.status != 200:
                raise FetchError(f"{url} answered {response.status}, not the file.")
            body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise FetchError(f"{url} is larger than {MAX_BYTES // 2**20} MB: not a site file.")
            headers = response.headers
            return Answer(200, body, headers.get("ETag", ""), headers.get("Last-Modified", ""))
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Answer(304, etag=etag, last_modified=last_modified)
        if error.code in (404, 410):
            return Answer(404)
        raise FetchError(f"{url} answered {error.code} {error.reason}.") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        reason = getattr(error, "reason", None) or error
        raise FetchError(f"{url} did not answer ({reason}).") from None


def files_beside(manifest: Manifest) -> list[str]:
    """The files the inbox reads beside the manifest, as paths relative to it."""
    forms = [PAGE + SUFFIX, SETTINGS_FILE, *(name + SUFFIX for name in PARTIALS)]
    return [f"{FOLDER}/{name}" for name in forms]


@dataclass(frozen=True)
class MirrorStatus:
    """What the last refresh found. `good_at` is when the site last gave a good manifest (a 200
    that parsed, or a 304 for the copy held), as a UNIX time; None when it never has."""

    url: str
    good_at: float | None = None
    error: str = ""  # why the last refresh failed ("" when it did not)
    build_date: str = ""


class SiteMirror:
    """A copy of the site's files in `folder`, refreshed from the manifest's address `url`."""

    def __init__(
        self,
        url: str,
        folder: Path,
        *,
        timeout: float = TIMEOUT_S,
        clock: Callable[[], float] = time.time,
    ):
        self.url = url
        self.folder = Path(folder)
        self.timeout = timeout
        self.clock = clock
        self._validators, good_at = self._load_state()
        self.status = MirrorStatus(url, good_at=good_at)

    @property
    def manifest_path(self) -> Path:
        return self.folder / FILENAME

    def refresh(self) -> MirrorStatus:
        """Fetch the manifest, then the files beside it; never raises. A failure keeps the copy
        held and is logged (once while it lasts) and recorded in `status`."""
        try:
            manifest = self._refresh_manifest()
        except (FetchError, ManifestError) as error:
            self._failed(str(error))
            return self.status
        except OSError as error:  # the copy cannot be written (a full disk): keep the old one
            self._failed(f"{self.folder}: the copy cannot be written ({error.strerror})")
            return self.status
        for name in files_beside(manifest):
            try:
                self._refresh_file(name)
            except (FetchError, OSError) as error:
                # The manifest decides what the inbox accepts; a template missing
                # for a while costs a plainer page, so it is only logged.
                log.warning("site file %s not refreshed, the copy held stays: %s", name, error)
        if self.status.error:
            log.info("site manifest at %s answers again", self.url)
        self.status = MirrorStatus(self.url, self.clock(), "", manifest.build_date)
        try:
            self._save_state()
        except OSError as error:
            log.warning("site cache state not saved in %s: %s", self.folder, error.strerror)
        return self.status

    async def keep_fresh(self, every_s: float) -> None:
        """Refresh every `every_s` seconds, off the event loop, until cancelled."""
        while True:
            await asyncio.sleep(every_s)
            await asyncio.to_thread(self.refresh)

    def _refresh_manifest(self) -> Manifest:
        held = self.manifest_path.is_file()
        etag, modified = self._validators.get(FILENAME, ("", "")) if held else ("", "")
        answer = fetch(self.url, etag, modified, self.timeout)
        if answer.status == 304:
            return read_manifest(self.manifest_path)
        if answer.status == 404:
            raise FetchError(
                f"{self.url} answered 404: no manifest there. Publish the whole built site "
                "(output/, with letterpress.json), or correct LETTERPRESS_SITE_MANIFEST."
            )
        try:
            text = answer.body.decode("utf-8")
        except UnicodeDecodeError:
            raise ManifestError(f"{self.url}: the manifest is not UTF-8 text.") from None
        manifest = parse_manifest(text, self.url)
        changed = not held or self.manifest_path.read_bytes() != answer.body
        self._store(FILENAME, answer)
        if changed:
            log.info(
                "site manifest fetched from %s (built %s: %d essays, %d workshops)",
                self.url,
                manifest.build_date or "on an unknown date",
                len(manifest.essays),
                len(manifest.workshops),
            )
        return manifest

    def _refresh_file(self, name: str) -> None:
        path = self.folder / name
        etag, modified = self._validators.get(name, ("", "")) if path.is_file() else ("", "")
        answer = fetch(urljoin(self.url, name), etag, modified, self.timeout)
        if answer.status == 200:
            self._store(name, answer)
        elif answer.status == 404:
            # Gone from the site (a workshop removed, a site built before the templates): the
            # inbox should not go on using it either.
            path.unlink(missing_ok=True)
            self._validators.pop(name, None)

    def _store(self, name: str, answer: Answer) -> None:
        _write_atomically(self.folder / name, answer.body)
        self._validators[name] = (answer.etag, answer.last_modified)

    def _failed(self, error: str) -> None:
        held = self.manifest_path.is_file()
        if error != self.status.error:
            kept = (
                f"keeping the copy of {_when(self.status.good_at)}"
                if held
                else "no copy held yet: the inbox refuses forms until the site answers"
            )
            log.warning("site manifest not refreshed: %s; %s", error, kept)
        self.status = replace(self.status, error=error)

    def _load_state(self) -> tuple[dict[str, tuple[str, str]], float | None]:
        try:
            data = json.loads((self.folder / STATE_FILE).read_text("utf-8"))
            validators = {name: (v[0], v[1]) for name, v in data["files"].items()}
            return validators, data.get("good_at")
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return {}, None

    def _save_state(self) -> None:
        data = {"good_at": self.status.good_at, "files": self._validators}
        _write_atomically(self.folder / STATE_FILE, json.dumps(data, indent=1).encode())


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` in one step, so a reader sees the old file or the new, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return "an earlier run"
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
