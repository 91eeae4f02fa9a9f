"""Images an imported post shows from elsewhere: listed, or (with --download-media) copied in.

A post may show images from the old site (`/wp-content/uploads/…` not found in --uploads),
from WordPress.com's file hosts (`blog.files.wordpress.com`) or through Jetpack's image proxy
(`i0.wp.com/old-blog.example/…`). Without --download-media each is listed in the report, with the
file and line. With it, each image on those hosts is fetched (with retries) into
`content/images/remote/<host>/<path>` and the post links to the copy as a `{static}` file; one
that cannot be fetched keeps its address and is listed with the reason. Images on other sites are
not the author's: they are listed, never fetched.
"""

import posixpath
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

REMOTE_FOLDER = "images/remote"
# Addresses in what the converter writes: ![alt](url "title") and src="…"/poster="…".
_IMAGE = re.compile(
    r"""(?:!\[[^\]]*\]\((?P<md>https?://[^\s)"]+)|\b(?:src|poster)="(?P<attr>https?://[^"]+)")"""
)
_IMAGE_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|avif|bmp|ico|tiff?)$", re.I)
_WORDPRESS_HOSTS = re.compile(r"(?:[\w-]+\.)*files\.wordpress\.com|i[0-3]\.wp\.com|[\w-]+\.wp\.com")
_SAFE_PART = re.compile(r"[^\w.-]+")


def is_wordpress_host(url: str, site_hosts: frozenset[str]) -> bool:
    """True for the hosts whose images are the author's own: the old site's (`site_hosts`, as
    host[:port]), WordPress.com's file hosts and Jetpack's image proxy."""
    parts = urlsplit(url)
    return parts.netloc in site_hosts or bool(_WORDPRESS_HOSTS.fullmatch(parts.hostname or ""))


def remote_images(text: str) -> list[str]:
    """The absolute image addresses a converted post shows, in order, once each."""
    found = [m["md"] or m["attr"] for m in _IMAGE.finditer(text)]
    return list(dict.fromkeys(found))


def local_path(url: str) -> str | None:
    """content-relative path for a downloaded image, decided after decoding: every part made of
    safe characters, no '..', no query. None when nothing sensible remains."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if parts.hostname and re.fullmatch(r"i[0-3]\.wp\.com", parts.hostname):
        # Jetpack's proxy: i0.wp.com/<host>/<path>; the picture is the original's.
        path = "/" + path.lstrip("/")
    cleaned = []
    for part in [parts.hostname or "", *path.replace("\\", "/").split("/")]:
        part = unicodedata.normalize("NFKC", part)
        part = _SAFE_PART.sub("-", part).strip(".-")
        if part and part not in (".", ".."):
            cleaned.append(part[:120])
    if len(cleaned) < 2:
        return None
    if not _IMAGE_SUFFIX.search(cleaned[-1]):
        cleaned[-1] += ".img"
    return posixpath.join(REMOTE_FOLDER, *cleaned)


@dataclass
class Fetcher:
    """Downloads images over HTTP(S), each once, with retries; remembers what failed and why."""

    attempts: int = 3
    pause: float = 0.5  # seconds before the second attempt; doubled after each
    timeout: float = 15.0
    max_bytes: int = 50 * 2**20
    on_fetch: Callable[[str], None] | None = None  # called once per address, for a progress bar
    done: dict[str, bytes | str] = field(default_factory=dict)  # url -> bytes, or why it failed

    def get(self, url: str) -> bytes | str:
        """The image's bytes, or a sentence saying why it could not be fetched."""
        if url not in self.done:
            self.done[url] = self._fetch(url)
            if self.on_fetch:
                self.on_fetch(url)
        return self.done[url]

    def _fetch(self, url: str) -> bytes | str:
        import requests

        why = ""
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.pause * 2 ** (attempt - 1))
            try:
                with requests.get(url, timeout=self.timeout, stream=True) as response:
                    if response.status_code in (404, 410, 403, 401):
                        return f"HTTP {response.status_code}"
                    if response.status_code >= 400:
                        why = f"HTTP {response.status_code}"
                        continue
                    kind = response.headers.get("content-type", "")
                    if kind and not kind.startswith("image/"):
                        return f"not an image ({kind.split(';')[0]})"
                    data = b""
                    for chunk in response.iter_content(1 << 16):
                        data += chunk
                        if len(data) > self.max_bytes:
                            return f"larger than {self.max_bytes // 2**20} MB"
                    return data
            except requests.RequestException as error:
                why = type(error).__name__
        return f"{why} after {self.attempts} attempts"
