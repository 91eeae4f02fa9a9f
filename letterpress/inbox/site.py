"""The built site as the inbox sees it: the manifest, re-read whenever a rebuild replaces it."""

import os
from pathlib import Path

from letterpress.manifest import Manifest, ManifestError, read_manifest

__all__ = ["ManifestError", "SiteManifest", "page_address", "site_base"]


class SiteManifest:
    """Holds the last manifest read and reloads it when the file's mtime or size changes.

    A stat per request costs microseconds and means a rebuild is picked up without a restart.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._signature: tuple[int, int] | None = None
        self._manifest: Manifest | None = None

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
        except FileNotFoundError:
            if self._manifest is None:
                raise ManifestError(
                    f"{self.path}: no site manifest; build the site first (make build)."
                ) from None
        except ManifestError:
            if self._manifest is None:
                raise
        return self._manifest


def site_base(config, manifest: Manifest | None) -> str:
    """Where the built site lives, for sending browsers back to it: the configured site URL, the
    manifest's, or the allowed origin; empty (a path on this host) when none is known."""
    manifest_url = manifest.site_url if manifest is not None else ""
    return (config.site_url or manifest_url or config.allowed_origin).rstrip("/")


def page_address(config, manifest: Manifest | None, path: str) -> str:
    """The absolute address of a page of the site (path as the manifest gives it)."""
    return f"{site_base(config, manifest)}/{path.lstrip('/')}"
