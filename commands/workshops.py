"""Tasks for workshop registrations: read the roster (with the money), cancel a registration
(refunding as the policy says, or as --refund/--no-refund says), record a bank transfer.

Both act where the settings say (docs/settings.md): on the inbox's database on this machine
(inbox_db) or, with remote = true, on the deployed inbox through its admin API (admin_token);
--remote URL names another one for this run. Seats come from the site manifest (site_manifest).
"""

from __future__ import annotations

import csv
from dataclasses import asdict
from typing import TYPE_CHECKING

from invoke import Collection, Exit, task

# The inbox's modules (and through them icalendar and Starlette) load when a workshop task runs,
# not on every `invoke` (tasks.py imports this collection): a fifth of a second saved on each.
if TYPE_CHECKING:
    from letterpress.inbox.config import InboxConfig
    from letterpress.inbox.local import Inbox
    from letterpress.manifest import WorkshopEntry
    from letterpress.payments.roster import Line, Totals

CSV_COLUMNS = (
    "status",
    "name",
    "email",
    "seats",
    "amount",
    "refunded",
    "currency",
    "method",
    "phone",
    "newsletter",
    "created",
    "message",
)


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


def _inbox(config: InboxConfig) -> Inbox:
    from commands.site import local_inbox

    return local_inbox(config)


def _admin(deployed: tuple[str, str], method: str, path: str, **kwargs) -> dict:
    from letterpress.moderation.admin_client import AdminClient, AdminError

    try:
        with AdminClient(*deployed) as client:
            return client.call(method, path, **kwargs)
    except AdminError as error:
        raise Exit(str(error), code=1) from None


def _remote_roster(deployed: tuple[str, str], slug: str) -> tuple[str, int, list[Line], Totals]:
    from letterpress.payments.roster import Line, Totals

    body = _admin(deployed, "GET", f"/workshops/{slug}/registrations")
    found = [Line(**line) for line in body["lines"]]
    return body.get("title", slug), int(body["seats"]), found, Totals(**body["totals"])


def _money(amount: int, currency: str) -> str:
    from letterpress.payments.money import format_amount

    return format_amount(amount, currency) if currency and amount else ""


def print_roster(title: str, capacity: int, found: list[Line], totals: Totals) -> None:
    from rich.console import Console
    from rich.table import Table

    paying = any(line.method for line in found)  # a free workshop's roster has no money
    paid = f" ({totals.seats_paid} paid)" if paying else ""
    table = Table(
        title=f"{title}: {totals.seats_taken} of {capacity} seats taken{paid}, "
        f"{totals.waiting} waiting",
        caption=(
            f"Received {_money(totals.paid, totals.currency) or 0} · refunded "
            f"{_money(totals.refunded, totals.currency) or 0} · net "
            f"{_money(totals.paid - totals.refunded, totals.currency) or 0} · still owed "
            f"{_money(totals.owed, totals.currency) or 0}"
            if paying
            else None
        ),
    )
    columns = ("#", "Status", "Name", "E-mail", "Seats", "Amount", "Refunded", "Method", "Phone")
    for column in (*columns, "Newsletter", "Message"):
        table.add_column(column, overflow="fold")
    for number, line in enumerate(found, start=1):
        table.add_row(
            str(number),
            line.status,
            line.name,
            line.email,
            str(line.seats),
            _money(line.amount, line.currency),
            _money(line.refunded, line.currency),
            {"stripe": "card", "invoice": "transfer"}.get(line.method, ""),
            line.phone,
            "yes" if line.newsletter else "",
            line.message,
        )
    Console().print(table)


def write_csv(path: str, found: list[Line]) -> None:
    """One row per registration; amounts in the currency's units (500.00), for a spreadsheet."""
    from decimal import Decimal

    from letterpress.payments.money import ZERO_DECIMAL

    def units(minor: int, currency: str) -> str:
        places = 0 if currency in ZERO_DECIMAL else 2
        return f"{Decimal(minor) / 10**places:.{places}f}" if currency else ""

    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for line in found:
            row = asdict(line)
            row["amount"] = units(line.amount, line.currency)
            row["refunded"] = units(line.refunded, line.currency)
            writer.writerow(row)


def _confirm_seats(inbox: Inbox, slug: str, promoted: list[str]) -> None:
    """Queue and send each promoted person's confirmation (a running inbox would send it too;
    the queue never sends one twice)."""
    from letterpress.inbox.db import transaction
    from letterpress.notify import queueing

    if not promoted:
        return
    with transaction(inbox.db):
        queueing.seats_given(inbox.db, slug, promoted, inbox.config.clock())
    _send_now(inbox)


@task(
    help={
        "csv": "also write the roster to this CSV file",
        "remote": "another deployed inbox's URL, for this run (default: the settings)",
    }
)
def roster_(c, slug, csv=None, remote=None):
    """Print workshop SLUG's roster: held, paid, confirmed, waiting, cancelled, refunded, with
    amounts and totals (--csv FILE exports it for the accountant)."""
    from commands.site import deployed_inbox
    from letterpress.payments import roster as money

    deployed = deployed_inbox(remote)
    if deployed:
        title, capacity, found, totals = _remote_roster(deployed, slug)
    else:
        config = _config()
        workshop = _workshop(config, slug)
        capacity, title = workshop.seats, workshop.title
        with _inbox(config) as inbox:
            found = money.lines(inbox.db, slug)
        totals = money.totals(found, workshop.currency)
    print_roster(title, capacity, found, totals)
    if csv:
        write_csv(csv, found)
        print(f"Wrote {len(found)} registrations to {csv} (personal data: keep it out of git).")


