"""Tasks for workshop registrations: read the roster, cancel a registration.

Both act where the settings say (docs/settings.md): on the inbox's database on this machine
(inbox_db) or, with remote = true, on the deployed inbox through its admin API (admin_token);
--remote URL names another one for this run. Seats come from the site manifest (site_manifest).
"""

from __future__ import annotations

import csv
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from invoke import Collection, Exit, task

# The inbox's modules (and through them icalendar and Starlette) load when a workshop task runs,
# not on every `invoke` (tasks.py imports this collection): a fifth of a second saved on each.
if TYPE_CHECKING:
    from letterpress.inbox.config import InboxConfig
    from letterpress.inbox.registration_store import Entry
    from letterpress.manifest import WorkshopEntry

CSV_COLUMNS = ("status", "name", "email", "seats", "phone", "newsletter", "created", "message")


def _config() -> InboxConfig:
    from commands.site import inbox_config

    return inbox_config()


def _workshop(config: InboxConfig, slug: str) -> WorkshopEntry:
    from letterpress.manifest import ManifestError, read_manifest

    try:
        workshops = read_manifest(config.manifest_path).workshops
    except ManifestError as error:
        raise Exit(str(error), code=2) from None
    if slug not in workshops:
        known = ", ".join(sorted(workshops)) or "none"
        raise Exit(f"No workshop '{slug}' in {config.manifest_path} (known: {known}).", code=2)
    return workshops[slug]


def _database(config: InboxConfig):
    from letterpress.inbox.comment_store import SCHEMA as COMMENTS
    from letterpress.inbox.db import open_database
    from letterpress.inbox.registration_store import SCHEMA
    from letterpress.notify.store import SCHEMA as NOTIFY

    if not Path(config.db_path).exists():
        raise Exit(
            f"No inbox database at {config.db_path}: set inbox_db in the settings, or "
            "remote = true (with inbox_url) to ask the deployed inbox.",
            code=2,
        )
    return open_database(config.db_path, [COMMENTS, SCHEMA, NOTIFY])


def _admin(deployed: tuple[str, str], method: str, path: str, **kwargs) -> dict:
    from letterpress.moderation.admin_client import AdminClient, AdminError

    try:
        with AdminClient(*deployed) as client:
            return client.call(method, path, **kwargs)
    except AdminError as error:
        raise Exit(str(error), code=1) from None


def _remote_roster(deployed: tuple[str, str], slug: str) -> tuple[int, list[Entry]]:
    from letterpress.inbox.registration_store import Entry

    body = _admin(deployed, "GET", f"/workshops/{slug}/registrations")
    return int(body["seats"]), [Entry(**entry) for entry in body["registrations"]]


def print_roster(title: str, capacity: int, entries: list[Entry]) -> None:
    from rich.console import Console
    from rich.table import Table

    taken = sum(e.seats for e in entries if e.status == "confirmed")
    waiting = [e for e in entries if e.status == "waitlisted"]
    table = Table(title=f"{title}: {taken} of {capacity} seats taken, {len(waiting)} waiting")
    for column in ("#", "Status", "Name", "E-mail", "Seats", "Phone", "Newsletter", "Message"):
        table.add_column(column, overflow="fold")
    for number, e in enumerate(entries, start=1):
        table.add_row(
            str(number),
            "waiting" if e.status == "waitlisted" else e.status,
            e.name,
            e.email,
            str(e.seats),
            e.phone,
            "yes" if e.newsletter else "",
            e.message,
        )
    Console().print(table)


def write_csv(path: str, entries: list[Entry]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(asdict(e) for e in entries)


def _confirm_seats(db, config: InboxConfig, slug: str, promoted: list[str]) -> None:
    """Queue and send each promoted person's confirmation (a running inbox would send it too;
    the queue never sends one twice)."""
    from letterpress.inbox.db import transaction
    from letterpress.notify import queueing
    from letterpress.notify.sending import letterhead, send_queue, transport_for

    if not promoted:
        return
    with transaction(db):
        queueing.seats_given(db, slug, promoted, config.clock())
    report = send_queue(db, transport_for(config), letterhead(config, db), config.clock)
    for item, error in report.failed:
        print(f"Not sent yet (invoke notifications.send retries): {item.recipient}: {error}")


@task(
    help={
        "csv": "also write the roster to this CSV file",
        "remote": "another deployed inbox's URL, for this run (default: the settings)",
    }
)
def roster_(c, slug, csv=None, remote=None):
    """Print who is confirmed and who is waiting for workshop SLUG (--csv FILE exports it)."""
    from commands.site import deployed_inbox
    from letterpress.inbox.registration_store import roster

    deployed = deployed_inbox(remote)
    if deployed:
        capacity, entries = _remote_roster(deployed, slug)
        title = slug
    else:
        config = _config()
        workshop = _workshop(config, slug)
        capacity, title = workshop.seats, workshop.title
        db = _database(config)
        try:
            entries = roster(db, slug)
        finally:
            db.close()
    print_roster(title, capacity, entries)
    if csv:
        write_csv(csv, entries)
        print(f"Wrote {len(entries)} registrations to {csv} (personal data: keep it out of git).")


@task(help={"remote": "another deployed inbox's URL, for this run (default: the settings)"})
def cancel_(c, slug, email, remote=None):
    """Cancel EMAIL's registration for SLUG; the freed seats go to the first people waiting."""
    from commands.site import deployed_inbox
    from letterpress.inbox.registration_store import NotRegistered, cancel

    deployed = deployed_inbox(remote)
    if deployed:
        path = f"/workshops/{slug}/registrations/cancel"
        promoted = _admin(deployed, "POST", path, data={"email": email})["promoted"]
    else:
        config = _config()
        capacity = _workshop(config, slug).seats
        db = _database(config)
        try:
            promoted = cancel(db, slug, email, capacity, now=config.clock())
            _confirm_seats(db, config, slug, promoted)
        except NotRegistered as error:
            raise Exit(str(error), code=1) from None
        finally:
            db.close()
    print(f"Cancelled {email.strip().lower()}'s registration for {slug}.")
    for address in promoted:
        print(f"Confirmed from the waiting list: {address} (an e-mail tells them).")
    if not promoted:
        print("Nobody on the waiting list could take the freed seats.")


ns = Collection("workshops")
ns.add_task(roster_, name="roster")
ns.add_task(cancel_, name="cancel")
