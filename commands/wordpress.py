"""Moving in from WordPress: `invoke import.wordpress EXPORT.xml`.

Reads a WordPress export (Tools → Export, "All content") into content/: essays, pages, comment
threads, uploads (with --uploads) and the redirect table for every old address. docs/wordpress.md
walks through the whole move.
"""

from pathlib import Path

from invoke import Collection, Exit, task

from commands.site import read_site_settings

CONTENT = "content"


def _site_timezone() -> str:
    # Essay and comment dates are written in the site's time zone, as the essays already are.
    return read_site_settings()["TIMEZONE"]


@task(
    name="wordpress",
    help={
        "export": "the WordPress export file (WXR .xml)",
        "uploads": "a copy of the old site's wp-content/uploads folder; files found there are "
        "copied into content/images/uploads/",
        "download-media": "copy in the images the posts show from the old site, WordPress.com "
        "and Jetpack's image proxy (with retries); those that fail are listed",
        "dry-run": "write nothing; list the files a real run would write",
        "force": "overwrite files that differ from what the import would write",
        "published-only": "leave out drafts, pending, private, scheduled and protected posts",
        "comments": "import approved comments (--no-comments leaves them all out)",
        "pingbacks": "keep pingbacks and trackbacks as comments linking to the other page",
        "content": "the content folder to import into",
    },
)
def wordpress(
    c,
    export,
    uploads=None,
    download_media=False,
    dry_run=False,
    force=False,
    published_only=False,
    comments=True,
    pingbacks=False,
    content=CONTENT,
):
    """Import a WordPress export: essays, pages, threaded comments, uploads and old links."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn

    from letterpress.errors import LetterpressError
    from letterpress.wordpress.importer import Importer
    from letterpress.wordpress.media import Fetcher
    from letterpress.wordpress.plan import Options

    source = Path(export)
    if not source.is_file():
        raise Exit(f"{source}: no such file; give the path of the WordPress export (.xml).", 1)
    if uploads and not Path(uploads).is_dir():
        raise Exit(f"--uploads {uploads}: no such folder (a copy of wp-content/uploads).", 1)
    console = Console()
    importer = Importer(
        export=source,
        content=Path(content),
        timezone=_site_timezone(),
        options=Options(published_only=published_only, comments=comments, pingbacks=pingbacks),
        uploads=Path(uploads) if uploads else None,
        dry_run=dry_run,
        force=force,
        echo=console.print,
    )
    size = source.stat().st_size
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        bars: dict[str, TaskID] = {}
        if download_media:
            media = progress.add_task("Downloading media", total=None)
            fetched = []

            def one_more(url: str) -> None:
                fetched.append(url)
                progress.update(media, description=f"Downloading media: {len(fetched)} fetched")

            importer.fetcher = Fetcher(on_fetch=one_more)

        def advance(phase: str, done: int) -> None:
            if phase not in bars:
                bars[phase] = progress.add_task(phase, total=size)
            progress.update(bars[phase], completed=done)

        try:
            report = importer.run(advance)
        except LetterpressError as error:
            raise Exit(str(error), code=1) from None
    console.print(report.render())
    if dry_run:
        console.print("Dry run: nothing was written.")


ns = Collection("import", wordpress)
