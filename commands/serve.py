"""`make serve` (`invoke serve`): the author's loop, in one command.

The task (tasks.py) checks the ports, starts the inbox beside the site, and runs this module as a
process of its own (`python -m commands.serve`), again each time it exits with RESTART: changed
Python code (plugins, the library) needs fresh imports, which a running process cannot have.

The process builds the site once, serves output/ on loopback (letterpress.dev_server.server:
the reload script added as pages are served, the site's own 404 page), watches the sources, and
rebuilds in the same process with one Pelican object, as `pelican --autoreload` does, so what a
build keeps in memory helps the next. An edited essay, comment or workshop first takes the fast
path (commands/fast_path.py): its page rendered and the browser reloaded at once; then the
complete rebuild runs, the open page reloads again only if its file changed, and Pagefind
re-indexes the essays in the background, reloading the search page when the index is ready.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from letterpress import paths
from letterpress.dev_server.changes import Action, Layout, Plan, plan
from letterpress.dev_server.live import change_message, url_paths
from letterpress.dev_server.outputs import Snapshot, changed, snapshot
from letterpress.dev_server.server import DevServer
from letterpress.search_index import DEFAULT_BATCH_PAGES, essay_glob, pagefind_command

ROOT = Path(__file__).resolve().parents[1]
# The site's address: `make serve` passes $PORT (the Makefile's default is this one too).
HOST = "127.0.0.1"
PORT = 8000
RESTART = 3  # the exit status that asks the task to start this process again
SEARCH_BUNDLE = "pagefind"
# How long the watcher waits for more changes after one (an editor's save is several events).
WATCH_STEP_MS = 30
LIBRARY_CODE = ("letterpress", "plugins", "commands")
SETTINGS_FILES = ("letterpress.toml",)

logger = logging.getLogger("letterpress.serve")


def serve_address(environ: Mapping[str, str] | None = None) -> str:
    """Where `make serve` serves the site: its PORT from the environment, as make reads it."""
    port = (os.environ if environ is None else environ).get("PORT", "").strip() or str(PORT)
    return f"http://{HOST}:{port}"


def say(message: str) -> None:
    print(message, flush=True)


def layout_for(settings: dict[str, Any], settings_file: Path) -> Layout:
    """What the loop watches, from the site's settings (folders inside the content folder)."""
    content = (ROOT / settings["PATH"]).resolve()
    workshops = (settings.get("WORKSHOPS") or {}).get("folder", "workshops")
    comments = settings.get("COMMENTS_DIR", "comments")
    return Layout(
        content=content,
        essays=tuple(content / folder for folder in settings["ARTICLE_PATHS"]),
        comments=content / comments,
        workshops=content / workshops,
        theme=Path(settings["THEME"]).resolve(),
        settings_files=(settings_file.resolve(), *(ROOT / name for name in SETTINGS_FILES)),
        code=tuple(ROOT / name for name in LIBRARY_CODE),
    )


