"""Production settings: absolute URLs from the settings' site_url, the forms aimed at the deployed
inbox (inbox_url); the rest, like the clean output directory, comes from pelicanconf."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = LETTERPRESS.site_url or "https://letterpress.example"  # noqa: F405
RELATIVE_URLS = False

# The forms post to the deployed inbox. Without one (inbox_url empty) they keep the development
# address, and `invoke doctor` says so before anything is published.
INBOX_URL = LETTERPRESS.inbox_url or INBOX_URL  # noqa: F405

# Where `invoke publish` copies the site (rsync destination: a path or host:path).
PUBLISH_TARGET = LETTERPRESS.publish_target  # noqa: F405
GITHUB_PAGES_BRANCH = LETTERPRESS.pages_branch  # noqa: F405

# == SEO (plugins/seo) == canonical links and the sitemap point at the published site.
SITE_CANONICAL_URL = SITEURL
