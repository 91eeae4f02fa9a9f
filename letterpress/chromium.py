"""How Letterpress starts Debian's headless Chromium: for the newsletter previews and the tests."""

import os

CHROMIUM = os.environ.get("LETTERPRESS_CHROMIUM", "/usr/bin/chromium")
# No sandbox (containers and CI run as root), no GPU, and nothing that reaches the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
