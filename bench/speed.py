"""An author's real archive, timed: Letterpress against plain Pelican, cold and while writing.

    python bench/speed.py [--essays 1000] [--rounds 3] [--scaling 250,1000,4000] [--rebuilds 20]

For each round, taking turns so that a busy spell on a shared machine falls on every kind alike:

- plain cold: plain Pelican 4.12 (its default theme, no plugins, its own feeds; our paths, URLs
  and Markdown) on the same essays, a fresh process, no content cache;
- Letterpress cold: the whole `invoke build` (Pelican with our settings, theme and plugins, then
  Pagefind), from an empty output folder and an empty build cache; the Pelican step's and
  Pagefind's peak memory are read apart (each process's VmHWM);
- search alone: Pagefind over that output again, as `invoke build` runs it (the essays' bodies
  and their approved comments); once a size, over every page whole, for comparison;
- Letterpress warm: the `make serve` loop (bench/warm_rebuild.py): one Pelican kept alive, one
  essay's body edited and the site rebuilt --rebuilds times; the figure is the median rebuild,
  with the process's memory after the first and the last;
- newsletter: one month's issue (chosen, e-mail parts written, web page rendered).

Medians over the rounds go into bench/results.json (ratios against plain Pelican of the same
run); --scaling repeats everything for each size, prints the table and draws
bench/results/scaling.png. Speed lives here, never in tests.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from corpus import generate  # run as a script, bench/ is first on the import path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
PLOT = ROOT / "bench" / "results" / "scaling.png"
TODAY = "2026-11-26"
SEARCH_GLOB = "essays/**/*.html"  # as plugins/search: Pagefind reads the essays only

PLAIN_SETTINGS = f"""
import sys

sys.path.insert(0, {str(ROOT)!r})
from pelicanconf import *  # noqa: F403

THEME = "notmyidea"
DIRECT_TEMPLATES = ["index", "tags", "categories", "archives"]
PLUGINS = []
PLUGIN_PATHS = []
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{{slug}}.atom.xml"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""


@dataclass
class Run:
    """One measured process tree: wall and CPU seconds, peak resident memory (MiB), and the peak
    of each program in it (pelican, pagefind) read from its own VmHWM."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    peaks_mb: dict[str, float] = field(default_factory=dict)


# Linux lists a process's children in /proc/PID/task/TID/children: a few reads where scanning
# /proc takes hundreds every 50 ms, CPU taken from the build measured (which needs both cores,
# where plain Pelican needs one).
CHILDREN_FILES = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists()


def _children_of(pid: int) -> list[int]:
    if not CHILDREN_FILES:
        return _children_by_scan(pid)
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
        return [int(child) for task in tasks for child in (task / "children").read_text().split()]
    except OSError:  # it ended meanwhile
        return []


def _children_by_scan(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _program(pid: int) -> str:
    """'pelican', 'pagefind', 'invoke' or the executable's name, from the command line."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return ""
    text = " ".join(w.decode(errors="replace") for w in words)
    for name in ("pelican", "pagefind", "invoke", "warm_rebuild"):
        if name in text:
            return name
    return Path(words[0].decode(errors="replace")).name if words and words[0] else ""


def _high_water_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class PeakWatcher(threading.Thread):
    """Reads the peak memory of every process under `root` every 50 ms, by program."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peaks, self.done = root, {}, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            pending = [self.root]
            while pending:
                pid = pending.pop()
                name = _program(pid)
                if name:
                    self.peaks[name] = max(self.peaks.get(name, 0.0), _high_water_mb(pid))
                pending += _children_of(pid)


def measure(args: list[str], env: dict, cwd: Path = ROOT) -> Run:
    """Run a command to the end; its wall, CPU (the whole tree) and peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    watcher = PeakWatcher(process.pid)
    watcher.start()
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    watcher.done.set()
    watcher.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{output.decode(errors='replace')}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, watcher.peaks)


def environment(build: Path) -> dict:
    return {**os.environ, "LETTERPRESS_TODAY": TODAY, "LETTERPRESS_BUILD_DIR": str(build)}


def plain_cold(corpus: Path, work: Path) -> Run:
    settings = work / "plain_settings.py"
    settings.write_text(PLAIN_SETTINGS, "utf-8")
    output = work / "plain-output"
    shutil.rmtree(output, ignore_errors=True)
    args = [sys.executable, "-m", "pelican", str(corpus), "-s", str(settings), "-o", str(output)]
    return measure([*args, "-q"], environment(work / "plain-build"))


