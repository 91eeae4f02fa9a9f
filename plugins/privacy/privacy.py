"""Writes the privacy page (/privacy/): what each form stores, where, for how long and who sees
it, from letterpress/privacy.py, the facts the inbox itself follows, so the page cannot drift.

The retention period is the inbox's own setting: LETTERPRESS_RETENTION_DAYS (read by the inbox
at start-up) when the build sees it too, else the RETENTION_DAYS setting, else the default.
"""

import os
from collections.abc import Mapping

from pelican import signals
from pelican.generators import Generator

from letterpress.privacy import RETENTION_DAYS, form_facts

DEFAULTS = {"url": "privacy/", "retention_days": None}
ENVIRONMENT_VARIABLE = "LETTERPRESS_RETENTION_DAYS"


def options(settings: Mapping) -> dict:
    return dict(DEFAULTS, **settings.get("PRIVACY", {}))


def retention_days(settings: Mapping, environ: Mapping[str, str] = os.environ) -> int:
    """The days rejected comments and rate-limit rows are kept, as the inbox counts them."""
    raw = environ.get(ENVIRONMENT_VARIABLE, "").strip() or options(settings)["retention_days"]
    if raw in (None, ""):
        return RETENTION_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if days < 1:
        raise ValueError(
            f"{ENVIRONMENT_VARIABLE} / PRIVACY['retention_days'] = {raw!r} is not a whole "
            "number of days, 1 or more."
        )
    return days


class PrivacyGenerator(Generator):
    def generate_context(self):
        # Templates link to it (under every form): PRIVACY_URL, like the other *_URL settings.
        self.context["PRIVACY_URL"] = options(self.settings)["url"]

    def generate_output(self, writer):
        days = retention_days(self.settings)
        url = options(self.settings)["url"]
        writer.write_file(
            url + "index.html",
            self.get_template("privacy"),
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            retention_days=days,
            forms=form_facts(days),
        )


def get_generators(pelican):
    return PrivacyGenerator


def register():
    signals.get_generators.connect(get_generators)
