"""Tasks that take a built newsletter issue to the mailing list: newsletter.push, newsletter.status.

Thin: settings and flags in, the letterpress.mailing library does the work, a MailingError becomes
its message and a non-zero exit. Which service is used comes from the environment (README,
"Mailing: Mailchimp and the outbox").
"""

import datetime as dt
from pathlib import Path

from invoke import Exit, task

from commands.site import (
    DEV_SETTINGS,
    OUTPUT,
    build_path,
    ledger_path,
    letterpress_settings,
    read_site_settings,
    site_url,
    under_root,
)
from letterpress.errors import LetterpressError
from letterpress.mailing import MailingError, Sender, backend_from_env, uses_mailchimp
from letterpress.mailing.ledger import Ledger, commit_ledger
from letterpress.mailing.push import NotReady, Pusher, PushRequest, schedule_time
from letterpress.newsletter.built_issue import load_issue, parse_month
from letterpress.paths import outbox_path


def _vendors() -> dict[str, str]:
    """The mailing service's settings (mailchimp_api_key, ...) from the one set of settings."""
    return letterpress_settings().vendor_environ()


def _ledger_path(settings: dict, build: Path) -> Path:
    """The committed ledger for a real service; the outbox keeps its own, never committed."""
    if not uses_mailchimp(_vendors()):
        return outbox_path(build) / "ledger.json"
    return ledger_path(settings)


def _sender(settings: dict) -> Sender:
    return Sender(
        from_name=settings.get("MAILING_FROM_NAME") or settings.get("AUTHOR", ""),
        reply_to=settings.get("MAILING_REPLY_TO") or settings.get("AUTHOR_EMAIL", ""),
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _preflight(settings: dict):
    """The newsletter's offline pre-flight (invoke newsletter.check), as a list of errors."""
    from letterpress.newsletter import blocking

    output = under_root(settings.get("OUTPUT_PATH") or OUTPUT)
    address = site_url(settings)
    return lambda issue: blocking(issue, output, address)


def _split(addresses: str) -> tuple[str, ...]:
    found = tuple(a.strip() for a in addresses.split(",") if a.strip())
    bad = [a for a in found if "@" not in a]
    if bad:
        raise Exit(f"--test-to: {', '.join(bad)} is not an e-mail address.", code=2)
    return found


@task(
    help={
        "month": "the issue, YYYY-MM (built into BUILD_PATH/newsletter/YYYY-MM/)",
        "test-to": "send a test to these addresses, comma-separated",
        "schedule": "schedule for this local date-time (TIMEZONE), on a quarter hour",
        "send": "send to the whole list now (needs --yes)",
        "yes": "confirm --send",
    }
)
def push(c, month, test_to="", schedule="", send=False, yes=False, settings=DEV_SETTINGS):
    """Create or update the issue's campaign; optionally test, schedule or send it."""
    try:
        parse_month(month)
    except LetterpressError as error:
        raise Exit(str(error), code=2) from None
    if schedule and send:
        raise Exit("Choose one: --schedule a time, or --send now.", code=2)
    if send and not yes:
        raise Exit(
            f"--send mails the {month} issue to every subscriber at once; "
            "add --yes to confirm (or use --test-to first).",
            code=2,
        )
    config = read_site_settings(settings)
    build = build_path(config)
    recipients = _split(test_to)
    try:
        # Refused here, before anything talks to the mailing service.
        when = schedule_time(schedule, config["TIMEZONE"], _now()) if schedule else None
        issue = load_issue(build, month)
        sender = _sender(config)
        backend = backend_from_env(_vendors(), build, sender=sender)
        ledger = Ledger(_ledger_path(config, build))
    except LetterpressError as error:
        raise Exit(str(error), code=1) from None
    print(f"Pushing the {month} issue to {backend.name} ('{issue.subject}').")
    if when:
        print(f"Scheduling for {schedule} {config['TIMEZONE']} = {when:%Y-%m-%d %H:%M} UTC.")
    pusher = Pusher(
        backend=backend,
        ledger=ledger,
        sender=sender,
        now=_now,
        say=print,
        preflight=_preflight(config) if (when or send) else None,
    )
    request = PushRequest(month=month, test_to=recipients, schedule_at=when, send=send)
    failure = None
    try:
        result = pusher.run(issue, request)
    except NotReady as error:
        print(error)
        for item in error.items:
            details = f": {item.details}" if item.details else ""
            print(f"  - {item.type}: {item.heading}{details}")
        failure = Exit("Fix the items above, rebuild, and push again.", code=1)
    except MailingError as error:
        failure = Exit(str(error), code=1)
    if pusher.ledger_changed and uses_mailchimp(_vendors()):
        entry = ledger.get(month)
        assert entry is not None  # the ledger changed: the pusher recorded this month's entry
        done = ", ".join(pusher.events) or entry.state
        message = f"Newsletter {month} on {backend.name}: {done} (campaign {entry.campaign_id})"
        print(commit_ledger(ledger.path, message))
    if failure:
        raise failure
    print(f"The {month} issue is {result.state} (campaign {result.campaign_id}).")
    if backend.name == "outbox":
        print(f"The outbox is {build / 'outbox'}: open the .eml files in a mail program.")


@task(help={"month": "only this issue, YYYY-MM"})
def status(c, month="", settings=DEV_SETTINGS):
    """Show each issue's state from the ledger and, with Mailchimp, from the API."""
    config = read_site_settings(settings)
    build = build_path(config)
    try:
        if month:
            parse_month(month)
        sender = _sender(config)
        backend = backend_from_env(_vendors(), build, sender=sender)
        ledger = Ledger(_ledger_path(config, build))
    except LetterpressError as error:
        raise Exit(str(error), code=1) from None
    months = [month] if month else sorted(ledger.entries)
    print(f"Ledger: {ledger.path}")
    if not months:
        print("No issue has been pushed yet.")
    for name in months:
        entry = ledger.get(name)
        line = f"{name}: " + (
            f"{entry.state}, campaign {entry.campaign_id}, updated {entry.updated}"
            if entry
            else "not in the ledger"
        )
        if entry and entry.scheduled_for and entry.state == "scheduled":
            line += f", scheduled for {entry.scheduled_for}"
        if entry and entry.sent_at:
            line += f", sent {entry.sent_at}"
        try:
            remote = (
                backend.campaign_status(entry.campaign_id) if entry else backend.find_campaign(name)
            )
        except MailingError as error:
            line += f"; {backend.name}: {error}"
        else:
            line += f"; {backend.name} says: " + (
                f"'{remote.status}' (campaign {remote.id})" if remote else "no campaign"
            )
        print(line)


# Added to the `newsletter` collection in tasks.py, beside newsletter.build, check and preview.
TASKS = (push, status)
