"""The built site as the inbox sees it: the manifest, re-read whenever a rebuild replaces it."""

import os
import time
from dataclasses import dataclass
from pathlib import Path

from letterpress.manifest import Manifest, ManifestError, read_manifest

from .site_fetch import SiteMirror

__all__ = ["ManifestError", "ManifestHealth", "SiteManifest", "page_address", "site_base"]

# A manifest fetched from the site is stale when the site has not confirmed it for this long.
STALE_AFTER_S = 600.0


@dataclass(frozen=True)
class ManifestHealth:
    """The manifest's state, for /healthz and `invoke doctor`.

    state: "ok"; "stale" (fetched from the site, which has not given a good manifest for more
    than `stale_after` seconds: the inbox goes on with its last good copy); or "unreadable" (no
    manifest the inbox can use, or the file now holds a broken one). `age_s`: seconds since the
    site last confirmed the copy (fetched), or since the file was written (local); None when
    there is none. `detail` is a sentence for people; `error` the last failure, "" if none.
    """

    source: str
    state: str
    detail: str
    age_s: float | None = None
    build_date: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "ok"


class SiteManifest:
    """Holds the last manifest read and reloads it when the file's mtime or size changes.

    A stat per request costs microseconds and means a rebuild is picked up without a restart.
    With a `mirror` (the site on another host), the file is the mirror's copy, which it replaces
    only with a good manifest.
    """

    def __init__(
        self, path: Path, mirror: SiteMirror | None = None, stale_after: float = STALE_AFTER_S
    ):
        self.path = Path(path)
        self.mirror = mirror
        self.stale_after = stale_after
        self._signature: tuple[int, int] | None = None
        self._manifest: Manifest | None = None
        self._error = ""

    def current(self) -> Manifest:
        """The manifest as the file is now; raise ManifestError naming the file if unreadable.

        While a rebuild replaces output/ the file can be missing or half-written for a moment;
        the last manifest read stays in use until a readable one appears.
        """
        try:
            stat = os.stat(self.path)
            signature = (stat.st_mtime_ns, stat.st_size)
            if self._manifest is None or signature != self._signature:
                self._manifest = read_manifest(self.path)
                self._signature = signature
            self._error = ""
        except FileNotFoundError:
            self._error = f"{self.path}: no site manifest; build the site first (make build)."
            if self._manifest is None:
                raise ManifestError(self._error) from None
        except ManifestError as error:
            self._error = str(error)
            if self._manifest is None:
                raise
        return self._manifest

    def health(self, now: float | None = None) -> ManifestHealth:
        """The manifest's state now (reading the file if it changed); never raises."""
        now = time.time() if now is None else now
        try:
            manifest = self.current()
        except ManifestError as error:
            manifest, self._error = None, str(error)
        if self.mirror is not None:
            return self._fetched_health(self.mirror, manifest, now)
        build_date = manifest.build_date if manifest else ""
        try:
            age = max(0.0, now - os.stat(self.path).st_mtime)
        except OSError:
            age = None
        if self._error:
            kept = " (the last good one read stays in use)" if manifest else ""
            return ManifestHealth(
                str(self.path), "unreadable", self._error + kept, age, build_date, self._error
            )
        return ManifestHealth(str(self.path), "ok", f"read from {self.path}", age, build_date)

    def _fetched_health(
        self, mirror: SiteMirror, manifest: Manifest | None, now: float
    ) -> ManifestHealth:
        status = mirror.status
        source = status.url
        age = None if status.good_at is None else max(0.0, now - status.good_at)
        build_date = manifest.build_date if manifest else ""
        if manifest is None:
            why = status.error or self._error or "not fetched yet"
            detail = f"no site manifest from {source} yet: {why}"
            return ManifestHealth(source, "unreadable", detail, age, "", status.error)
        if age is None or age > self.stale_after:
            since = "never" if age is None else f"not for {age:.0f} s"
            why = f" ({status.error})" if status.error else ""
            detail = (
                f"the site at {source} has given no good manifest {since}{why}; the inbox uses "
                f"its last good copy (built {build_date or 'on an unknown date'})"
            )
            return ManifestHealth(source, "stale", detail, age, build_date, status.error)
        detail = f"fetched from {source} {age:.0f} s ago"
        if status.error:
            detail += f"; the last refresh failed ({status.error}), the copy stays in use"
        return ManifestHealth(source, "ok", detail, age, build_date, status.error)


def site_base(config, manifest: Manifest | None) -> str:
    """Where the built site lives, for sending browsers back to it: the configured site URL, the
    manifest's, or the allowed origin; empty (a path on this host) when none is known."""
    manifest_url = manifest.site_url if manifest is not None else ""
    return (config.site_url or manifest_url or config.allowed_origin).rstrip("/")


def page_address(config, manifest: Manifest | None, path: str) -> str:
    """The absolute address of a page of the site (path as the manifest gives it)."""
    return f"{site_base(config, manifest)}/{path.lstrip('/')}"
