"""Tasks for the e-mail the inbox sends (reply notifications, confirmations, author notices).

They work on the inbox's database on this machine (inbox_db in the settings) and send through
smtp_url, or into build/outbox/notifications/ without it (docs/notifications.md).
"""

from invoke import Collection, Exit, task

from commands.site import local_inbox


@task(help={"now": "also try the e-mail still waiting out its back-off after a failure"})
def send(c, now=False):
    """Send what the inbox has queued and due; say what went and what not. Exits 1 when
    something tried in this run failed or was refused, 0 otherwise."""
    from letterpress.notify.sending import send_queue
    from letterpress.notify.store import waiting_for_backoff

    with local_inbox(remote_hint=False) as inbox:
        transport, clock = inbox.transport(), inbox.config.clock
        head = inbox.letterhead()
        report = send_queue(inbox.db, transport, head, clock, wait_after_failure=not now)
        waiting = waiting_for_backoff(inbox.db, clock())
    for item in report.sent:
        print(f"Sent ({transport.name}): {item.kind} e-mail to {item.recipient}")
    for job_id, reason in report.dropped:
        print(f"Dropped notification {job_id}: {reason}")
    for item, why in report.refused:
        print(
            f"Refused for good, not to be sent again: {item.kind} e-mail to {item.recipient}: {why}"
        )
    for row in waiting:
        print(
            f"Waiting until {row['retry_after']} after a failure: notification {row['id']} "
            f"({row['kind']}); --now tries it at once"
        )
    if report.ok and not (report.sent or waiting):
        print("Nothing is queued.")
    if report.failed or report.refused or report.dropped:
        lines = [
            f"{item.kind} e-mail to {item.recipient}: "
            + ("given up: " if set(item.job_ids) & set(report.given_up) else "still queued: ")
            + why
            for item, why in report.failed
        ]
        lines += [
            f"{item.kind} e-mail to {item.recipient}: refused: {why}"
            for item, why in report.refused
        ]
        raise Exit("Not sent in this run:\n" + "\n".join(lines), code=1)


@task
def queue(c):
    """List the e-mail waiting to be sent, with the reason the last try failed."""
    from letterpress.notify.store import queued

    with local_inbox(remote_hint=False) as inbox:
        rows = queued(inbox.db)
    if not rows:
        print("Nothing is queued.")
    for row in rows:
        reason = f": {row['last_error']}" if row["last_error"] else ""
        tries = f"{row['attempts']} tries"
        print(f"{row['created']}  {row['kind']} to {row['recipient']}, {tries}{reason}")


ns = Collection("notifications", send, queue)
