"""What `invoke doctor` checks: the settings in force, and what is missing or wrong for running
the site and the inbox in production.

`production_problems` is the pure part: settings and what was observed in, sentences out (each
says what to do). `observe` does the looking: the inbox's /healthz, the manifest the inbox reads.
"""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from letterpress.settings import Origin, Settings, variable

TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class Observed:
    """What was found by looking, outside the settings themselves."""

    # The inbox's /healthz answer: "" when it answered 200, else what went wrong.
    inbox_problem: str = ""
    # The manifest the inbox reads: "" when readable and current, else what is wrong.
    manifest_problem: str = ""
    # Secrets written in a settings file that git tracks (they would be published with it).
    secrets_in_git: tuple[str, ...] = ()


def production_problems(settings: Settings, observed: Observed) -> list[str]:
    """Everything that would go wrong in production, one sentence each; [] when ready."""
    problems = []
    if urlsplit(settings.site_url).scheme != "https":
        problems.append(
            f"site_url is {settings.site_url or 'empty'}: set it to the published site's "
            "https:// address."
        )
    if not settings.inbox_url:
        problems.append(
            "inbox_url is empty: published forms would post to this machine "
            f"({settings.dev_inbox_url}). Deploy the inbox (docs/deploy.md) and set its address."
        )
    elif urlsplit(settings.inbox_url).scheme != "https":
        problems.append(
            f"inbox_url {settings.inbox_url} is not https://: readers' comments and "
            "addresses would travel unencrypted."
        )
    if not settings.smtp_url.get_secret_value():
        problems.append(
            "smtp_url is not set: the inbox's e-mail (reply notices, confirmations) would be "
            f"written to the local outbox, never sent. Set {variable('smtp_url')}_FILE."
        )
    if not settings.secret.get_secret_value():
        problems.append(
            "secret is not set: links in e-mail would be signed with a key kept only in the "
            f"inbox's database, lost with it. Set {variable('secret')}_FILE to a file holding a "
            "long random string."
        )
    if not settings.admin_token.get_secret_value():
        problems.append(
            "admin_token is not set: no task or scheduled job can moderate or pull comments "
            f"from the deployed inbox. Set {variable('admin_token')}_FILE."
        )
    if not settings.mail_from or "@localhost" in settings.mail_from:
        problems.append(
            "mail_from is not set: e-mail would come from letterpress@localhost, which mail "
            "servers refuse. Set it to your own address."
        )
    problems += [
        f"{name} is written in {where}, which git tracks: anyone with the repository has it. "
        f"Remove it there and set {variable(name)}_FILE instead."
        for name, where in (item.split("@", 1) for item in observed.secrets_in_git)
    ]
    if observed.inbox_problem:
        problems.append(observed.inbox_problem)
    if observed.manifest_problem:
        problems.append(observed.manifest_problem)
    return problems


def observe(settings: Settings, origins: list[Origin], root: Path) -> Observed:
    return Observed(
        inbox_problem=_inbox_health(settings.inbox_url),
        manifest_problem=_manifest_state(settings.site_manifest, root),
        secrets_in_git=tuple(_secrets_in_git(origins, root)),
    )


def _inbox_health(inbox_url: str) -> str:
    if not inbox_url:
        return ""
    url = f"{inbox_url}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:
            answer.read()
        return ""
    except urllib.error.HTTPError as error:
        detail = error.read(500).decode("utf-8", "replace").strip()
        return f"The inbox at {inbox_url} answers /healthz with {error.code}: {detail}"
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return f"The inbox at {inbox_url} cannot be reached ({reason}): is it running?"


def _manifest_state(site_manifest: str, root: Path) -> str:
    """A manifest file older than the newest content file, or one that cannot be read."""
    if urlsplit(site_manifest).scheme in ("http", "https"):
        try:
            with urllib.request.urlopen(site_manifest, timeout=TIMEOUT_SECONDS) as answer:
                json.loads(answer.read())
            return ""
        except (OSError, ValueError) as error:
            return (
                f"site_manifest {site_manifest} cannot be read ({error}): publish the site, "
                "or check the address."
            )
    path = Path(site_manifest)
    path = path if path.is_absolute() else root / path
    if not path.is_file():
        return f"site_manifest {path} does not exist: build the site (make build)."
    content = root / "content"
    newest = max((p.stat().st_mtime for p in content.rglob("*") if p.is_file()), default=0)
    if newest > path.stat().st_mtime:
        return (
            f"site_manifest {path} is older than the content: the inbox refuses comments on "
            "essays it does not list. Build the site again (make build)."
        )
    return ""


def _secrets_in_git(origins: list[Origin], root: Path) -> list[str]:
    """Secret settings whose value came from a settings file that git tracks ("name@file")."""
    from letterpress.settings import SECRET_FIELDS

    found = []
    for origin in origins:
        if origin.name not in SECRET_FIELDS or not origin.source.endswith(".toml"):
            continue
        tracked = subprocess.run(
            ["git", "-C", str(root), "ls-files", "--error-unmatch", origin.source],
            capture_output=True,
            check=False,
        )
        if tracked.returncode == 0:
            found.append(f"{origin.name}@{origin.source}")
    return found
