"""Time a build of the benchmark corpus with our settings and plugins against plain Pelican.

    python bench/build.py [--corpus DIR] [--essays 1000] [--seed 1] [--repeat 3]

Both builds run in this one invocation, on the same corpus and machine, as fresh processes with
the content cache off, so the ratio compares like with like. "Plain" is Pelican's default theme,
no plugins and its default feeds, with our other settings (paths, URLs, pagination, Markdown).
Without --corpus, bench/corpus.py writes one into a temporary folder.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import generate  # run as a script, bench/ is first on the import path

ROOT = Path(__file__).resolve().parents[1]

TODAY = "2026-11-26"
# Plain Pelican: its default theme, no plugins, its own default feeds. Everything else (paths,
# URLs, pagination, Markdown options) is ours, so the ratio measures our theme and plugins only.
PLAIN_SETTINGS = f"""
import sys

sys.path.insert(0, {str(ROOT)!r})
from pelicanconf import *  # noqa: F403

THEME = "notmyidea"
DIRECT_TEMPLATES = ["index", "tags", "categories", "archives"]  # no search page without ours
PLUGINS = []
PLUGIN_PATHS = []
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{{slug}}.atom.xml"
"""


def timed_build(
    content: Path, settings: Path, output: Path, build_dir: Path, extra: tuple[str, ...] = ()
) -> tuple[float, float]:
    """(wall, CPU) seconds for one `pelican` process; raises with its output if it fails.

    CPU time (user + system of the child) is the steadier figure on a shared machine.
    """
    args = [sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output)]
    args += [*extra, "-q"]
    env = {**os.environ, "LETTERPRESS_TODAY": TODAY, "LETTERPRESS_BUILD_DIR": str(build_dir)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode:
        raise SystemExit(f"The build with {settings.name} failed:\n{result.stdout}{result.stderr}")
    return elapsed, cpu


def count_files(folder: Path, pattern: str) -> int:
    return sum(1 for _ in folder.rglob(pattern))


def run(corpus: Path, work: Path, repeat: int) -> dict:
    plain_settings = work / "plain_settings.py"
    plain_settings.write_text(PLAIN_SETTINGS, "utf-8")
    ours_settings = ROOT / "pelicanconf.py"
    timings = {"letterpress": [], "plain": []}
    # Alternate the two so that a slow moment on the machine hits both alike.
    # Ours runs as `make build` runs it (tasks.py), warnings fatal.
    kinds = (
        ("letterpress", ours_settings, ("--fatal", "warnings")),
        ("plain", plain_settings, ()),
    )
    for _ in range(repeat):
        for name, settings, extra in kinds:
            output, build_dir = work / f"output-{name}", work / f"build-{name}"
            timings[name].append(timed_build(corpus, settings, output, build_dir, extra))
    ours = work / "output-letterpress"
    return {
        "essays": count_files(corpus / "essays", "*.md"),
        "comments": count_files(corpus / "comments", "*.md"),
        **{
            f"{name}_{measure}": statistics.median(t[index] for t in runs)
            for name, runs in timings.items()
            for index, measure in enumerate(("wall", "cpu"))
        },
        "runs": repeat,
        "feeds": count_files(ours / "feeds", "*.xml"),
        "feed_bytes": sum(p.stat().st_size for p in (ours / "feeds").rglob("*.xml")),
        "pages": count_files(ours, "*.html"),
    }


def report(figures: dict) -> str:
    wall = figures["letterpress_wall"] / figures["plain_wall"]
    cpu = figures["letterpress_cpu"] / figures["plain_cpu"]
    return "\n".join(
        [
            f"Corpus: {figures['essays']} essays, {figures['comments']} comments",
            f"Letterpress (our settings, theme, plugins): "
            f"{figures['letterpress_wall']:.2f} s wall, {figures['letterpress_cpu']:.2f} s CPU "
            f"({figures['pages']} HTML pages, "
            f"{figures['feeds']} feed files, {figures['feed_bytes'] / 2**20:.1f} MB of feeds)",
            f"Plain Pelican (default theme, no plugins):  {figures['plain_wall']:.2f} s wall, "
            f"{figures['plain_cpu']:.2f} s CPU",
            f"Ratio: {wall:.2f}x wall, {cpu:.2f}x CPU (medians of {figures['runs']} run(s) each)",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="content folder from bench/corpus.py")
    parser.add_argument("--essays", type=int, default=1000, help="essays, without --corpus")
    parser.add_argument("--seed", type=int, default=1, help="seed, without --corpus")
    parser.add_argument("--repeat", type=int, default=3, help="builds of each kind (3)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    with tempfile.TemporaryDirectory(prefix="letterpress-bench-") as scratch:
        work = Path(scratch)
        corpus = args.corpus
        if corpus is None:
            corpus = generate(work / "content", args.essays, args.seed)
        elif not (corpus / "essays").is_dir():
            parser.error(f"{corpus} has no essays/ folder; write one with bench/corpus.py")
        print(report(run(corpus.resolve(), work, args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
