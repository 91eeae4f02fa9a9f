"""From saving a file to the edit on screen, under `make serve`, at 1,000 essays.

    python bench/save_to_screen.py WORK [--essays 1000] [--rounds 3] [--no-browser]

Writes the benchmark corpus (bench/corpus.py) into WORK/content, starts the author's loop
(`python -m commands.serve`, as `make serve` runs it, search on) and waits until it is idle. Then,
ROUNDS times for each kind of edit (an essay's body, a comment, a workshop's description): opens
the page that shows the file, appends a sentence to the file, and times from just before the
write to the moment the page shows the sentence. With a browser (Chromium through Playwright,
the default) that is the open page, reloaded by the loop's own script, showing the text; with
--no-browser, the served HTML holding it (polled every 5 ms). Between edits it waits for the
complete rebuild and the search index, so each edit starts from an idle loop.

`measure()` is what `invoke bench` calls; it returns seconds (median and each round) per kind.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402

TODAY = "2026-11-26"
CHROMIUM = "/usr/bin/chromium"
KINDS = ("essay", "comment", "workshop")


class Loop:
    """The loop's process and its lines of output."""

    def __init__(self, content: Path, output: Path, build: Path, port: int):
        self.url = f"http://127.0.0.1:{port}"
        args = [sys.executable, "-m", "commands.serve", "--port", str(port)]
        args += ["--content", str(content), "--output", str(output)]
        env = {**os.environ, "LETTERPRESS_TODAY": TODAY, "LETTERPRESS_BUILD_DIR": str(build)}
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 600) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    code = self.process.returncode
                    raise RuntimeError(f"the loop stopped (exit {code})") from None
                continue
            if text in line:
                return line
        raise TimeoutError(f"the loop never printed {text!r}")

    def drain(self) -> list[str]:
        seen = []
        while not self.lines.empty():
            seen.append(self.lines.get())
        return seen

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def targets(content: Path, output: Path) -> dict[str, tuple[Path, str]]:
    """For each kind, the file to edit and the URL path of the page that shows it."""
    essays = sorted((content / "essays").rglob("*.md"))
    essay = essays[len(essays) // 2]
    commented = sorted(p for p in (content / "comments").iterdir() if p.is_dir())
    folder = commented[len(commented) // 3]
    comment = sorted(folder.glob("*.md"))[0]
    workshop = sorted((content / "workshops").glob("*.md"))[-1]

    def page_of(slug: str, pattern: str) -> str:
        (found,) = output.glob(pattern.format(slug=slug))
        return "/" + found.relative_to(output).parent.as_posix() + "/"

    return {
        "essay": (essay, page_of(_slug(essay), "essays/*/*/{slug}/index.html")),
        "comment": (comment, page_of(folder.name, "essays/*/*/{slug}/index.html")),
        "workshop": (workshop, page_of(workshop.stem, "workshops/{slug}/index.html")),
    }


def _slug(essay: Path) -> str:
    for line in essay.read_text("utf-8").splitlines():
        if line.lower().startswith("slug:"):
            return line.split(":", 1)[1].strip()
        if not line.strip():
            break
    return essay.stem


def append(path: Path, sentence: str) -> None:
    path.write_text(path.read_text("utf-8").rstrip("\n") + f"\n\n{sentence}\n", "utf-8")


def served_html_waiter(url: str) -> Callable[[str], None]:
    def wait(sentence: str) -> None:
        while True:
            with urllib.request.urlopen(url, timeout=30) as answer:
                if sentence in answer.read().decode():
                    return
            time.sleep(0.005)

    return wait


def measure(
    site_root: Path,
    essays: int = 1000,
    rounds: int = 3,
    browser: bool = True,
    port: int | None = None,
) -> dict[str, Any]:
    """Seconds from saving to seeing, per kind of edit: {'essay': {'median', 'rounds'}, ...,
    'until': 'browser' | 'served html', 'essays', 'load'}. Works in SITE_ROOT (replaced)."""
    site_root = Path(site_root)
    content, output, build = site_root / "content", site_root / "output", site_root / "build"
    corpus.generate(content, essays)
    loop = Loop(content, output, build, port or free_port())
    playwright = chromium = None
    try:
        loop.wait_for("Serving http://")
        loop.wait_for("Search index updated.")
        if browser:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
            )
        found = targets(content, output)
        timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
        for number in range(rounds):
            for kind in KINDS:
                path, url_path = found[kind]
                sentence = f"Saved and seen, {kind} round {number} ({time.time_ns()})."
                if chromium is not None:
                    page = chromium.new_page()
                    page.goto(loop.url + url_path)
                    # The reload script has run and opened its event stream (an open stream
                    # never shows among the page's finished resources: wait a moment).
                    page.wait_for_function(
                        "() => performance.getEntriesByType('resource')"
                        ".some(e => e.name.includes('/__letterpress/reload.js'))"
                    )
                    page.wait_for_timeout(300)

                    def wait(sentence: str, page: Any = page) -> None:
                        page.wait_for_function(
                            f"() => document.body.innerText.includes({sentence!r})",
                            polling="raf",
                            timeout=60000,
                        )
                else:
                    page = None
                    wait = served_html_waiter(loop.url + url_path)
                loop.drain()
                started = time.perf_counter()
                append(path, sentence)
                wait(sentence)
                timings[kind].append(time.perf_counter() - started)
                loop.wait_for("Built in")
                loop.wait_for("Search index updated.")
                if page is not None:
                    page.close()
        return {
            **{k: {"median": statistics.median(v), "rounds": v} for k, v in timings.items()},
            "until": "browser" if browser else "served html",
            "essays": essays,
            "load": os.getloadavg()[0],
        }
    finally:
        if chromium is not None:
            chromium.close()
        if playwright is not None:
            playwright.stop()
        loop.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path, help="folder to work in (its content is replaced)")
    parser.add_argument("--essays", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-browser", dest="browser", action="store_false")
    args = parser.parse_args(argv)
    figures = measure(args.work, args.essays, args.rounds, args.browser)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
