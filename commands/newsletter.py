"""The monthly newsletter's tasks: newsletter.build, newsletter.check and newsletter.preview.

Thin: the site build writes every issue (plugins/newsletter); these tasks find an issue's folder,
run the library's pre-flight rules or its previews on it, and turn problems into a list and a
non-zero exit.
"""

from pathlib import Path

from invoke import Exit, task

from commands.site import (
    DEV_SETTINGS,
    OUTPUT,
    build_path,
    build_site,
    read_site_settings,
    site_url,
    under_root,
)
from letterpress.paths import newsletter_path


def _issue_folder(settings: dict, month: str) -> Path:
    from letterpress.newsletter import NewsletterError, issue_folder, parse_month

    try:
        parsed = parse_month(month, where="MONTH")
    except NewsletterError as error:
        raise Exit(str(error), code=2) from None
    folder = issue_folder(build_path(settings), parsed)
    if not (folder / "issue.json").is_file():
        raise Exit(
            f"No {parsed} issue in {folder}: a month has an issue when it has published essays "
            f"or a note (content/newsletters/{parsed}.md). Build first: invoke newsletter.build.",
            code=1,
        )
    return folder


@task(help={"month": "only report this issue, YYYY-MM (every issue is built)"})
def build(c, month="", settings=DEV_SETTINGS, output=OUTPUT, content="content"):
    """Build the site, which writes every issue: web pages in output/, e-mail parts in build/."""
    build_site(c, settings, output, content)
    config = read_site_settings(settings)
    if month:
        folders = [_issue_folder(config, month)]
    else:
        root = newsletter_path(build_path(config))
        folders = sorted(p.parent for p in root.glob("*/issue.json"))
    for folder in folders:
        print(f"{folder.name}: {folder / 'email.html'}, email.txt, issue.json")


@task(help={"month": "the issue to check, YYYY-MM"})
def check(c, month, settings=DEV_SETTINGS, output=OUTPUT):
    """Pre-flight an issue offline: merge tags, size, links, images, subject, CSS and more."""
    from letterpress.newsletter import RULES, NewsletterError, errors, preflight, read_issue

    config = read_site_settings(settings)
    folder = _issue_folder(config, month)
    try:
        issue = read_issue(folder)
    except NewsletterError as error:
        raise Exit(str(error), code=1) from None
    problems = preflight(issue, under_root(output), site_url(config))
    for problem in problems:
        print(problem)
    failed = errors(problems)
    if failed:
        raise Exit(f"The {folder.name} issue has {len(failed)} problem(s): fix them and rebuild.")
    print(f"The {folder.name} issue passes all {len(RULES)} pre-flight rules ({folder}).")


@task(help={"month": "the issue to picture, YYYY-MM"})
def preview(c, month, settings=DEV_SETTINGS, output=OUTPUT):
    """Picture the e-mail at phone (375 px) and desktop (700 px) width with headless Chromium."""
    from letterpress.newsletter import NewsletterError
    from letterpress.newsletter.preview import take_previews

    config = read_site_settings(settings)
    folder = _issue_folder(config, month)
    try:
        paths = take_previews(folder, under_root(output), site_url(config))
    except NewsletterError as error:
        raise Exit(str(error), code=1) from None
    for path in paths:
        print(path)


# The `newsletter` collection in tasks.py gathers these with the mailing tasks (push, status).
TASKS = (build, check, preview)
