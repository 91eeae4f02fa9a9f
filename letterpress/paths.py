"""Where the build hands things to the rest of the product: one owner for each path.

The build, the tasks and the inbox meet in folders: the build folder (the cache, the newsletter's
issue files, the local outbox), and the site's output. Each such path is worked out here, from the
settings or the build folder, so a renamed folder is renamed everywhere at once. (A workshop's
calendar file is a path on the site: the workshops plugin's ics_url setting, carried to the inbox
in the manifest.)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

# A folder as a path or its text.
Folder = str | os.PathLike[str]

# The build folder when no setting names one (letterpress.toml's build_dir, Pelican's BUILD_PATH).
DEFAULT_BUILD_DIR = "build"


def build_path(settings: Mapping) -> Path:
    """BUILD_PATH from Pelican's settings, or the default build folder."""
    return Path(settings.get("BUILD_PATH") or DEFAULT_BUILD_DIR)


def cache_path(settings: Mapping) -> Path:
    """BUILD_PATH/cache: everything the build keeps between builds."""
    return build_path(settings) / "cache"


def newsletter_path(build: Folder) -> Path:
    """BUILD/newsletter: one folder per month's issue, written by the build."""
    return Path(build) / "newsletter"


def issue_path(build: Folder, month: object) -> Path:
    """BUILD/newsletter/YYYY-MM: one month's e-mail parts (email.html, email.txt, issue.json)."""
    return newsletter_path(build) / str(month)


def outbox_path(build: Folder) -> Path:
    """BUILD/outbox: the mailing list's stand-in when no Mailchimp keys are set."""
    return Path(build) / "outbox"


def notifications_outbox_path(build: Folder) -> Path:
    """BUILD/outbox/notifications: the inbox's own e-mail when no SMTP server is set."""
    return outbox_path(build) / "notifications"
