"""Tasks for a person's data: show everything held about an e-mail address, or erase it.

They act where the settings say (docs/settings.md): on the inbox database on this machine
(inbox_db) and the mailing backend of the settings (Mailchimp keys, or build/outbox/), or, with
remote = true, on the deployed inbox's admin API (admin_token), which erases from its own mailing
list. --remote URL names another deployed inbox for one run.
"""

import json
from pathlib import Path

from invoke import Collection, Exit, task

from commands.site import deployed_inbox, local_inbox

CONTENT = "content"


def _admin(deployed: tuple[str, str], method: str, path: str, **kwargs) -> dict:
    from letterpress.moderation.admin_client import AdminClient, AdminError

    try:
        with AdminClient(*deployed) as client:
            return client.call(method, path, **kwargs)
    except AdminError as error:
        raise Exit(str(error), code=1) from None


def _path(email: str, action: str = "") -> str:
    from urllib.parse import quote

    return f"/people/{quote(email.strip(), safe='@')}{action}"


@task(
    help={
        "email": "the person's e-mail address",
        "remote": "another deployed inbox's URL, for this run (default: the settings)",
    }
)
def export(c, email, remote=None):
    """Print (JSON) everything held about EMAIL: comments, opt-ins, registrations, mailing list."""
    from letterpress.errors import LetterpressError
    from letterpress.inbox.personal_data import export as export_person

    deployed = deployed_inbox(remote)
    if deployed:
        held = _admin(deployed, "GET", _path(email))
    else:
        try:
            with local_inbox() as inbox:
                manifest = inbox.manifest()
                site_url = inbox.config.site_url or (manifest.site_url if manifest else "")
                essays = manifest.essays if manifest else {}
                held = export_person(
                    inbox.db, inbox.mailing(), email, site_url=site_url, essays=essays
                )
        except LetterpressError as error:
            raise Exit(str(error), code=1) from None
    print(json.dumps(held, indent=2, ensure_ascii=False))


@task(
    help={
        "email": "the person's e-mail address",
        "remote": "another deployed inbox's URL, for this run (default: the settings)",
        "yes": "do it without asking",
        "remove-comments": "also take their published comments off the site (placeholders)",
        "content": "the content folder (for --remove-comments)",
        "commit": "commit the changed comment files (the message names Ids only)",
    }
)
def forget(c, email, remote=None, yes=False, remove_comments=False, content=CONTENT, commit=False):
    """Erase EMAIL from the inbox, the mailing list and the outbox; say what was done."""
    from letterpress.errors import LetterpressError
    from letterpress.inbox.personal_data import forget as forget_person
    from letterpress.moderation.publishing import remove_comment_files
    from letterpress.notify.transport import outbox_folder

    if not yes:
        kept = "deleted" if remove_comments else "kept under their name, without the address"
        answer = input(f"Erase {email} everywhere (published comments {kept})? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            raise Exit("Nothing was changed.", code=1)
    deployed = deployed_inbox(remote)
    if deployed:
        fields = {"remove_comments": "yes" if remove_comments else ""}
        done = _admin(deployed, "POST", _path(email, "/forget"), data=fields)
    else:
        try:
            with local_inbox() as inbox:
                done = forget_person(
                    inbox.db,
                    inbox.mailing(),
                    email,
                    remove_comments=remove_comments,
                    outbox=outbox_folder(inbox.config.build_path),
                )
        except LetterpressError as error:
            raise Exit(str(error), code=1) from None
    files = remove_comment_files(Path(content), done["comments_removed"])
    _report(done, files)
    if commit and done["comments_removed"]:
        _commit_placeholders(c, Path(content), done["comments_removed"])


def _commit_placeholders(c, content: Path, removed: list[dict]) -> None:
    """Commit the placeholders; the message names the comments' Ids, never the person."""
    import shlex

    paths = [content / "comments" / r["essay"] / f"{r['id']}.md" for r in removed]
    paths = [path for path in paths if path.exists()]
    if not paths:
        return
    ids = ", ".join(sorted(r["id"] for r in removed))
    quoted = " ".join(shlex.quote(str(path.resolve())) for path in paths)
    git = f"git -C {shlex.quote(str(content.resolve()))}"
    message = f"Remove comment{'s' if len(paths) != 1 else ''} {ids} at their writer's request"
    c.run(f"{git} add -- {quoted}", hide=True)
    c.run(f"{git} commit --quiet -m {shlex.quote(message)} -- {quoted}", hide=True)
    print(f"Committed: {message}")


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
        print(
            "At the next build the removed comments show as “This comment was removed.” where "
            "a reply hangs from them, and not at all otherwise; commit the files (or use "
            "--commit) and publish to take them off the site."
        )


ns = Collection("people", export, forget)