def letterpress_cold(corpus: Path, work: Path) -> Run:
    """The whole `invoke build`, from nothing: no output, no build folder, no cache."""
    output, build = work / "output", work / "build"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(build, ignore_errors=True)
    invoke = [sys.executable, "-m", "invoke", "build"]
    return measure([*invoke, "--content", str(corpus), "--output", str(output)], environment(build))


def search_alone(work: Path) -> Run:
    """Pagefind over the built site, as plugins/search runs it during `invoke build`."""
    output = work / "output"
    shutil.rmtree(output / "pagefind", ignore_errors=True)
    args = [sys.executable, "-m", "pagefind", "--site", str(output), "--glob", SEARCH_GLOB]
    return measure([*args, "--quiet"], environment(work / "build"))


def search_whole_pages(work: Path) -> Run:
    """Pagefind as it would run without our choices: every page of the site, whole (navigation,
    listings, forms), for comparison with what `invoke build` indexes (the essays' bodies and
    their approved comments)."""
    whole = work / "whole-pages"
    shutil.rmtree(whole, ignore_errors=True)
    shutil.copytree(work / "output", whole, ignore=shutil.ignore_patterns("pagefind"))
    for page in whole.rglob("*.html"):
        text = page.read_text("utf-8")
        page.write_text(
            text.replace(" data-pagefind-body", "").replace(" data-pagefind-ignore", ""), "utf-8"
        )
    args = [sys.executable, "-m", "pagefind", "--site", str(whole), "--glob", "**/*.html"]
    run = measure([*args, "--quiet"], environment(work / "build"))
    shutil.rmtree(whole, ignore_errors=True)
    return run


