"""The monthly newsletter's tasks: newsletter.build, newsletter.check and newsletter.preview.

Thin: the site build writes every issue (plugins/newsletter); these tasks find an issue's folder,
run the library's pre-flight rules or its previews on it, and turn problems into a list and a
non-zero exit.
"""

from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parents[1]
DEV_SETTINGS = "pelicanconf.py"
OUTPUT = "output"


def _settings(name: str) -> dict:
    from pelican.settings import read_settings

    return read_settings(str(ROOT / name))


def _under_root(path: str) -> Path:
    path = Path(path)
    return path if path.is_absolute() else ROOT / path


def _build_path(settings: dict) -> Path:
    return _under_root(settings.get("BUILD_PATH") or "build")


def _issue_folder(settings: dict, month: str) -> Path:
    from letterpress.newsletter import Month, NewsletterError, issue_folder

    try:
        parsed = Month.parse(month, where="MONTH")
    except NewsletterError as error:
        raise Exit(str(error), code=2) from None
    folder = issue_folder(_build_path(settings), parsed)
    if not (folder / "issue.json").is_file():
        raise Exit(
            f"No {parsed} issue in {folder}: a month has an issue when it has published essays "
            f"or a note (content/newsletters/{parsed}.md). Build first: invoke newsletter.build.",
            code=1,
        )
    return folder


def _site_url(settings: dict) -> str:
    from letterpress.seo import canonical_base_from

    return canonical_base_from(settings)


@task(help={"month": "only report this issue, YYYY-MM (every issue is built)"})
def build(c, month="", settings=DEV_SETTINGS, output=OUTPUT, content="content"):
    """Build the site, which writes every issue: web pages in output/, e-mail parts in build/."""
    from tasks import build as build_site  # the root collection's site build

    build_site(c, settings=settings, output=output, content=content)
    config = _settings(settings)
    if month:
        folders = [_issue_folder(config, month)]
    else:
        root = _build_path(config) / "newsletter"
        folders = sorted(p.parent for p in root.glob("*/issue.json"))
    for folder in folders:
        print(f"{folder.name}: {folder / 'email.html'}, email.txt, issue.json")


@task(help={"month": "the issue to check, YYYY-MM"})
def check(c, month, settings=DEV_SETTINGS, output=OUTPUT):
    """Pre-flight an issue offline: merge tags, size, links, images, subject, CSS and more."""
    from letterpress.newsletter import RULES, NewsletterError, check_issue, errors, load_issue

    config = _settings(settings)
    folder = _issue_folder(config, month)
    try:
        issue = load_issue(folder, _under_root(output), _site_url(config))
    except NewsletterError as error:
        raise Exit(str(error), code=1) from None
    problems = check_issue(issue)
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

    config = _settings(settings)
    folder = _issue_folder(config, month)
    try:
        paths = take_previews(folder, _under_root(output), _site_url(config))
    except NewsletterError as error:
        raise Exit(str(error), code=1) from None
    for path in paths:
        print(path)


# The `newsletter` collection in tasks.py gathers these with the mailing tasks (push, status).
TASKS = (build, check, preview)
