"""Letterpress tasks. `invoke --list` explains each; `make build` and `make test` are the way in.

Tasks are thin: they call Pelican, the letterpress library and each other, and turn failures into
a message and a non-zero exit.
"""

import shlex
import sys

from invoke import Collection, Exit, task

from commands import bench, comments, inbox, newsletter, newsletter_push
from commands import new as new_tasks
from commands import notifications as notification_tasks
from commands import people as people_tasks
from commands import serve as loop
from commands import wordpress as wordpress_tasks
from commands import workshops as workshop_tasks
from commands.doctor import doctor
from commands.site import (
    DEV_SETTINGS,
    OUTPUT,
    PUBLISH_SETTINGS,
    ROOT,
    answer_help_before_positionals,
    build_site,
    inbox_address,
    read_site_settings,
)


@task
def clean(c, output=OUTPUT):
    """Remove the built site (output/) and the built newsletter issues (build/)."""
    for folder in (output, "build/newsletter"):
        c.run(f"rm -rf {shlex.quote(str(ROOT / folder))}")


@task(
    help={
        "settings": f"the settings file ({DEV_SETTINGS}, or {PUBLISH_SETTINGS} for production)",
        "output": "where the site is written",
        "content": "the content folder to build",
        "search": "index the essays for search with Pagefind (--no-search skips it)",
    }
)
def build(c, settings=DEV_SETTINGS, output=OUTPUT, content="content", search=True):
    """Build the site into output/ (development settings) and index it for search (Pagefind)."""
    build_site(c, settings, output, content, search)


@task(pre=[clean])
def rebuild(c, settings=DEV_SETTINGS):
    """Remove output/ and build the site again from scratch."""
    build(c, settings=settings)


@task
def preview(c, output=OUTPUT):
    """Build with the production settings (publishconf.py, absolute URLs from $SITEURL)."""
    build(c, settings=PUBLISH_SETTINGS, output=output)


@task(
    help={
        "host": "the address to listen on (loopback by default)",
        "port": "the site's port ($PORT under make serve)",
        "settings": f"the settings file ({DEV_SETTINGS} by default)",
        "output": "where the site is written",
        "content": "the content folder to build",
        "search": "keep the search index current (--no-search leaves Pagefind out)",
    }
)
def serve(
    c,
    host=loop.HOST,
    port=loop.PORT,
    settings=DEV_SETTINGS,
    output=OUTPUT,
    content="content",
    search=True,
):
    """Build, serve the site on http://HOST:PORT and reload the open page on every change, with
    the inbox beside it at dev_inbox_url (letterpress.toml), where every build's forms post."""
    # The inbox's address is a setting, not a flag: a build started from another terminal
    # (newsletter.build, a second serve) reads the same file and aims the forms at the same place.
    inbox_url = read_site_settings(settings)["INBOX_URL"]
    inbox_host, inbox_port = inbox_address({"INBOX_URL": inbox_url})
    # Refused before the build, not after it: neither server could listen.
    inbox.ensure_port_free(host, int(port), "The site")
    inbox.ensure_port_free(inbox_host, inbox_port, "The inbox")
    args = loop.command(host, int(port), settings, output, content, search)
    with inbox.running_beside(f"http://{host}:{port}", inbox_url):
        code = loop.run_until_stopped(args)
    if code:
        raise Exit(f"`make serve` stopped (exit status {code}): see above.", code=code)


@task
def publish(c, target=None, output=OUTPUT):
    """Build with publishconf.py and rsync output/ to TARGET (or $LETTERPRESS_PUBLISH_TARGET)."""
    target = target or read_site_settings(PUBLISH_SETTINGS).get("PUBLISH_TARGET", "")
    if not target:
        raise Exit(
            "No publish target: pass --target host:/path (or a local folder), "
            "or set LETTERPRESS_PUBLISH_TARGET.",
            code=2,
        )
    preview(c, output=output)
    source = str(ROOT / output) + "/"
    c.run(shlex.join(["rsync", "-a", "--delete", "--exclude", ".DS_Store", source, target]))
    print(f"Published {source} to {target}")


@task(name="gh-pages")
def gh_pages(c, remote="origin", branch=None, output=OUTPUT):
    """Build with publishconf.py and push output/ to the GitHub Pages branch of REMOTE."""
    branch = branch or read_site_settings(PUBLISH_SETTINGS).get("GITHUB_PAGES_BRANCH") or "gh-pages"
    preview(c, output=output)
    message = "Publish the site"
    args = [sys.executable, "-m", "ghp_import", "-n", "-f", "-p", "-r", remote, "-b", branch]
    with c.cd(str(ROOT)):
        c.run(shlex.join([*args, "-m", message, output]))
    print(f"Pushed {output}/ to {remote} {branch}")


ns = Collection(clean, build, rebuild, preview, serve, publish, gh_pages, doctor)
ns.add_collection(inbox.ns)
ns.add_collection(Collection("newsletter", *newsletter.TASKS, *newsletter_push.TASKS))
ns.add_collection(workshop_tasks.ns)
ns.add_collection(comments.ns)
ns.add_collection(new_tasks.ns)
ns.add_collection(wordpress_tasks.ns)
ns.add_collection(bench.ns)
ns.add_collection(notification_tasks.ns)
ns.add_collection(people_tasks.ns)
answer_help_before_positionals()
