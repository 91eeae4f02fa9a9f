"""Time one month's newsletter issue on the benchmark site.

    python bench/newsletter.py [--corpus DIR] [--essays 1000] [--seed 1] [--month YYYY-MM]
                               [--repeat 20]

Builds the benchmark site once, in this process, with our settings and plugins (so essays,
comments and workshops are read as in a real build), then times what the newsletter does for one
month: choose the issue from the whole site, write email.html (inlined), email.txt and issue.json,
and render the web issue. The figure is the median of --repeat runs; the target is 0.5 s. It also
reports the newsletter's share of the full build (every month's issue).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from corpus import generate  # run as a script, bench/ is first on the import path

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-26"
TARGET_SECONDS = 0.5


class Stopwatch:
    """Adds up the time spent in the methods it wraps."""

    def __init__(self):
        self.seconds = 0.0

    def wrap(self, method):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed


def build_site(corpus: Path, work: Path):
    """Build the benchmark site; return the newsletter generator and its share of the build."""
    os.environ.update(LETTERPRESS_TODAY=TODAY, LETTERPRESS_BUILD_DIR=str(work / "build"))
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    from pelican import Pelican, signals
    from pelican.settings import read_settings

    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={"PATH": str(corpus), "OUTPUT_PATH": str(work / "output")},
    )
    pelican = Pelican(settings)  # loads the plugins from PLUGIN_PATHS
    generator_class = next(
        module.NewsletterGenerator
        for module in list(sys.modules.values())
        if isinstance(getattr(module, "NewsletterGenerator", None), type)
    )
    share = Stopwatch()
    for name in ("generate_context", "generate_output"):
        setattr(generator_class, name, share.wrap(getattr(generator_class, name)))
    found = []

    def keep(generators):
        found.extend(g for g in generators if isinstance(g, generator_class))

    signals.all_generators_finalized.connect(keep)
    started = time.perf_counter()
    pelican.run()
    build_seconds = time.perf_counter() - started
    if not found:
        raise SystemExit("The newsletter plugin did not run: is it in PLUGINS?")
    return found[0], share.seconds, build_seconds


def one_issue(generator, month, build_path: Path):
    """Everything the newsletter does for one month, from the whole site's sources."""
    from letterpress.newsletter import select_issue, write_issue

    issue = select_issue(
        month,
        generator.sources,
        today=generator.today,
        timezone=generator.settings["TIMEZONE"],
        site_name=generator.settings["SITENAME"],
    )
    write_issue(issue, generator.site, build_path)
    generator.get_template("newsletter_issue").render(
        generator.context, issue=issue, SITEURL="", previous_issue=None, next_issue=None
    )
    return issue


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="content folder from bench/corpus.py")
    parser.add_argument("--essays", type=int, default=1000, help="essays, without --corpus")
    parser.add_argument("--seed", type=int, default=1, help="seed, without --corpus")
    parser.add_argument("--month", help="the issue to time, YYYY-MM (default: the latest)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs (20)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    with tempfile.TemporaryDirectory(prefix="letterpress-bench-") as scratch:
        work = Path(scratch)
        corpus = args.corpus.resolve() if args.corpus else None
        if corpus is None:
            corpus = generate(work / "content", args.essays, args.seed)
        elif not (corpus / "essays").is_dir():
            parser.error(f"{corpus} has no essays/ folder; write one with bench/corpus.py")
        generator, share, build_seconds = build_site(corpus, work)
        from letterpress.newsletter import Month

        month = Month.parse(args.month, "--month") if args.month else generator.issues[-1].month
        timings, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            issue = one_issue(generator, month, work / "timed")
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        sources = generator.sources
        median = statistics.median(timings)
        print(
            f"Site: {len(sources.essays)} essays, {len(sources.comments)} comments, "
            f"{len(sources.workshops)} workshops, {len(generator.issues)} issues"
        )
        print(
            f"Issue {month}: {len(issue.essays)} essays, {len(issue.workshops)} workshops, "
            f"{len(issue.threads)} threads"
        )
        print(
            f"One month's issue: {median:.3f} s median wall ({statistics.median(cpu):.3f} s CPU), "
            f"{min(timings):.3f}-{max(timings):.3f} s over {args.repeat} runs "
            f"(target {TARGET_SECONDS} s: "
            f"{'met' if median <= TARGET_SECONDS else 'MISSED'})"
        )
        print(
            f"In the full build ({build_seconds:.1f} s): every issue took {share:.2f} s "
            f"({share / max(1, len(generator.issues)) * 1000:.0f} ms an issue)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
