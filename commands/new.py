"""`invoke new essay|workshop|note`: start a content file with the right headers, slug and path.

Thin: letterpress.scaffold decides the file; these tasks read the site's settings (time zone,
author), write the file if nothing is there, and say how to preview it.
"""

from pathlib import Path

from invoke import Collection, Exit, task

from commands.serve import serve_address
from commands.site import ROOT, read_site_settings

CONTENT = "content"
CONTENT_HELP = "the content folder to write into (default: content/)"


def _settings() -> dict:
    # Through Pelican, as every task reads the site's settings (commands/site.py).
    return read_site_settings()


def _content(path: str) -> Path:
    folder = Path(path)
    return folder if folder.is_absolute() else ROOT / folder


def _write(new, preview: str) -> None:
    from letterpress.scaffold import ScaffoldError, write_new

    try:
        path = write_new(new)
    except ScaffoldError as error:
        raise Exit(str(error), code=1) from None
    print(f"Wrote {path}")
    print(new.next_steps)
    print(f"Preview: {preview}")


def _serve_hint(url: str, day: str = "") -> str:
    # A scheduled essay is left out of builds before its day; pinning the build date shows it.
    pinned = f"LETTERPRESS_TODAY={day} " if day else ""
    return f"{pinned}make serve, then open {serve_address()}/{url}"


@task(
    help={
        "title": "the essay's title; its slug and file name are made from it",
        "date": "YYYY-MM-DD or 'YYYY-MM-DD HH:MM' in the site's time zone (default: today, 08:00)",
        "category": "one category, such as Practice",
        "tags": "comma-separated tags, such as 'teams, feedback'",
        "summary": "one or two sentences for listings, feeds and search",
        "content": CONTENT_HELP,
    }
)
def essay(c, title, date="", category="", tags="", summary="", content=CONTENT):
    """Start an essay: content/essays/<slug>.md with Title, Date, Slug, Category and Tags."""
    from letterpress.clock import build_date
    from letterpress.scaffold import ESSAY_TIME, ScaffoldError, essay_file, parse_when

    settings = _settings()
    zone = settings["TIMEZONE"]
    try:
        when = parse_when(date or build_date(zone).isoformat(), ESSAY_TIME, zone, "date")
        new = essay_file(
            _content(content),
            title,
            when=when,
            category=category,
            tags=tags.split(","),
            summary=summary,
        )
    except ScaffoldError as error:
        raise Exit(str(error), code=1) from None
    today = build_date(zone)
    day = when.date().isoformat() if when.date() > today else ""
    _write(new, _serve_hint(new.url, day))


@task(
    help={
        "title": "the workshop's title; its slug and file name are made from it",
        "start": "first day and time, 'YYYY-MM-DD HH:MM' local to the workshop (09:00 if no time)",
        "end": "last day and time (default: eight hours after the start)",
        "timezone": "IANA time zone of the venue (default: the site's TIMEZONE)",
        "city": "the city",
        "venue": "the venue's name",
        "address": "the street address",
        "price": "amount and ISO currency, such as '500 USD'",
        "seats": "how many seats (default: 12)",
        "summary": "one or two sentences for listings and the block below essays",
        "content": CONTENT_HELP,
    }
)
def workshop(
    c,
    title,
    start="",
    end="",
    timezone="",
    city="",
    venue="",
    address="",
    price="",
    seats=12,
    summary="",
    content=CONTENT,
):
    """Start a workshop: content/workshops/<slug>.md, registration closed until it is filled in."""
    from letterpress.scaffold import ScaffoldError, workshop_file

    if not start:
        raise Exit("A workshop needs its first day: --start 'YYYY-MM-DD HH:MM'.", code=1)
    settings = _settings()
    try:
        new = workshop_file(
            _content(content),
            title,
            start=start,
            end=end,
            timezone=timezone or settings["TIMEZONE"],
            city=city,
            venue=venue,
            address=address,
            price=price,
            seats=int(seats),
            summary=summary,
        )
    except ScaffoldError as error:
        raise Exit(str(error), code=1) from None
    _write(new, _serve_hint(new.url))


@task(
    help={
        "month": "the issue's month, YYYY-MM",
        "subject": "the e-mail's subject (default: made from the month's essays)",
        "content": CONTENT_HELP,
    }
)
def note(c, month, subject="", content=CONTENT):
    """Start the editor's note for a month's newsletter: content/newsletters/YYYY-MM.md."""
    from letterpress.scaffold import ScaffoldError, note_file

    try:
        new = note_file(_content(content), month, author=_settings()["AUTHOR"], subject=subject)
    except ScaffoldError as error:
        raise Exit(str(error), code=1) from None
    month_text = new.path.stem
    preview = (
        f"{_serve_hint(new.url)}; the e-mail itself: invoke newsletter.build --month "
        f"{month_text}, then invoke newsletter.preview --month {month_text}"
    )
    _write(new, preview)


ns = Collection("new", essay, workshop, note)
