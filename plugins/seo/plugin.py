"""Connects letterpress.seo to Pelican: a template global for <head>, a sitemap generator."""

from pelican import signals

from letterpress.seo import canonical_base_from

from .head import make_seo_head
from .sitemap import SitemapGenerator


def check_settings(pelican):
    # Fail at start-up, naming the setting, rather than in the middle of writing pages.
    canonical_base_from(pelican.settings)


def add_template_global(generator):
    base = canonical_base_from(generator.settings)
    generator.env.globals["seo_head"] = make_seo_head(base)


def get_generators(pelican):
    return SitemapGenerator


def register():
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(add_template_global)
    signals.get_generators.connect(get_generators)
