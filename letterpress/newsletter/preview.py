"""Pictures of the e-mail at phone and desktop width, taken by headless Chromium.

Nothing leaves the machine: requests for the site's own files are answered from the built site,
every other request is refused, so a preview shows exactly what the build holds.
"""

from __future__ import annotations

from pathlib import Path

from letterpress.chromium import CHROMIUM, CHROMIUM_ARGS

from .built_issue import HTML_NAME
from .formats import built_path
from .model import NewsletterError

WIDTHS = (375, 700)


def preview_path(folder: Path, width: int) -> Path:
    return Path(folder) / f"preview-{width}.png"


def _local_file(url: str, site_url: str, output: Path) -> Path | None:
    if not url.startswith(site_url.rstrip("/") + "/"):
        return None
    path = built_path(url, site_url, output)
    return path if path.is_file() else None


def take_previews(
    folder: Path,
    output: Path,
    site_url: str,
    widths: tuple[int, ...] = WIDTHS,
    executable: str = CHROMIUM,
) -> list[Path]:
    """Save preview-<width>.png beside email.html for each width; return their paths."""
    folder, output = Path(folder), Path(output)
    email = folder / HTML_NAME
    if not email.is_file():
        raise NewsletterError(f"{email}: missing; build the issue first (invoke newsletter.build).")
    if not Path(executable).exists():
        raise NewsletterError(
            f"Chromium not found at {executable}: apt-get install chromium, "
            "or set LETTERPRESS_CHROMIUM to its path."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise NewsletterError(
            "newsletter.preview drives Chromium with Playwright, which make build does not "
            "install: .venv/bin/pip install -r requirements-preview.txt (make test installs it "
            "as well)."
        ) from None

    html = email.read_text("utf-8")

    def answer(route):
        local = _local_file(route.request.url, site_url, output)
        if local:
            route.fulfill(path=str(local))
        else:
            route.abort()

    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            for width in widths:
                context = browser.new_context(viewport={"width": width, "height": 800})
                page = context.new_page()
                page.route("**/*", answer)
                page.set_content(html, wait_until="load")
                path = preview_path(folder, width)
                page.screenshot(path=str(path), full_page=True)
                context.close()
                saved.append(path)
        finally:
            browser.close()
    return saved
