"""Letterpress tasks. `invoke --list` explains each; `make build` and `make test` are the way in.

Tasks are thin: they call Pelican, the letterpress library and each other, and turn failures into
a message and a non-zero exit.
"""

import os
import shlex
import sys
from pathlib import Path

from invoke import Collection, Exit, task

from commands import comments, inbox, newsletter, newsletter_push
from commands import workshops as workshop_tasks

ROOT = Path(__file__).resolve().parent
DEV_SETTINGS = "pelicanconf.py"
PUBLISH_SETTINGS = "publishconf.py"
OUTPUT = "output"


def _pelican(c, settings: str, output: str, content: str = "content", *extra: str):
    args = [sys.executable, "-m", "pelican", content, "-s", settings, "-o", output]
    args += ["--fatal", "warnings", "--log-handler", "plain", *extra]
    with c.cd(str(ROOT)):
        result = c.run(shlex.join(args), warn=True, pty=False)
    if result.failed:
        raise Exit("The build failed: the message above says what to fix and where.", code=1)


@task
def clean(c, output=OUTPUT):
    """Remove the built site (output/) and the built newsletter issues (build/)."""
    for folder in (output, "build/newsletter"):
        c.run(f"rm -rf {shlex.quote(str(ROOT / folder))}")


# Search covers the essays only: readers search what was written, and Pagefind's memory grows with
# every page it reads. Within those pages it indexes the element marked data-pagefind-body.
SEARCH_GLOB = "essays/**/*.html"


def _index_for_search(c, output: str):
    bundle = ROOT / output / "pagefind"
    # A fresh index each build: Pagefind leaves old fragments behind (a withdrawn essay's text).
    c.run(f"rm -rf {shlex.quote(str(bundle))}")
    args = [sys.executable, "-m", "pagefind", "--site", output, "--glob", SEARCH_GLOB, "--quiet"]
    with c.cd(str(ROOT)):
        result = c.run(shlex.join(args), warn=True, pty=False)
    if result.failed:
        raise Exit(f"Pagefind could not index {output}/ for search: see the message above.", code=1)


@task
def build(c, settings=DEV_SETTINGS, output=OUTPUT, content="content", search=True):
    """Build the site into output/ (development settings) and index it for search (Pagefind)."""
    _pelican(c, settings, output, content)
    if search:
        _index_for_search(c, output)
    print(f"Built the site into {(ROOT / output).resolve()}")


@task(pre=[clean])
def rebuild(c, settings=DEV_SETTINGS):
    """Remove output/ and build the site again from scratch."""
    build(c, settings=settings)


@task
def preview(c, output=OUTPUT):
    """Build with the production settings (publishconf.py, absolute URLs from $SITEURL)."""
    build(c, settings=PUBLISH_SETTINGS, output=output)


@task
def serve(c, host="127.0.0.1", port=8000):
    """Build, then serve the site on http://HOST:PORT (rebuilt on change), the inbox beside it."""
    build(c)
    args = [sys.executable, "-m", "pelican", "content", "-s", DEV_SETTINGS, "-o", OUTPUT]
    args += ["--autoreload", "--listen", "--bind", host, "--port", str(port)]
    # The inbox listens where the built forms post: INBOX_URL in the settings.
    with inbox.running_beside(f"http://{host}:{port}", inbox.settings_inbox_url()), c.cd(str(ROOT)):
        c.run(shlex.join(args), pty=False)


@task
def livereload(c, host="127.0.0.1", port=8000):
    """Serve the site and reload the browser page when content, theme or plugins change."""
    from livereload import Server

    build(c)
    server = Server()
    for watched in ("content/**/*", "theme/**/*", "plugins/**/*.py", "letterpress/**/*.py"):
        server.watch(str(ROOT / watched), lambda: build(c))
    server.serve(host=host, port=port, root=str(ROOT / OUTPUT))


@task
def publish(c, target=None, output=OUTPUT):
    """Build with publishconf.py and rsync output/ to TARGET (or $LETTERPRESS_PUBLISH_TARGET)."""
    target = target or os.environ.get("LETTERPRESS_PUBLISH_TARGET", "")
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
    branch = branch or os.environ.get("LETTERPRESS_PAGES_BRANCH", "gh-pages")
    preview(c, output=output)
    message = "Publish the site"
    args = [sys.executable, "-m", "ghp_import", "-n", "-f", "-p", "-r", remote, "-b", branch]
    with c.cd(str(ROOT)):
        c.run(shlex.join([*args, "-m", message, output]))
    print(f"Pushed {output}/ to {remote} {branch}")


ns = Collection(clean, build, rebuild, preview, serve, livereload, publish, gh_pages)
ns.add_collection(inbox.ns)
ns.add_collection(Collection("newsletter", *newsletter.TASKS, *newsletter_push.TASKS))
ns.add_collection(workshop_tasks.ns)
ns.add_collection(comments.ns)
