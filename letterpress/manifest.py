"""The site manifest, `output/letterpress.json`: what the inbox may accept.

The build writes it (plugins/manifest); the inbox reads it. It lists the essays (and whether they
take comments, and which comment ids exist) and the workshops (seats and registration state). It
holds no personal data: it is published with the site.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

FILENAME = "letterpress.json"
VERSION = 1


class ManifestError(ValueError):
    """The manifest is missing or unreadable; the message names the file."""


@dataclass(frozen=True)
class EssayEntry:
    slug: str
    title: str
    url: str
    comments_open: bool = True
    comment_ids: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "comments_open": self.comments_open,
            "comment_ids": list(self.comment_ids),
        }


@dataclass(frozen=True)
class Manifest:
    site_url: str
    build_date: str
    essays: Mapping[str, EssayEntry] = field(default_factory=dict)
    # Workshops are plain dicts whose keys the workshops plugin defines (seats, state, url…).
    workshops: Mapping[str, Mapping] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "version": VERSION,
            "site_url": self.site_url,
            "build_date": self.build_date,
            "essays": {slug: e.as_json() for slug, e in sorted(self.essays.items())},
            "workshops": {slug: dict(w) for slug, w in sorted(self.workshops.items())},
        }


def make_manifest(
    site_url: str, build_date: str, essays: Iterable[EssayEntry], workshops: Mapping[str, Mapping]
) -> Manifest:
    return Manifest(site_url, build_date, {e.slug: e for e in essays}, dict(workshops))


def write_manifest(manifest: Manifest, output_dir: Path) -> Path:
    path = Path(output_dir) / FILENAME
    path.write_text(json.dumps(manifest.as_json(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def read_manifest(path: Path) -> Manifest:
    """Load a manifest written by the build; raise ManifestError naming the file if it can't."""
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ManifestError(
            f"{path}: no site manifest; build the site first (make build)."
        ) from None
    except (OSError, json.JSONDecodeError) as error:
        raise ManifestError(f"{path}: unreadable site manifest ({error}).") from None
    if data.get("version") != VERSION:
        raise ManifestError(
            f"{path}: manifest version {data.get('version')!r}, expected {VERSION}."
        )
    essays = {
        slug: EssayEntry(
            slug=slug,
            title=e["title"],
            url=e["url"],
            comments_open=bool(e.get("comments_open", True)),
            comment_ids=tuple(e.get("comment_ids", ())),
        )
        for slug, e in data.get("essays", {}).items()
    }
    return Manifest(data.get("site_url", ""), data.get("build_date", ""), essays, data["workshops"])
