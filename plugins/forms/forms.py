"""Writes output/inbox-forms/: the templates the inbox re-shows a refused form with, on the site's
own page (letterpress/form_templates.py says what they are and why)."""

import json
from pathlib import Path
from types import SimpleNamespace

from pelican import signals
from pelican.generators import Generator

from letterpress.form_templates import (
    FOLDER,
    PAGE,
    PARTIALS,
    SETTINGS,
    SETTINGS_FILE,
    SLOTS,
    TEMPLATE_GLOBALS,
    page_template,
    sentinel,
    template_path,
)

# The page is the inbox's answer to one reader, not a page of the site: no canonical link, no
# social cards (form_page.html says noindex itself).
_NO_SEO = SimpleNamespace(canonical="", noindex=False, meta=(), json_ld=None)


class FormTemplatesGenerator(Generator):
    """Runs after the other generators, so the page around the forms has the whole site's
    context (pages in the menu, feeds in the footer)."""

    def generate_output(self, writer):
        folder = Path(self.output_path) / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        context = dict(self.context)
        context.update({setting: sentinel(slot) for setting, slot in SLOTS.items()})
        # The sign-up box in the sidebar returns readers to the home page.
        context.update(output_file="index.html", template_name="form_page", seo_head=no_seo_head)
        page = self.get_template("form_page").render(context)
        template_path(folder, PAGE).write_text(page_template(page), "utf-8")
        for name in PARTIALS:
            source, _, _ = self.env.loader.get_source(self.env, name)
            target = template_path(folder, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source, "utf-8")
        settings = {name: self.context.get(name) or "" for name in SETTINGS}
        (folder / SETTINGS_FILE).write_text(json.dumps(settings, indent=2) + "\n", "utf-8")


def no_seo_head():  # stands in for the seo plugin's template global
    return _NO_SEO


def add_form_limits(generator):
    """generator_init: the form partials read their limits from the Python that enforces them."""
    generator.env.globals.update(TEMPLATE_GLOBALS)


def get_generators(pelican):
    return FormTemplatesGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(add_form_limits)
