"""Production settings: absolute URLs from $SITEURL (the clean output directory, like the rest,
comes from pelicanconf)."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "https://letterpress.example").rstrip("/")
RELATIVE_URLS = False

# Where `invoke publish` copies the site (rsync destination: a path or host:path).
PUBLISH_TARGET = os.environ.get("LETTERPRESS_PUBLISH_TARGET", "")
GITHUB_PAGES_BRANCH = os.environ.get("LETTERPRESS_PAGES_BRANCH", "gh-pages")

# == SEO (plugins/seo) == canonical links and the sitemap point at the published site.
SITE_CANONICAL_URL = SITEURL
