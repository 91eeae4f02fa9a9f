"""The templates the build hands to the inbox, so a refused form comes back on the site's own page.

The build (plugins/forms) writes them into `output/inbox-forms/`, beside the site manifest the
inbox already reads: the page around the form, rendered once with the site's theme, and the
theme's form partials as Jinja source. The inbox (letterpress/inbox/form_pages.py) fills them in
with autoescape. Both sides take the names and the rules from here.
"""

import re
from pathlib import Path

from letterpress.errors import LetterpressError
from letterpress.fields import COMMENT_LIMITS

FOLDER = "inbox-forms"
# Not ".html": they are templates, not pages (the HTML checker and search leave them alone).
SUFFIX = ".j2"
PAGE = "page"
SETTINGS_FILE = "forms.json"
# The theme's partials the inbox renders, under the same names as in the theme.
PARTIALS = (
    "partials/form_state.html",
    "partials/form_refused.html",
    "partials/comment_form.html",
    "partials/registration_form.html",
    "partials/subscribe_email.html",
)
# The settings those partials read, passed to the inbox in SETTINGS_FILE.
SETTINGS = ("INBOX_URL", "MAILCHIMP_SIGNUP_URL", "PRIVACY_URL")
# Values the partials read from the Python that enforces them (the form's limits): the build
# (plugins/forms) and the inbox (form_pages.py) both give them to the templates as globals.
TEMPLATE_GLOBALS = {"COMMENT_LIMITS": COMMENT_LIMITS}
# What the page's template is given in place of the values the inbox fills in.
SLOTS = {"SITEURL": "site", "FORM_TITLE": "title", "FORM_SLOT": "main"}

_RAW_TAG = re.compile(r"\{%-?\s*(end)?raw\s*-?%\}")


class FormTemplateError(LetterpressError):
    """The site's page cannot be handed to the inbox as a template; the message says why."""


def sentinel(name: str) -> str:
    """A marker no page holds, standing for the slot `name` while the theme renders the page."""
    return f"\x1eletterpress:{name}\x1e"


def page_template(rendered: str) -> str:
    """The rendered page as a Jinja template whose only live parts are the slots: everything the
    site wrote is kept verbatim in {% raw %} blocks, so the site's own text is never run."""
    if _RAW_TAG.search(rendered):
        raise FormTemplateError(
            "The page around the forms contains a Jinja raw tag ({% raw %} or {% endraw %}); "
            "remove it from the site's name, subtitle, pages' titles or theme."
        )
    text = rendered
    for name in SLOTS.values():
        text = text.replace(sentinel(name), "{% endraw %}{{ " + name + " }}{% raw %}")
    return "{% raw %}" + text + "{% endraw %}"


def template_path(folder: Path, name: str) -> Path:
    return Path(folder) / (name + SUFFIX)
