"""The newsletter ledger: what happened to each month's issue, committed to git.

It lives at newsletter-ledger.json, at the top of the repository and outside content/: Pelican
reads only content/, so the ledger can never turn into a page, and a push that changes it cannot
change the site (a build stays a function of the content). It is committed so that every machine
(the author's laptop, CI's monthly run) knows that an issue was scheduled or sent and refuses to
send it twice. The outbox keeps its own ledger under build/outbox/, never committed: practice runs
must not mark a real issue as sent.

One entry per month:
  campaign_id    the campaign on the mailing service
  backend        'mailchimp' or 'outbox'
  state          draft (the campaign holds this content), content-stale (the campaign exists but
                 its content is not known to be up to date), scheduled, sent, or unknown (a send
                 was attempted and its outcome could not be read back: check before anything else)
  content_hash   the hash of the content the campaign is known to hold (null when stale)
  scheduled_for  UTC time, when scheduled
  created, updated, sent_at   UTC times
  tests          how many test sends (never the addresses: no personal data in git)
"""

import dataclasses
import datetime as dt
import json
import os
import subprocess
import tempfile
from pathlib import Path

from letterpress.mailing.base import MailingError

LEDGER_PATH = Path("newsletters") / "ledger.json"
STATES = ("draft", "content-stale", "scheduled", "sent", "unknown")
# States after which the issue must never be sent again.
FINAL_STATES = ("scheduled", "sent")


@dataclasses.dataclass
class Entry:
    month: str
    campaign_id: str
    backend: str
    state: str
    content_hash: str | None = None
    scheduled_for: str | None = None
    created: str | None = None
    updated: str | None = None
    sent_at: str | None = None
    tests: int = 0

    def as_json(self) -> dict:
        data = dataclasses.asdict(self)
        del data["month"]
        return data


class Ledger:
    """The ledger file, read whole and written whole (atomically)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.entries: dict[str, Entry] = self._read()

    def _read(self) -> dict[str, Entry]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise MailingError(
                f"{self.path} is not valid JSON ({error}); restore it from git "
                "(git checkout -- newsletter-ledger.json) before pushing again."
            ) from None
        entries = {}
        fields = {field.name for field in dataclasses.fields(Entry)}
        for month, values in sorted(data.items()):
            unknown = set(values) - fields
            if unknown or values.get("state") not in STATES:
                raise MailingError(
                    f"{self.path}: the entry for {month} is not a ledger entry "
                    f"(state {values.get('state')!r}, unknown keys {sorted(unknown)})."
                )
            entries[month] = Entry(month=month, **values)
        return entries

    def get(self, month: str) -> Entry | None:
        return self.entries.get(month)

    def record(self, entry: Entry, now: dt.datetime) -> Entry:
        stamp = now.astimezone(dt.UTC).isoformat(timespec="seconds")
        entry.created = entry.created or stamp
        entry.updated = stamp
        self.entries[entry.month] = entry
        self.save()
        return entry

    def save(self) -> None:
        write_json(self.path, {month: self.entries[month].as_json() for month in self.entries})


def write_json(path: Path, data) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of one.
    Keys sorted and indented, so a committed file changes by the lines that changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(data, stream, indent=2, sort_keys=True, ensure_ascii=False)
        stream.write("\n")
    os.replace(temporary, path)


def commit_ledger(path: Path, message: str) -> str:
    """Commit the ledger file alone. Returns what happened, as a sentence for the author;
    never raises: the ledger on disk is what matters, git is how it travels."""
    path = Path(path).resolve()
    folder = path.parent

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=False
        )

    if git("rev-parse", "--is-inside-work-tree").returncode != 0:
        return f"{path} is not in a git repository: commit it yourself."
    if not git("status", "--porcelain", "--", path.name).stdout.strip():
        return "The ledger had no changes to commit."
    added = git("add", "--", path.name)
    committed = git("commit", "--quiet", "-m", message, "--", path.name)
    if added.returncode or committed.returncode:
        problem = (committed.stderr or added.stderr).strip().splitlines()
        detail = problem[-1] if problem else "git failed"
        return f"Could not commit {path} ({detail}): commit it yourself."
    return f"Committed {path.name}: {message}"