@task(
    help={
        "refund": "refund what was paid in full, whatever the workshop's refund policy says",
        "no_refund": "refund nothing, whatever the refund policy says",
        "remote": "another deployed inbox's URL, for this run (default: the settings)",
    }
)
def cancel_(c, slug, email, refund=False, no_refund=False, remote=None):
    """Cancel EMAIL's registration for SLUG; the freed seats go to the first people waiting, and
    a payment is refunded as the workshop's refund policy says (or --refund / --no-refund)."""
    from commands.site import deployed_inbox
    from letterpress.inbox.registration_store import NotRegistered, cancel

    if refund and no_refund:
        raise Exit("Give --refund or --no-refund, not both.", code=2)
    choice = True if refund else (False if no_refund else None)
    payment = None
    deployed = deployed_inbox(remote)
    if deployed:
        path = f"/workshops/{slug}/registrations/cancel"
        data = {"email": email}
        if choice is not None:
            data["refund"] = "yes" if choice else "no"
        answer = _admin(deployed, "POST", path, data=data)
        promoted, payment = answer["promoted"], answer.get("payment")
    else:
        config = _config()
        workshop = _workshop(config, slug)
        try:
            with _inbox(config) as inbox:
                if _costs_money(workshop):
                    payment, promoted = _cancel_paid(inbox, workshop, email, choice)
                else:
                    promoted = cancel(
                        inbox.db,
                        slug,
                        email,
                        workshop.seats,
                        now=config.clock(),
                        hold=config.seat_hold,
                    )
                    _confirm_seats(inbox, slug, promoted)
        except NotRegistered as error:
            raise Exit(str(error), code=1) from None
    print(f"Cancelled {email.strip().lower()}'s registration for {slug}.")
    if payment:
        print(_refund_sentence(payment))
    for address in promoted:
        print(f"Moved up from the waiting list: {address} (an e-mail tells them).")
    if not promoted:
        print("Nobody on the waiting list could take the freed seats.")


def _costs_money(workshop: WorkshopEntry) -> bool:
    from letterpress.inbox.payment_flow import is_paid

    return is_paid(workshop)


def _cancel_paid(
    inbox: Inbox, workshop: WorkshopEntry, email: str, choice: bool | None
) -> tuple[dict | None, list[str]]:
    import asyncio
    from dataclasses import asdict

    from letterpress.inbox.payment_flow import cancel_paid, direct

    config = inbox.config
    ended, promoted = asyncio.run(
        cancel_paid(inbox.db, config, workshop, email, config.clock(), direct, choice)
    )
    _send_now(inbox)
    return (asdict(ended) if ended else None), promoted


def _send_now(inbox: Inbox) -> None:
    """Send what the step queued (a running inbox would too; the queue never sends twice)."""
    from letterpress.notify.sending import send_queue

    head, transport = inbox.letterhead(), inbox.transport()
    report = send_queue(inbox.db, transport, head, inbox.config.clock)
    for item, error in report.failed:
        print(f"Not sent yet (invoke notifications.send retries): {item.recipient}: {error}")


def _refund_sentence(payment: dict) -> str:
    amount = _money(payment["refund_amount"], payment["currency"])
    if payment["status"] == "refunded":
        return f"Refunded {amount} to the card it was paid with."
    if payment["status"] == "refund_due":
        how = "by card once Stripe answers" if payment["session_id"] else "by hand (a transfer)"
        return f"{amount} is to be refunded {how}: invoke workshops.roster shows it until then."
    return f"Nothing refunded ({payment['note'] or payment['status']})."


@task(help={"remote": "another deployed inbox's URL, for this run (default: the settings)"})
def paid(c, slug, email, remote=None):
    """Record that EMAIL's bank transfer for workshop SLUG arrived: their held seats are confirmed
    and they get the confirmation e-mail."""
    from commands.site import deployed_inbox
    from letterpress.inbox.payment_flow import record_invoice_payment
    from letterpress.inbox.registration_store import NotRegistered

    deployed = deployed_inbox(remote)
    if deployed:
        answer = _admin(deployed, "POST", f"/workshops/{slug}/payments/paid", data={"email": email})
        payment = answer["payment"]
    else:
        config = _config()
        _workshop(config, slug)
        try:
            with _inbox(config) as inbox:
                payment = asdict(record_invoice_payment(inbox.db, slug, email, config.clock()))
                _send_now(inbox)
        except NotRegistered as error:
            raise Exit(str(error), code=1) from None
    amount = _money(payment["paid_amount"], payment["currency"])
    print(f"Recorded {amount} from {payment['email']} for {slug}: the seats are confirmed.")


ns = Collection("workshops")
ns.add_task(roster_, name="roster")
ns.add_task(cancel_, name="cancel")
ns.add_task(paid)
