"""Where the build hands things to the rest of the product: one owner for each path.

The build, the tasks and the inbox meet in folders: the build folder (the cache, the newsletter's
issue files, the local outbox), and the site's output. Each such path is worked out here, from the
settings, so a renamed folder is renamed everywhere at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

# The build folder when no setting names one (letterpress.toml's build_dir, Pelican's BUILD_PATH).
DEFAULT_BUILD_DIR = "build"


def build_path(settings: Mapping) -> Path:
    """BUILD_PATH from Pelican's settings, or the default build folder."""
    return Path(settings.get("BUILD_PATH") or DEFAULT_BUILD_DIR)


def cache_path(settings: Mapping) -> Path:
    """BUILD_PATH/cache: everything the build keeps between builds."""
    return build_path(settings) / "cache"