def letterpress_warm(corpus: Path, work: Path, rebuilds: int) -> dict:
    """The `make serve` loop on a copy of the corpus (it edits an essay), after the cold build."""
    copy = work / "edited-content"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(corpus, copy)
    script = ROOT / "bench" / "warm_rebuild.py"
    args = [sys.executable, str(script), str(copy), str(work / "output"), "--rebuilds"]
    result = subprocess.run(
        [*args, str(rebuilds)],
        cwd=ROOT,
        env=environment(work / "build"),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"The warm rebuilds failed:\n{result.stdout}{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def feed_bytes(output: Path) -> tuple[int, int]:
    files = [p for p in (output / "feeds").rglob("*.xml")]
    return len(files), sum(p.stat().st_size for p in files)


def one_size(essays: int, rounds: int, rebuilds: int, seed: int, scratch: Path) -> dict:
    corpus = generate(scratch / f"corpus-{essays}", essays, seed)
    work = scratch / f"work-{essays}"
    work.mkdir(parents=True, exist_ok=True)
    kinds = {"plain": [], "cold": [], "search": [], "warm": []}
    for number in range(1, rounds + 1):
        kinds["plain"].append(plain_cold(corpus, work))
        kinds["cold"].append(letterpress_cold(corpus, work))
        kinds["search"].append(search_alone(work))
        kinds["warm"].append(letterpress_warm(corpus, work, rebuilds))
        print(
            f"  {essays} essays, round {number}: plain {kinds['plain'][-1].wall_s:.2f} s, "
            f"Letterpress cold {kinds['cold'][-1].wall_s:.2f} s "
            f"(search {kinds['search'][-1].wall_s:.2f} s), warm "
            f"{statistics.median(r['wall_s'] for r in kinds['warm'][-1]['rebuilds']):.2f} s",
            flush=True,
        )
    kinds["search_whole"] = [search_whole_pages(work)]
    return summarise(essays, kinds, work)


def _median(runs, pick) -> float:
    return statistics.median(pick(run) for run in runs)


def summarise(essays: int, kinds: dict, work: Path) -> dict:
    plain, cold, search, warm = kinds["plain"], kinds["cold"], kinds["search"], kinds["warm"]
    warm_walls = [r["wall_s"] for w in warm for r in w["rebuilds"]]
    warm_cpus = [r["cpu_s"] for w in warm for r in w["rebuilds"]]
    feeds, feed_size = feed_bytes(work / "output")
    figures = {
        "essays": essays,
        "comments": sum(1 for _ in (work.parent / f"corpus-{essays}" / "comments").rglob("*.md")),
        "rounds": len(plain),
        "plain_cold_s": _median(plain, lambda r: r.wall_s),
        "plain_cold_cpu_s": _median(plain, lambda r: r.cpu_s),
        "letterpress_cold_s": _median(cold, lambda r: r.wall_s),
        "letterpress_cold_cpu_s": _median(cold, lambda r: r.cpu_s),
        "letterpress_warm_s": statistics.median(warm_walls),
        "letterpress_warm_cpu_s": statistics.median(warm_cpus),
        "letterpress_first_rebuild_s": _median(warm, lambda w: w["rebuilds"][0]["wall_s"]),
        "newsletter_s": _median(warm, lambda w: w["newsletter"]["seconds"]),
        "search_s": _median(search, lambda r: r.wall_s),
        "search_cpu_s": _median(search, lambda r: r.cpu_s),
        "plain_peak_rss_mb": _median(plain, lambda r: r.peak_rss_mb),
        "letterpress_peak_rss_mb": _median(cold, lambda r: r.peaks_mb.get("pelican", 0.0)),
        "letterpress_build_peak_rss_mb": _median(cold, lambda r: r.peak_rss_mb),
        "search_peak_rss_mb": _median(search, lambda r: r.peak_rss_mb),
        "search_whole_pages_s": _median(kinds["search_whole"], lambda r: r.wall_s),
        "search_whole_pages_peak_rss_mb": _median(kinds["search_whole"], lambda r: r.peak_rss_mb),
        "warm_rss_after_1_mb": _median(warm, lambda w: w["rebuilds"][0]["rss_mb"]),
        "warm_rss_after_last_mb": _median(warm, lambda w: w["rebuilds"][-1]["rss_mb"]),
        "warm_peak_rss_after_1_mb": _median(warm, lambda w: w["rebuilds"][0]["peak_rss_mb"]),
        "warm_peak_rss_after_last_mb": _median(warm, lambda w: w["rebuilds"][-1]["peak_rss_mb"]),
        "rebuilds": len(warm[0]["rebuilds"]),
        "feed_files": feeds,
        "feed_bytes": feed_size,
        "runs": {name: [asdict(r) if isinstance(r, Run) else r for r in runs]
                 for name, runs in kinds.items()},
    }  # fmt: skip
    figures["ratio_cold"] = figures["letterpress_cold_s"] / figures["plain_cold_s"]
    figures["ratio_warm"] = figures["letterpress_warm_s"] / figures["plain_cold_s"]
    figures["ratio_rss"] = figures["letterpress_peak_rss_mb"] / figures["plain_peak_rss_mb"]
    return figures


COLUMNS = (
    ("essays", "essays", "{:,}"),
    ("plain cold", "plain_cold_s", "{:.2f} s"),
    ("ours cold", "letterpress_cold_s", "{:.2f} s"),
    ("ratio", "ratio_cold", "{:.2f}×"),
    ("search", "search_s", "{:.2f} s"),
    ("warm", "letterpress_warm_s", "{:.2f} s"),
    ("ratio", "ratio_warm", "{:.2f}×"),
    ("newsletter", "newsletter_s", "{:.3f} s"),
    ("plain RSS", "plain_peak_rss_mb", "{:.0f} MiB"),
    ("Pelican RSS", "letterpress_peak_rss_mb", "{:.0f} MiB"),
    ("Pagefind RSS", "search_peak_rss_mb", "{:.0f} MiB"),
    ("feeds", "feed_bytes", "{}"),
)


def table(rows: list[dict]) -> str:
    def cell(row, key, fmt):
        if key == "feed_bytes":
            return f"{row['feed_files']:,} / {row['feed_bytes'] / 2**20:.1f} MB"
        return fmt.format(row[key])

    lines = ["| " + " | ".join(title for title, _, _ in COLUMNS) + " |"]
    lines.append("|" + "---|" * len(COLUMNS))
    for row in rows:
        lines.append("| " + " | ".join(cell(row, k, f) for _, k, f in COLUMNS) + " |")
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    sizes = [row["essays"] for row in rows]
    figure, (seconds, ratios) = pyplot.subplots(1, 2, figsize=(10, 4))
    for key, label in (
        ("plain_cold_s", "plain Pelican, cold"),
        ("letterpress_cold_s", "Letterpress, cold (with search)"),
        ("search_s", "of which Pagefind"),
        ("letterpress_warm_s", "Letterpress, rebuild after an edit"),
    ):
        seconds.plot(sizes, [row[key] for row in rows], marker="o", label=label)
    seconds.set(xlabel="essays (10 comments each)", ylabel="seconds (wall)", title="Build time")
    seconds.legend(fontsize="small")
    for key, label in (("ratio_cold", "cold ÷ plain"), ("ratio_warm", "warm ÷ plain")):
        ratios.plot(sizes, [row[key] for row in rows], marker="o", label=label)
    ratios.axhline(1.15, linestyle=":", color="grey")
    ratios.axhline(0.25, linestyle=":", color="grey")
    ratios.set(xlabel="essays", ylabel="ratio to plain Pelican, same run", title="Ratios")
    ratios.legend(fontsize="small")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)