class SearchIndex:
    """Pagefind over the output, in the background, into a folder of its own that then takes
    the place of output/pagefind: the search page keeps working with the last index meanwhile.
    A change stops a run under way (its index would be stale); the next rebuild starts another."""

    def __init__(
        self,
        output: Path,
        work: Path,
        on_done: Callable[[list[str]], None],
        batch_pages: int,
        glob: str,
    ):
        self.output = output
        self.batch_pages = batch_pages
        self.glob = glob
        self.work = work
        self.on_done = on_done
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._generation = 0

    def refresh(self) -> None:
        with self._lock:
            self._stop_locked()
            self._generation += 1
            generation = self._generation
            target = self.work / f"{SEARCH_BUNDLE}-{generation}"
            shutil.rmtree(target, ignore_errors=True)
            self._process = subprocess.Popen(
                pagefind_command(self.output, target, self.batch_pages, self.glob),
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                # Behind the author's next edit, never in its way.
                preexec_fn=lambda: os.nice(10),
            )
            process = self._process
        threading.Thread(
            target=self._finish, args=(process, generation, target), daemon=True
        ).start()

    def _finish(self, process: subprocess.Popen[bytes], generation: int, target: Path) -> None:
        code = process.wait()
        with self._lock:
            if generation != self._generation or code != 0:
                shutil.rmtree(target, ignore_errors=True)
                if code > 0:
                    say(f"Pagefind failed (exit status {code}): search shows the last index.")
                return
            self._process = None
            before = snapshot(self.output / SEARCH_BUNDLE)
            live, old = self.output / SEARCH_BUNDLE, self.work / f"{SEARCH_BUNDLE}-old"
            shutil.rmtree(old, ignore_errors=True)
            if live.exists():
                live.rename(old)
            shutil.move(str(target), str(live))
            shutil.rmtree(old, ignore_errors=True)
            after = snapshot(live)
        say("Search index updated.")
        self.on_done([f"{SEARCH_BUNDLE}/{name}" for name in changed(before, after)])

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()
            self._generation += 1

    def _stop_locked(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait()
        self._process = None


class Loop:
    """One Pelican, one server, the watcher: build, serve, and rebuild what an edit needs."""

    def __init__(self, arguments: argparse.Namespace):
        from commands.fast_path import LastBuild

        self.arguments = arguments
        self.settings_file = (ROOT / arguments.settings).resolve()
        self.pelican, self.settings = self._new_pelican()
        self.output = Path(self.pelican.output_path).resolve()
        self.layout = layout_for(self.settings, self.settings_file)
        self.last = LastBuild()
        self.shown: Snapshot = {}
        self.server = DevServer((arguments.host, arguments.port), self.output)
        work = ROOT / paths.build_path(self.settings) / "serve"
        work.mkdir(parents=True, exist_ok=True)
        self.search = (
            SearchIndex(
                self.output,
                work,
                self.publish,
                self.settings.get("SEARCH_BATCH_PAGES", DEFAULT_BATCH_PAGES),
                essay_glob(self.settings["ARTICLE_SAVE_AS"]),
            )
            if arguments.search
            else None
        )

    def _new_pelican(self) -> tuple[Any, dict[str, Any]]:
        from pelican import get_instance, parse_arguments

        args = [self.arguments.content, "-s", str(self.settings_file), "-o", self.arguments.output]
        args += ["-e", "SEARCH_INDEX=false"]  # Pagefind runs beside the loop (SearchIndex)
        pelican, settings = get_instance(parse_arguments(args))
        return pelican, dict(settings)

    def publish(self, files: Sequence[str]) -> None:
        if files:
            self.server.events.publish(change_message(url_paths(files)))

    def build(self, fast: dict[str, bytes | None] | None = None) -> bool:
        """The complete build; tells open pages which files changed (leaving out those the fast
        path already wrote with these very bytes). False when the build failed."""
        started = time.perf_counter()
        self.last.starting()
        try:
            self.pelican.run()
        except Exception as error:  # shown, and the last good site stays served
            self.last.finished(ok=False)
            say(f"The build failed: {error}")
            return False
        self.last.finished(ok=True)
        now = snapshot(self.output, skip=(SEARCH_BUNDLE,))
        files = changed(self.shown, now)
        self.shown = now
        if fast:
            files = [f for f in files if fast.get(f) != _read(self.output / f)]
        self.publish(files)
        say(f"Built in {time.perf_counter() - started:.2f} s ({len(files)} files changed).")
        if self.search is not None:
            self.search.refresh()
        return True

    def fast_path(self, todo: Plan) -> dict[str, bytes | None] | None:
        """Render the pages of the plan's edits; the bytes written, or None if it could not."""
        from commands.fast_path import render

        started = time.perf_counter()
        written: list[str] = []
        for edit in todo.fast:
            files = render(self.last, edit)
            if files is None:
                return None
            written += files
        self.publish(written)
        elapsed = (time.perf_counter() - started) * 1000
        say(f"Rendered {', '.join(written)} in {elapsed:.0f} ms; now the complete rebuild.")
        return {name: _read(self.output / name) for name in written}

    def run(self) -> int:
        import watchfiles

        self.build()
        self.server.start()
        say(f"Serving {self.server.url}/ (pages reload when a rebuild changes them; Ctrl-C stops)")
        watched = self.layout.watched()
        try:
            for batch in watchfiles.watch(*watched, watch_filter=None, step=WATCH_STEP_MS):
                todo = plan(self.layout, [(Action(c.value), Path(p)) for c, p in batch])
                if todo.nothing:
                    continue
                if self.search is not None:
                    self.search.stop()
                if todo.restart:
                    say("Python code changed: starting again with it.")
                    return RESTART
                if todo.reread_settings and not self._reread_settings():
                    continue
                fast = self.fast_path(todo) if todo.fast else None
                self.build(fast)
        except KeyboardInterrupt:
            return 0
        finally:
            if self.search is not None:
                self.search.stop()
            self.server.stop()
            self.last.close()
        return 0

    def _reread_settings(self) -> bool:
        try:
            self.pelican, self.settings = self._new_pelican()
        except BaseException as error:  # a settings file mid-edit: keep the last good settings
            say(f"The settings could not be read ({error}): fix them and save again.")
            return False
        return True


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m commands.serve", description=__doc__)
    parser.add_argument("--host", default=HOST)
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--content", default="content")
    parser.add_argument("--no-search", dest="search", action="store_false")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING, name="pelican")
    os.chdir(ROOT)
    return Loop(parse(argv)).run()


def command(
    host: str, port: int, settings: str, output: str, content: str, search: bool
) -> list[str]:
    """The loop's process, as the task starts it."""
    args = [sys.executable, "-m", "commands.serve", "--host", host, "--port", str(port)]
    args += ["--settings", settings, "--output", output, "--content", content]
    return args if search else [*args, "--no-search"]


def run_until_stopped(args: Sequence[str], env: dict[str, str] | None = None) -> int:
    """Run the loop's process, again whenever it asks (RESTART); its last exit status."""
    while True:
        process = subprocess.Popen(args, cwd=ROOT, env=env)
        try:
            code = process.wait()
        except KeyboardInterrupt:  # the loop has it too (same terminal): let it finish
            code = process.wait()
        if code != RESTART:
            return code


if __name__ == "__main__":
    sys.exit(main())
