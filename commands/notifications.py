"""Tasks for the e-mail the inbox sends (reply notifications, confirmations, author notices).

They work on the inbox's database on this machine (inbox_db in the settings) and send through
smtp_url, or into build/outbox/notifications/ without it (docs/notifications.md).
"""

from pathlib import Path

from invoke import Collection, Exit, task

from commands.site import inbox_config


def _open():
    from letterpress.inbox.comment_store import SCHEMA as COMMENTS
    from letterpress.inbox.db import open_database
    from letterpress.notify.store import SCHEMA as NOTIFY

    config = inbox_config()
    if not Path(config.db_path).exists():
        raise Exit(f"No inbox database at {config.db_path}: set inbox_db in the settings.", code=2)
    return config, open_database(config.db_path, [COMMENTS, NOTIFY])


@task
def send(c):
    """Send what the inbox has queued now, failed e-mail included; say what went and what not."""
    from letterpress.errors import LetterpressError
    from letterpress.notify.sending import letterhead, send_queue, transport_for

    try:
        config, db = _open()
    except LetterpressError as error:
        raise Exit(str(error), code=2) from None
    try:
        transport = transport_for(config)
        report = send_queue(db, transport, letterhead(config, db), config.clock)
    finally:
        db.close()
    for item in report.sent:
        print(f"Sent ({transport.name}): {item.kind} e-mail to {item.recipient}")
    for job_id, reason in report.dropped:
        print(f"Dropped notification {job_id}: {reason}")
    if not (report.sent or report.failed or report.dropped):
        print("Nothing is queued.")
    if report.failed:
        lines = [f"{item.kind} e-mail to {item.recipient}: {why}" for item, why in report.failed]
        raise Exit("Still queued:\n" + "\n".join(lines), code=1)


@task
def queue(c):
    """List the e-mail waiting to be sent, with the reason the last try failed."""
    from letterpress.errors import LetterpressError
    from letterpress.notify.store import queued

    try:
        _, db = _open()
    except LetterpressError as error:
        raise Exit(str(error), code=2) from None
    try:
        rows = queued(db)
    finally:
        db.close()
    if not rows:
        print("Nothing is queued.")
    for row in rows:
        reason = f": {row['last_error']}" if row["last_error"] else ""
        tries = f"{row['attempts']} tries"
        print(f"{row['created']}  {row['kind']} to {row['recipient']}, {tries}{reason}")


ns = Collection("notifications", send, queue)
