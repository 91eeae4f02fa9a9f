"""The monthly newsletter: web issues and their archive in output/, e-mail parts in BUILD_PATH.

Glue only: letterpress.newsletter chooses and renders. This generator runs after the article,
comments and workshops generators have filled the context, so it reads essays, comments
(LETTERPRESS_COMMENTS) and workshops (LETTERPRESS_WORKSHOPS) from there, and leaves the issues
for the feeds under LETTERPRESS_NEWSLETTER_ISSUES.
"""

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.generators import Generator

from letterpress import context_keys as keys
from letterpress import paths
from letterpress.build_services import services_in
from letterpress.clock import build_date
from letterpress.html_urls import rebase_links
from letterpress.newsletter import (
    EmailSite,
    EssaySource,
    Issue,
    NewsletterError,
    Sources,
    issue_folder,
    read_notes,
    select_issues,
    write_issue,
)
from letterpress.newsletter.formats import long_date
from letterpress.newsletter.rendering import email_environment, issue_digest, render_parts
from letterpress.options import merge_options
from letterpress.seo import canonical_base_from

DEFAULTS = {
    "folder": "newsletters",  # the editor's notes, inside the content folder
    "archive_url": "newsletter/",
    "email_templates": "email",  # inside the theme's templates folder
}
_MONTH_FOLDER = re.compile(r"^\d{4}-\d{2}$")
# Below this many issues to render, forking costs more than it saves.
PARALLEL_THRESHOLD = 12


@dataclass(frozen=True)
class PublishedIssue:
    """An issue as the feeds see it: `url` is site-relative, `html` has absolute links."""

    month: str
    subject: str
    preheader: str
    url: str
    date: dt.datetime  # aware: midnight of the issue's day in the site's time zone
    html: str


def options_from(settings) -> dict:
    return merge_options("NEWSLETTER", DEFAULTS, settings.get("NEWSLETTER"), NewsletterError)


def essay_source(article) -> EssaySource:
    return EssaySource(
        slug=article.slug,
        title=article.title,
        date=article.date,
        url=article.url,
        summary_html=article.summary,
        # Only its words are counted (reading time): the HTML as read has the same words as
        # any rendering, without resolving every link of a thousand essays again.
        content_html=article._content,
        status=article.status,
    )


class NewsletterGenerator(Generator):
    """Chooses the issues once every generator has read its content; writes them in
    generate_output."""

    def generate_context(self):
        self.options = options_from(self.settings)
        self.context[keys.NEWSLETTER_ARCHIVE_URL] = self.options["archive_url"]

    def choose_issues(self):
        """Select each month's issue. It reads the essays' HTML, which Pelican can resolve
        ({static} links) only once the static files are listed, after every generate_context."""
        timezone = self.settings["TIMEZONE"]
        self.today = build_date(timezone)
        self.sources = Sources(
            essays=[essay_source(a) for a in self.context.get("articles", ())],
            notes=read_notes(Path(self.path) / self.options["folder"]),
            workshops=self.context.get(keys.WORKSHOPS, ()),
            comments=self.context.get(keys.COMMENTS, ()),
        )
        self.issues = select_issues(
            self.sources,
            today=self.today,
            timezone=timezone,
            site_name=self.settings["SITENAME"],
        )
        templates = Path(self.settings["THEME"]) / "templates" / self.options["email_templates"]
        self.site = EmailSite(
            name=self.settings["SITENAME"],
            url=canonical_base_from(self.settings),
            templates=templates,
            subtitle=self.settings.get("SITESUBTITLE", ""),
            author=self.settings.get("AUTHOR", ""),
            lang=self.settings.get("DEFAULT_LANG", "en"),
        )
        self.env.filters.update(long_date=long_date, rebase_links=rebase_links)
        zone = ZoneInfo(timezone)
        self.context[keys.NEWSLETTER_ISSUES] = [
            self.published(issue, zone) for issue in self.issues
        ]

    def published(self, issue: Issue, zone: ZoneInfo) -> PublishedIssue:
        body = self.get_template("partials/newsletter_body").render(
            self.context, issue=issue, SITEURL=self.site.url
        )
        return PublishedIssue(
            month=str(issue.month),
            subject=issue.subject,
            preheader=issue.preheader,
            url=issue.url,
            date=dt.datetime.combine(issue.date, dt.time(), tzinfo=zone),
            html=body,
        )

    def generate_output(self, writer):
        relative = self.settings["RELATIVE_URLS"]
        issue_template = self.get_template("newsletter_issue")
        newest_first = list(reversed(self.issues))
        for index, issue in enumerate(self.issues):
            writer.write_file(
                issue.url + "index.html",
                issue_template,
                self.context,
                relative_urls=relative,
                url=issue.url,
                issue=issue,
                previous_issue=self.issues[index - 1] if index else None,
                next_issue=self.issues[index + 1] if index + 1 < len(self.issues) else None,
            )
        archive = self.options["archive_url"]
        writer.write_file(
            archive + "index.html",
            self.get_template("newsletter_archive"),
            self.context,
            relative_urls=relative,
            url=archive,
            issues=newest_first,
        )
        self.write_email_parts()

    def write_email_parts(self):
        build_path = paths.build_path(self.settings)
        env = email_environment(self.site)
        # Each issue's parts are rendered once per change of its inputs, those to render shared
        # among cores: inlining the CSS of 120 e-mails takes a second on one.
        jobs = {issue_digest(issue, self.site): issue for issue in self.issues}
        parts = services_in(self.context).remember_each(
            "newsletter-email",
            jobs,
            lambda issue: render_parts(issue, self.site, env),
            PARALLEL_THRESHOLD,
        )
        for digest, issue in jobs.items():
            write_issue(issue, self.site, build_path, env, parts[digest])
        current = {issue_folder(build_path, issue.month) for issue in self.issues}
        # A month that no longer has an issue (its note removed) must not be pushed by mistake.
        for folder in paths.newsletter_path(build_path).glob("*"):
            if _MONTH_FOLDER.match(folder.name) and folder.is_dir() and folder not in current:
                shutil.rmtree(folder)


def get_generators(pelican):
    return NewsletterGenerator


def choose_issues(generators):
    for generator in generators:
        if isinstance(generator, NewsletterGenerator):
            generator.choose_issues()


def register():
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(choose_issues)
