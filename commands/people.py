"""Tasks for a person's data: show everything held about an e-mail address, or erase it.

Without --remote they work on the inbox database on this machine (LETTERPRESS_INBOX_DB) and the
mailing backend of this environment (Mailchimp keys, or build/outbox/); with --remote URL they
call that inbox's admin API (LETTERPRESS_ADMIN_TOKEN), which erases from its own mailing list.
"""

import json
import os
from pathlib import Path

from invoke import Collection, Exit, task

CONTENT = "content"


def _local():
    from letterpress.inbox.comment_store import SCHEMA as COMMENTS
    from letterpress.inbox.config import InboxConfig
    from letterpress.inbox.db import open_database
    from letterpress.inbox.registration_store import SCHEMA as REGISTRATIONS
    from letterpress.mailing import backend_from_env
    from letterpress.notify.store import SCHEMA as NOTIFY

    config = InboxConfig.from_environ(os.environ)
    if not Path(config.db_path).exists():
        raise Exit(
            f"No inbox database at {config.db_path}: set LETTERPRESS_INBOX_DB, or use "
            "--remote URL for a deployed inbox.",
            code=2,
        )
    db = open_database(config.db_path, [COMMENTS, REGISTRATIONS, NOTIFY])
    return config, db, backend_from_env(os.environ, config.build_path)


def _admin(remote: str, method: str, path: str, **kwargs) -> dict:
    from letterpress.moderation.admin_client import AdminClient, AdminError

    try:
        with AdminClient(remote, os.environ.get("LETTERPRESS_ADMIN_TOKEN", "")) as client:
            return client.call(method, path, **kwargs)
    except AdminError as error:
        raise Exit(str(error), code=1) from None


def _path(email: str, action: str = "") -> str:
    from urllib.parse import quote

    return f"/people/{quote(email.strip(), safe='@')}{action}"


@task(help={"email": "the person's e-mail address", "remote": "a deployed inbox's URL"})
def export(c, email, remote=None):
    """Print (JSON) everything held about EMAIL: comments, opt-ins, registrations, mailing list."""
    from letterpress.errors import LetterpressError
    from letterpress.manifest import ManifestError, read_manifest
    from letterpress.people import export as export_person

    if remote:
        held = _admin(remote, "GET", _path(email))
    else:
        try:
            config, db, mailing = _local()
            try:
                manifest = read_manifest(config.manifest_path)
            except ManifestError:
                manifest = None
            site_url = config.site_url or (manifest.site_url if manifest else "")
            essays = manifest.essays if manifest else {}
            try:
                held = export_person(db, mailing, email, site_url=site_url, essays=essays)
            finally:
                db.close()
        except LetterpressError as error:
            raise Exit(str(error), code=1) from None
    print(json.dumps(held, indent=2, ensure_ascii=False))


@task(
    help={
        "email": "the person's e-mail address",
        "remote": "a deployed inbox's URL",
        "yes": "do it without asking",
        "remove-comments": "also delete their published comments' files from content/comments/",
        "content": "the content folder (for --remove-comments)",
    }
)
def forget(c, email, remote=None, yes=False, remove_comments=False, content=CONTENT):
    """Erase EMAIL from the inbox, the mailing list and the outbox; say what was done."""
    from letterpress.errors import LetterpressError
    from letterpress.notify.transport import outbox_folder
    from letterpress.people import forget as forget_person
    from letterpress.people import remove_comment_files

    if not yes:
        kept = "deleted" if remove_comments else "kept under their name, without the address"
        answer = input(f"Erase {email} everywhere (published comments {kept})? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            raise Exit("Nothing was changed.", code=1)
    if remote:
        fields = {"remove_comments": "yes" if remove_comments else ""}
        done = _admin(remote, "POST", _path(email, "/forget"), data=fields)
    else:
        try:
            config, db, mailing = _local()
            try:
                done = forget_person(
                    db,
                    mailing,
                    email,
                    remove_comments=remove_comments,
                    outbox=outbox_folder(config.build_path),
                )
            finally:
                db.close()
        except LetterpressError as error:
            raise Exit(str(error), code=1) from None
    files = remove_comment_files(Path(content), done["comments_removed"])
    _report(done, files)


def _report(done: dict, files: list[str]) -> None:
    print(f"Forgot {done['email']}:")
    lines = [
        ("comments never published, deleted", done["comments_deleted"]),
        ("published comments kept without the address", len(done["comments_kept"])),
        ("published comments removed", len(done["comments_removed"])),
        ("reply-notification opt-ins removed", done["optins_removed"]),
        ("e-mail records removed", done["notifications_removed"]),
        ("workshop registrations anonymised (seats kept)", done["registrations_anonymised"]),
        ("outbox e-mail files removed", done["outbox_files_removed"]),
    ]
    for label, count in lines:
        print(f"  {label}: {count}")
    print(f"  mailing list: {done['mailing_list']}")
    for line in files:
        print(f"  {line}")
    if done["comments_removed"]:
        print("Commit the removed comment files and rebuild the site to take them off it.")


ns = Collection("people", export, forget)
