"""The writing loop, timed: what `make serve` does after the author saves an essay.

    python bench/warm_rebuild.py CONTENT OUTPUT [--rebuilds 20] [--month YYYY-MM]

Run by bench/speed.py in a process of its own, with LETTERPRESS_TODAY and LETTERPRESS_BUILD_DIR
set. It makes its Pelican exactly as `pelican --autoreload` does (`get_instance`, our
pelicanconf.py) and keeps it, as the autoreload loop does: one first build (the server
starting), then REBUILDS times: append a sentence to one essay's body and run again. It prints one
JSON object: each rebuild's wall and CPU seconds, the process's resident memory (now and peak)
after each, and the time to build one month's newsletter issue from the rebuilt site.
"""

import argparse
import importlib.util
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def resident_mb() -> float:
    """The process's resident set now (VmRSS), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def essay_to_edit(content: Path) -> Path:
    """An essay in the middle of the archive: its listings, tags and month are all ordinary."""
    essays = sorted((content / "essays").rglob("*.md"))
    return essays[len(essays) // 2]


def newsletter_generator(pelican_signals, found: list):
    def keep(generators):
        found[:] = [g for g in generators if type(g).__name__ == "NewsletterGenerator"]

    pelican_signals.all_generators_finalized.connect(keep)
    return keep


def time_newsletter(generator, month: str | None, work: Path, repeat: int = 5) -> dict:
    """One month's issue (choose, e-mail parts, web page), as bench/newsletter.py times it."""
    # By path: "newsletter" on the import path is plugins/newsletter.
    spec = importlib.util.spec_from_file_location("bench_newsletter", ROOT / "bench/newsletter.py")
    bench_newsletter = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROOT / "bench"))  # it imports bench/corpus.py
    spec.loader.exec_module(bench_newsletter)
    from letterpress.newsletter import Month

    chosen = Month.parse(month) if month else generator.issues[-1].month
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        bench_newsletter.one_issue(generator, chosen, work)
        timings.append(time.perf_counter() - started)
    return {"month": str(chosen), "seconds": statistics.median(timings)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--rebuilds", type=int, default=20)
    parser.add_argument("--month", help="the newsletter issue to time (default: the latest)")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    from pelican import get_instance, parse_arguments, signals

    pelican_args = parse_arguments(
        [str(args.content), "-s", "pelicanconf.py", "-o", str(args.output), "-q"]
    )
    pelican, _settings = get_instance(pelican_args)
    found: list = []
    keeper = newsletter_generator(signals, found)  # held: blinker keeps weak references
    started = time.perf_counter()
    pelican.run()
    first = time.perf_counter() - started
    essay = essay_to_edit(args.content)
    rebuilds = []
    for number in range(1, args.rebuilds + 1):
        with essay.open("a", encoding="utf-8") as text:
            text.write(f"\nA sentence added while writing, number {number}.\n")
        started, started_cpu = time.perf_counter(), time.process_time()
        pelican.run()
        rebuilds.append(
            {
                "wall_s": time.perf_counter() - started,
                "cpu_s": time.process_time() - started_cpu,
                "rss_mb": resident_mb(),
                "peak_rss_mb": peak_mb(),
            }
        )
    newsletter = time_newsletter(found[0], args.month, args.output.parent / "timed-newsletter")
    del keeper
    print(
        json.dumps(
            {
                "first_build_s": first,
                "edited": str(essay.relative_to(args.content)),
                "rebuilds": rebuilds,
                "newsletter": newsletter,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
