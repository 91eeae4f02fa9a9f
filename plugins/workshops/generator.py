"""Workshop pages, the workshops index, calendars, and the block below each essay.

Glue only: letterpress.workshops reads, decides and formats; this generator hands the results to
the templates and the shared context (LETTERPRESS_WORKSHOPS for feeds and the newsletter,
LETTERPRESS_WORKSHOPS_MANIFEST for the inbox's manifest).
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown
from pelican import signals
from pelican.generators import Generator

from letterpress import context_keys as keys
from letterpress.clock import build_date
from letterpress.manifest import WorkshopEntry
from letterpress.options import merge_options
from letterpress.payments.policy import policy_text
from letterpress.seo import absolute_url, canonical_base_from, json_for_script
from letterpress.workshops import (
    Workshop,
    WorkshopError,
    block_workshop,
    calendar_bytes,
    event_data,
    google_calendar_link,
    past,
    read_workshops,
    state,
    upcoming,
)

DEFAULTS = {
    # "next": the soonest open workshop below each essay; a slug pins one; "off" shows none.
    "block": "next",
    "folder": "workshops",  # inside the content folder
    "url": "workshops/{slug}/",
    "index_url": "workshops/",
    "calendar_url": "workshops/calendar.ics",  # every upcoming workshop
    "ics_url": "workshops/{slug}.ics",  # one workshop's; the manifest carries it to the inbox
}


@dataclass(frozen=True)
class WorkshopPage:
    """A workshop with everything its templates show that depends on the build."""

    workshop: Workshop
    state: str
    content: str
    ics_url: str
    google_calendar_url: str
    brochure_size: str
    jsonld: str
    # The refund policy in a sentence, and the build's date in words: the seat figure a page
    # shows without JavaScript is as of then.
    refund_policy: str = ""
    built_on: str = ""


def options_from(settings) -> dict:
    return merge_options("WORKSHOPS", DEFAULTS, settings.get("WORKSHOPS"), WorkshopError)


def markdown_renderer(settings) -> Markdown:
    """Python-Markdown configured as the essays are (without touching the settings)."""
    config = dict(settings["MARKDOWN"])
    extension_configs = config.get("extension_configs", {})
    extensions = [*config.get("extensions", ()), *extension_configs]
    config["extensions"] = list(dict.fromkeys(extensions))
    return Markdown(**config)


def human_size(path: Path) -> str:
    size = path.stat().st_size
    return f"{max(1, round(size / 1024))} KB" if size < 1024 * 1024 else f"{size / 2**20:.1f} MB"


class WorkshopsGenerator(Generator):
    """Reads workshop files in generate_context; writes pages and calendars in generate_output."""

    def generate_context(self):
        self.options = options_from(self.settings)
        self.today = build_date(self.settings["TIMEZONE"])
        content_root = Path(self.path)
        self.workshops = read_workshops(
            content_root / self.options["folder"],
            content_root,
            default_timezone=self.settings["TIMEZONE"],
            url_pattern=self.options["url"],
        )
        # Calendars and JSON-LD need absolute URLs: the canonical base, as SEO and feeds use.
        self.public_url = canonical_base_from(self.settings)
        render = markdown_renderer(self.settings)
        self.pages = {w.slug: self.present(w, render, content_root) for w in self.workshops}

        block = block_workshop(self.workshops, self.today, self.options["block"])
        self.context[keys.WORKSHOPS] = list(self.workshops)
        self.context[keys.WORKSHOPS_MANIFEST] = {
            w.slug: self.manifest_entry(w) for w in self.workshops
        }
        self.context[keys.WORKSHOP_BLOCK] = self.pages[block.slug] if block else None
        self.context[keys.WORKSHOPS_INDEX_URL] = self.options["index_url"]
        self.context[keys.WORKSHOPS_CALENDAR_URL] = self.options["calendar_url"]

    def present(self, workshop: Workshop, render: Markdown, content_root: Path) -> WorkshopPage:
        today_state = state(workshop, self.today)
        brochure_url = absolute_url(self.public_url, workshop.brochure) if workshop.brochure else ""
        data = event_data(
            workshop,
            today_state,
            site_url=self.public_url,
            organizer=self.settings["AUTHOR"],
            brochure_url=brochure_url,
        )
        return WorkshopPage(
            workshop=workshop,
            state=today_state,
            content=render.reset().convert(workshop.body),
            ics_url=self.ics_url(workshop),
            google_calendar_url=google_calendar_link(workshop, self.public_url),
            brochure_size=human_size(content_root / workshop.brochure) if workshop.brochure else "",
            jsonld=json_for_script(data),
            refund_policy=policy_text(workshop.start, workshop.refund_days),
            built_on=f"{self.today:%B} {self.today.day}, {self.today.year}",
        )

    def ics_url(self, workshop: Workshop) -> str:
        return str(self.options["ics_url"]).format(slug=workshop.slug)

    def manifest_entry(self, workshop: Workshop) -> WorkshopEntry:
        return WorkshopEntry(
            slug=workshop.slug,
            title=workshop.title,
            url=workshop.url,
            seats=workshop.seats,
            max_seats_per_registration=workshop.max_seats_per_registration,
            state=self.pages[workshop.slug].state,  # decided once, in present()
            start=workshop.start,
            end=workshop.end,
            price=str(workshop.price),
            currency=workshop.currency,
            refund_days=workshop.refund_days,
            payment_instructions=workshop.payment_instructions,
            place=workshop.place,
            timezone=workshop.timezone,
            hours=workshop.hours,
            ics_url=self.ics_url(workshop),
        )

    def generate_output(self, writer):
        relative = self.settings["RELATIVE_URLS"]
        page_template = self.get_template("workshop")
        for page in self.pages.values():
            writer.write_file(
                page.workshop.url + "index.html",
                page_template,
                self.context,
                relative_urls=relative,
                workshop=page,
            )
        pages_by_date = [self.pages[w.slug] for w in upcoming(self.workshops, self.today)]
        done = [self.pages[w.slug] for w in past(self.workshops, self.today)]
        writer.write_file(
            self.options["index_url"] + "index.html",
            self.get_template("workshops"),
            self.context,
            relative_urls=relative,
            upcoming_workshops=pages_by_date,
            past_workshops=done,
        )
        self.write_calendars()

    def write_calendars(self):
        stamp = dt.datetime.combine(self.today, dt.time(), tzinfo=dt.UTC)
        organizer = (self.settings["AUTHOR"], self.settings.get("AUTHOR_EMAIL", ""))
        name = self.settings["SITENAME"]
        output = Path(self.output_path)
        for workshop in self.workshops:
            path = output / self.ics_url(workshop)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(
                calendar_bytes(
                    [workshop],
                    site_url=self.public_url,
                    name=f"{workshop.title} · {name}",
                    stamp=stamp,
                    organizer=organizer,
                )
            )
        path = output / self.options["calendar_url"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(
            calendar_bytes(
                upcoming(self.workshops, self.today),
                site_url=self.public_url,
                name=f"Workshops · {name}",
                stamp=stamp,
                organizer=organizer,
            )
        )


def get_generators(pelican):
    return WorkshopsGenerator


def register():
    signals.get_generators.connect(get_generators)
