"""The page a browser gets when the inbox refuses a form: the site's own page (its header, footer
and stylesheet, every link absolute) with the form again, each error beside its field, the list
of errors at the top linking to them, and what the reader typed kept.

The build writes the templates beside the site manifest (letterpress/form_templates.py); here
they are filled in, with autoescape. Which form a request carried is read from its path (FORMS);
what the reader typed, from what `forms.read_fields` kept on the request. Without the templates
(a site built before them, or a hand-written manifest) `render_refusal` returns None and the
inbox answers with its plain page.
"""

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, TemplateError
from markupsafe import Markup
from starlette.requests import Request

from letterpress.form_templates import FOLDER, PAGE, SETTINGS_FILE, SUFFIX, TEMPLATE_GLOBALS

from .errors import InboxError
from .site import ManifestError, page_address, site_base

log = logging.getLogger(__name__)

# Where request.scope keeps the fields a form sent (forms.read_fields), for the page.
TYPED_KEY = "letterpress.typed"
# Fields never echoed back: the robot traps.
NOT_ECHOED = frozenset({"homepage", "website"})


@dataclass(frozen=True)
class Form:
    """One of the site's forms, as the refusal page shows it."""

    kind: str
    path: re.Pattern
    template: str  # the theme's partial
    heading: str
    field_id: str  # the id of a field's input in that partial, from its name ("{}")


FORMS = (
    Form(
        "comment",
        re.compile(r"/comments"),
        "partials/comment_form.html",
        "Please check your comment",
        "comment-{}",
    ),
    Form(
        "registration",
        re.compile(r"/workshops/(?P<slug>[^/]+)/registrations"),
        "partials/registration_form.html",
        "Please check your registration",
        "reg-{}",
    ),
    Form(
        "signup",
        re.compile(r"/subscribe"),
        "partials/subscribe_email.html",
        "Please check your e-mail address",
        "su-{}-page",
    ),
)
# Each form's fields that have an input of their own, in the order the form shows them.
FIELDS = {
    "comment": ("body", "name", "email", "url"),
    "registration": ("name", "email", "seats", "phone", "message"),
    "signup": ("email",),
}


class _Templates(FileSystemLoader):
    """The build's copies, asked for by their names in the theme."""

    def get_source(self, environment, template):
        return super().get_source(environment, template + SUFFIX)


class FormPages:
    """The build's templates in `folder` (beside the manifest), loaded once per server and
    reloaded when a rebuild replaces them. Lives in the app's lifespan state as `form_pages`."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.environment = Environment(
            loader=_Templates(str(self.folder)), autoescape=True, auto_reload=True
        )
        self.environment.globals.update(TEMPLATE_GLOBALS)

    @classmethod
    def beside(cls, manifest_path: Path) -> "FormPages":
        return cls(Path(manifest_path).parent / FOLDER)

    def ready(self) -> bool:
        return (self.folder / (PAGE + SUFFIX)).is_file()


def form_of(path: str) -> tuple[Form, dict[str, str]] | None:
    """The form a request to `path` carried, and the path's parameters (a workshop's slug)."""
    for form in FORMS:
        match = form.path.fullmatch(path)
        if match:
            return form, match.groupdict()
    return None


# A form is shown again when the reader can send it again: a field to correct, or a moment to
# wait; not when the essay or workshop is closed, gone or unknown, or the body too large.
RESHOWN_STATUSES = frozenset({400, 429, 503})


def render_refusal(request: Request, error: InboxError, status: int, title: str) -> str | None:
    """The site's page answering a refused form, or None when the build wrote no templates or
    the request was no form of the site. Never raises: an error page must not fail."""
    found = form_of(request.url.path)
    if found is None:
        return None
    try:
        pages = getattr(request.state, "form_pages", None)
        if pages is None or not pages.ready():
            return None
        try:
            manifest = request.state.site.current()
        except ManifestError:
            manifest = None
        return _render(request, error, status, title, found, pages, manifest)
    except (TemplateError, OSError, ValueError, AttributeError, KeyError) as problem:
        log.warning("refusal page not rendered from the site's templates: %r", problem)
        return None


def _render(request, error, status, title, found, pages: FormPages, manifest) -> str:
    form, params = found
    environment = pages.environment
    settings = json.loads((pages.folder / SETTINGS_FILE).read_text("utf-8"))
    site = site_base(request.state.config, manifest)
    typed = {
        name: value
        for name, value in request.scope.get(TYPED_KEY, {}).items()
        if name not in NOT_ECHOED
    }
    context = {**settings, "SITEURL": site}
    context.update(_form_context(form, params, typed, manifest, request.state.config))
    own_fields = FIELDS[form.kind]
    wrong = {field: message for field, message in error.errors if field in own_fields}
    reshow = status in RESHOWN_STATUSES and context.get("form_ready", False)
    heading = form.heading if type(error) is InboxError else title
    errors = [
        {"message": message, "target": form.field_id.format(field) if field in wrong else ""}
        for field, message in error.errors
    ]
    body = environment.get_template("partials/form_refused.html").render(
        context,
        title=heading,
        lead=_lead(error, reshow),
        errors=errors,
        form_template=form.template if reshow else None,
        form={"typed": typed, "errors": wrong},
        back=context.get("back", ""),
        back_label=context.get("back_label", ""),
        form_heading=context.get("form_heading", ""),
    )
    page = environment.get_template(PAGE)
    return page.render(title=heading, site=site, main=Markup(body))


def _lead(error: InboxError, reshow: bool) -> str:
    if not reshow:
        return "Nothing was sent."
    if len(error.errors) > 1:
        return f"Nothing was sent yet: {len(error.errors)} things to correct, marked below."
    return "Nothing was sent yet: please correct what is marked below and send the form again."


def _form_context(form, params, typed, manifest, config) -> Mapping:
    """What the form's partial needs, from the manifest (the essay, the workshop)."""
    if form.kind == "comment":
        essay = manifest.essays.get(typed.get("essay", "")) if manifest else None
        if essay is None:
            return {}
        url = page_address(config, manifest, essay.url)
        return {
            "article": {"slug": essay.slug, "comment_list": ()},
            "form_ready": True,
            "back": url + "#respond",
            "back_label": f"Back to “{essay.title}”",
            "form_heading": f"Your comment on “{essay.title}”",
        }
    if form.kind == "registration":
        workshop = manifest.workshops.get(params.get("slug", "")) if manifest else None
        if workshop is None:
            return {}
        state = "waitlist" if workshop.state == "waitlist" else "open"
        return {
            "workshop": {"workshop": workshop, "state": state},
            "form_ready": True,
            "back": page_address(config, manifest, workshop.url),
            "back_label": f"Back to “{workshop.title}”",
            "form_heading": f"Your registration for “{workshop.title}”",
        }
    page = typed.get("return", "").split("#", 1)[0]
    safe = page.startswith("/") and not page.startswith("//")
    return {
        "signup_place": "page",
        "form_ready": True,
        "back": site_base(config, manifest) + (page if safe else "/"),
        "back_label": "Back to the page you were reading",
        "form_heading": "Your e-mail address",
    }
