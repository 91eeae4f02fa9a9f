"""Development settings: relative URLs, nothing deployed. `publishconf.py` builds on these."""

import os
import sys

# Plugins and filters import the letterpress library from this repository.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from letterpress.highlight import shared_html_formatter
from letterpress.settings import SettingsError, load_settings
from letterpress.text import reading_minutes

# The one set of settings the inbox and every task read too (letterpress.toml, the environment
# over it; docs/settings.md): the inbox's address and the build folder come from there, so no
# build can aim the forms anywhere else.
try:
    LETTERPRESS = load_settings()
except SettingsError as error:
    raise SystemExit(f"Settings: {error}") from None

AUTHOR = "Miriam Okafor"
AUTHOR_EMAIL = "miriam@letterpress.example"
SITENAME = "Generative Leadership"
SITESUBTITLE = "Essays on leading people who make things"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
ARTICLE_PATHS = ["essays"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["files", "images"]
# Comments, workshops and newsletter notes are read by our plugins, not as essays or pages.
ARTICLE_EXCLUDES = ["comments", "workshops", "newsletters", "pages", "files", "images"]
PAGE_EXCLUDES = ["comments", "workshops", "newsletters", "essays", "files", "images"]

TIMEZONE = "America/Los_Angeles"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%B %-d, %Y"

THEME = "theme"
PLUGIN_PATHS = ["plugins"]
# Order matters in one place, checked at start-up: the feeds come after the newsletter, whose
# issues they carry (letterpress/context_keys.py).
PLUGINS = [
    # The build engine (letterpress/engine): keeps what builds can reuse (BUILD_PATH/cache) and
    # shares work among cores. First: the features find its services in the context.
    "build_engine",
    "schedule",
    # Early: every plugin after it reads essays' URLs and reading times, computed once.
    "essay_facts",
    "checks",
    "seo",
    "comments",
    "workshops",
    "newsletter",
    "feeds",
    "series",
    "related",
    "share",
    "manifest",
    # The privacy page (/privacy/), from letterpress/privacy.py's facts.
    "privacy",
    # The templates the inbox re-shows a refused form with (output/inbox-forms/).
    "forms",
    # Last: it leaves alone every old address that a page of this build now uses.
    "redirects",
    # Pagefind, started once the essays' pages are written (after build_engine), when
    # SEARCH_INDEX is on: `invoke build` turns it on.
    "search",
]
SEARCH_INDEX = False

# Pretty URLs: /essays/2026/11/slug/
ARTICLE_URL = "essays/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_URL = "category/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "tag/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
ARCHIVES_URL = "essays/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
YEAR_ARCHIVE_URL = "essays/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_URL = "essays/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL + "index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Pelican's own feeds are off: plugins/feeds writes every feed with feedgen.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
FEED_MAX_ITEMS = 20

SUMMARY_MAX_LENGTH = 50
# Pelican makes new Jinja environments for every build (`make serve`'s rebuilds too), so within
# one build no template changes: checking each template's file on every lookup is wasted.
# Pelican adds its own defaults (trim_blocks, lstrip_blocks) to these.
JINJA_ENVIRONMENT = {"auto_reload": False}
JINJA_FILTERS = {"reading_minutes": reading_minutes}

# Built artefacts that are not part of the site (the newsletter's e-mail parts) go here.
BUILD_PATH = str(LETTERPRESS.build_dir)

# Where the intake service (comments, registrations, sign-up) listens: in development, the inbox
# `make serve` runs on this machine (dev_inbox_url); publishconf.py uses the deployed one.
INBOX_URL = LETTERPRESS.dev_inbox_url

# == workshops ==
# content/workshops/*.md become /workshops/<slug>/ pages, calendars and the block below each essay.
# "block": "next" shows the soonest open workshop, a slug pins one, "off" shows none.
WORKSHOPS = {"block": "next"}

# == newsletter ==
# One issue per month with essays or a note (content/newsletters/YYYY-MM.md): the web issue at
# /newsletter/YYYY/MM/, the e-mail parts in BUILD_PATH/newsletter/YYYY-MM/. E-mail links use
# SITE_CANONICAL_URL. Keys: folder (notes, inside content/), archive_url, email_templates.
NEWSLETTER = {"folder": "newsletters", "archive_url": "newsletter/"}

# Pelican's own content cache stays off: the build engine (plugins/build_engine,
# docs/architecture.md) keeps the essays' Markdown, the pages, comments, e-mail parts and related
# essays in BUILD_PATH/cache/ under a fingerprint of every setting and all the code.
# BUILD_WORKERS: the processes a build shares its work among (None: one per core; 1: no child
# process at all). BUILD_WORKER_TIMEOUT: seconds a child may take over its share before the
# build stops.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
BUILD_CACHE = True
BUILD_WORKERS = None
BUILD_WORKER_TIMEOUT = 600
# Emptied before a build; `make serve`'s rebuilds keep it and write only what changed.
DELETE_OUTPUT_DIRECTORY = True
OUTPUT_RETENTION = [".git"]

MARKDOWN = {
    "extension_configs": {
        # One Pygments formatter for every code block, not one (and its stylesheet) per block.
        "markdown.extensions.codehilite": {
            "css_class": "highlight",
            "guess_lang": False,
            "pygments_formatter": shared_html_formatter,
        },
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": False},
        # A paragraph holding only a YouTube or Vimeo link becomes a click-to-load video.
        "letterpress.embeds:VideoEmbedExtension": {},
    },
    "output_format": "html5",
}

DIRECT_TEMPLATES = ["index", "tags", "categories", "archives", "search"]

# == Search (Pagefind, theme/templates/search.html) ==
# `invoke build` runs Pagefind over output/ after Pelican; it indexes only the essay
# bodies (the element marked data-pagefind-body in article.html). The search page lists every essay
# by title so it is useful without JavaScript. Rebuilds keep the last index (`make serve`).
# Pagefind keeps every page it reads in memory, so it reads the essays in batches of at most this
# many pages, one after another, each its own bundle the search page merges: its peak memory is one
# batch's however many essays there are (bench/search_memory.py). Smaller batches use less memory
# but the search page fetches a few more small files for each.
SEARCH_BATCH_PAGES = 500
SEARCH_URL = "search/"
SEARCH_SAVE_AS = SEARCH_URL + "index.html"
OUTPUT_RETENTION = [*OUTPUT_RETENTION, "pagefind"]

# == SEO (plugins/seo) ==
# Canonical links, Open Graph, JSON-LD and sitemap.xml need absolute URLs even while SITEURL is
# relative in development. They all use this root; publishconf.py sets it to SITEURL.
SITE_CANONICAL_URL = "https://letterpress.example"

# == Feeds (plugins/feeds) ==
# Every feed is written by plugins/feeds with feedgen; its paths are in FEED_PATHS (defaults in
# letterpress/feeds/table.py; set a path to None to turn a format off). FEED_MAX_ITEMS above caps
# every feed. Entry ids are tag: URIs minted under this domain: keep it when the site moves, so
# feed readers never see old essays as new.
FEED_ID_AUTHORITY = "letterpress.example"

# == Mailing (Mailchimp and the outbox) ==
# Who the newsletter comes from; the list itself and the API key come from the settings
# (mailchimp_api_key, mailchimp_list_id: never in this file). README: "Mailing".
MAILING_FROM_NAME = AUTHOR
MAILING_REPLY_TO = AUTHOR_EMAIL
# The committed record of each issue's campaign (outside content/, so Pelican never reads it).
MAILING_LEDGER = "newsletter-ledger.json"
# Mailchimp's hosted sign-up form: the e-mail form posts there when INBOX_URL is empty.
MAILCHIMP_SIGNUP_URL = LETTERPRESS.mailchimp_signup_url