def report(figures: dict) -> str:
    return "\n".join(
        [
            f"{figures['essays']:,} essays, {figures['comments']:,} comments; medians of "
            f"{figures['rounds']} round(s); the machine may be shared: compare the ratios",
            f"plain Pelican cold          {figures['plain_cold_s']:6.2f} s wall "
            f"{figures['plain_cold_cpu_s']:6.2f} s CPU {figures['plain_peak_rss_mb']:5.0f} MiB",
            f"Letterpress cold (build)    {figures['letterpress_cold_s']:6.2f} s wall "
            f"{figures['letterpress_cold_cpu_s']:6.2f} s CPU "
            f"{figures['letterpress_peak_rss_mb']:5.0f} MiB (Pelican step)   "
            f"ratio {figures['ratio_cold']:.2f}x",
            f"  of which search alone     {figures['search_s']:6.2f} s wall "
            f"{figures['search_cpu_s']:6.2f} s CPU {figures['search_peak_rss_mb']:5.0f} MiB",
            f"  search of whole pages     {figures['search_whole_pages_s']:6.2f} s wall "
            f"              {figures['search_whole_pages_peak_rss_mb']:5.0f} MiB "
            "(every page, navigation and all: what indexing less saves)",
            f"Letterpress warm rebuild    {figures['letterpress_warm_s']:6.2f} s wall "
            f"{figures['letterpress_warm_cpu_s']:6.2f} s CPU   ratio {figures['ratio_warm']:.2f}x "
            f"(first rebuild {figures['letterpress_first_rebuild_s']:.2f} s)",
            f"  memory after rebuild 1 and {figures['rebuilds']}: "
            f"{figures['warm_rss_after_1_mb']:.0f} / {figures['warm_rss_after_last_mb']:.0f} MiB "
            f"resident, peak {figures['warm_peak_rss_after_1_mb']:.0f} / "
            f"{figures['warm_peak_rss_after_last_mb']:.0f} MiB",
            f"one month's newsletter      {figures['newsletter_s']:6.3f} s",
            f"feeds: {figures['feed_files']:,} files, {figures['feed_bytes'] / 2**20:.1f} MB",
            f"Pelican step memory: {figures['ratio_rss']:.2f}x plain Pelican's",
        ]
    )


def sizes_from(text: str) -> list[int]:
    sizes = [int(part) for part in text.split(",") if part.strip()]
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give sizes such as 250,1000,4000")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--essays", type=int, default=1000, help="essays in the corpus (1000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each kind (3)")
    parser.add_argument("--rebuilds", type=int, default=20, help="edits in the warm loop (20)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (1)")
    parser.add_argument(
        "--scaling", type=sizes_from, help="also these sizes, e.g. 250,1000,4000: table and plot"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.rebuilds < 1 or args.essays < 1:
        parser.error("--essays, --rounds and --rebuilds must be at least 1")
    sizes = sorted({args.essays, *(args.scaling or ())})
    rows = {}
    with tempfile.TemporaryDirectory(prefix="letterpress-speed-") as scratch:
        for essays in sizes:
            rows[essays] = one_size(essays, args.rounds, args.rebuilds, args.seed, Path(scratch))
            print(report(rows[essays]), flush=True)
    results = dict(rows[args.essays])
    if args.scaling:
        results["scaling"] = [
            {k: v for k, v in rows[n].items() if k != "runs"} for n in sorted(rows)
        ]
        print(table(results["scaling"]))
        plot(results["scaling"], PLOT)
        print(f"Plot: {PLOT}")
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(f"Figures: {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
