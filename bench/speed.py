"""An author's real archive, timed: Letterpress against plain Pelican with its defaults.

    python bench/speed.py [--essays 1000] [--rounds 3] [--edits 3] [--rebuilds 10]
                          [--scaling 250,1000,4000]

The baseline is Pelican 4.12 as it comes: a settings file the benchmark writes (PLAIN_SETTINGS:
nothing of ours, so its default theme, no plugins, its default feeds), run on the same essays
(the corpus's essays/ folder: it has no comments, workshops or newsletter to read). For each
round, taking turns so that a busy spell on a shared machine falls on every kind alike:

- plain cold: plain Pelican, a fresh process, no content cache;
- Letterpress cold: the whole `invoke build` (Pelican with our settings, theme and plugins, and
  Pagefind beside it), from an empty output folder and an empty build cache; the Pelican step's
  and Pagefind's peak memory and CPU are read apart (bench/processes.py);
- Letterpress cold without search: `invoke build --no-search`, the same otherwise;
- search alone: Pagefind over that output again, as `invoke build` runs it;
- the writing loop (bench/autoreload_loop.py): plain Pelican's own `pelican --autoreload` on a
  copy of the essays, an essay saved --edits times; ours in the same `pelican --autoreload` loop
  with our settings (like for like), an essay, a comment and a workshop saved --edits times each;
  from each save to the page's HTML holding the edit, and to the end of the rebuild.

Once a size: Pagefind over every page whole, for comparison; bench/warm_rebuild.py (one
Pelican kept alive, --rebuilds edits: memory after each, and one month's newsletter); and, when
bench/save_to_screen.py is there, its `measure()`: save to screen under `make serve` as it now
runs (--rounds saves of each kind). Without it, the save-to-HTML figures of the autoreload loop
above stand for our loop.

Medians over the rounds go into bench/results.json (ratios against plain Pelican of the same
run); --scaling repeats everything for each size, prints the table and draws
bench/results/scaling.png. Speed lives here, never in tests.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import autoreload_loop  # run as a script, bench/ is first on the import path
from corpus import generate
from processes import Run, measure

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project, for what follows
import pelicanconf
from letterpress import search_index

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
PLOT = ROOT / "bench" / "results" / "scaling.png"
SAVE_TO_SCREEN = ROOT / "bench" / "save_to_screen.py"
TODAY = "2026-11-26"
EDIT_KINDS = ("essay", "comment", "workshop")

# Plain Pelican as it comes: no theme, plugins, paths, URLs or Markdown of ours. Pelican's own
# defaults already leave its content cache off; saying so keeps a newer default from creeping in.
PLAIN_SETTINGS = """\
# Written by bench/speed.py: plain Pelican 4.12 with its defaults (default theme, no plugins).
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""


def environment(build: Path) -> dict[str, str]:
    return {**os.environ, "LETTERPRESS_TODAY": TODAY, "LETTERPRESS_BUILD_DIR": str(build)}


def plain_settings(work: Path) -> Path:
    settings = work / "plain_settings.py"
    settings.write_text(PLAIN_SETTINGS, "utf-8")
    return settings


def plain_command(essays: Path, work: Path, output: Path) -> list[str]:
    args = [sys.executable, "-m", "pelican", str(essays), "-s", str(plain_settings(work))]
    return [*args, "-o", str(output), "-q"]


def plain_cold(corpus: Path, work: Path) -> Run:
    output = work / "plain-output"
    shutil.rmtree(output, ignore_errors=True)
    command = plain_command(corpus / "essays", work, output)
    return measure(command, environment(work / "plain-build"), ROOT)


def letterpress_cold(corpus: Path, work: Path, search: bool = True) -> Run:
    """The whole `invoke build`, from nothing: no output, no build folder, no cache."""
    output, build = work / "output", work / "build"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(build, ignore_errors=True)
    invoke = [sys.executable, "-m", "invoke", "build"]
    invoke += ["--content", str(corpus), "--output", str(output)]
    return measure(invoke if search else [*invoke, "--no-search"], environment(build), ROOT)


def search_alone(work: Path) -> Run:
    """Pagefind over the built site, as plugins/search runs it during `invoke build`."""
    output = work / "output"
    bundle = output / search_index.BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)
    glob = search_index.essay_glob(pelicanconf.ARTICLE_SAVE_AS)
    args = search_index.pagefind_command(output, bundle, pelicanconf.SEARCH_BATCH_PAGES, glob)
    return measure(args, environment(work / "build"), ROOT)


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
    run = measure([*args, "--quiet"], environment(work / "build"), ROOT)
    shutil.rmtree(whole, ignore_errors=True)
    return run


def _fresh_copy(source: Path, copy: Path) -> Path:
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(source, copy)
    return copy


def plain_loop(corpus: Path, work: Path, edits: int) -> list[dict[str, Any]]:
    """Plain Pelican's own writing loop: `pelican --autoreload` on a copy of the essays."""
    essays = _fresh_copy(corpus / "essays", work / "plain-edited-essays")
    output = work / "plain-loop-output"
    command = [*plain_command(essays, work, output), "--autoreload"]
    changes = autoreload_loop.plain_edits(essays, output)
    return autoreload_loop.run(command, environment(work / "plain-build"), ROOT, changes, edits)


def letterpress_loop(corpus: Path, work: Path, edits: int) -> list[dict[str, Any]]:
    """Ours in plain Pelican's own loop (`pelican --autoreload` with our settings), on a copy:
    like for like; `make serve`'s own loop is bench/save_to_screen.py's to time."""
    content = _fresh_copy(corpus, work / "edited-content")
    output = work / "loop-output"
    command = [sys.executable, "-m", "pelican", str(content), "-s", "pelicanconf.py"]
    command += ["-o", str(output), "-q", "--autoreload"]
    changes = autoreload_loop.letterpress_edits(content, output)
    return autoreload_loop.run(command, environment(work / "loop-build"), ROOT, changes, edits)


def save_to_screen(essays: int, rounds: int, work: Path) -> dict[str, float] | None:
    """Save-to-screen seconds by kind of edit from bench/save_to_screen.py, when it is there:
    the author's loop as `make serve` runs it, on its own copy of the corpus, in Chromium when
    the machine has it (else until the served HTML holds the edit)."""
    if not SAVE_TO_SCREEN.exists():
        return None
    spec = importlib.util.spec_from_file_location("save_to_screen", SAVE_TO_SCREEN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    browser = Path("/usr/bin/chromium").exists()
    found = module.measure(work / "screen", essays=essays, rounds=rounds, browser=browser)
    return {
        kind: float(found[kind]["median"] if isinstance(found[kind], dict) else found[kind])
        for kind in EDIT_KINDS
        if kind in found
    }


def letterpress_warm(corpus: Path, work: Path, rebuilds: int) -> dict[str, Any]:
    """One Pelican kept alive through `rebuilds` essay edits (bench/warm_rebuild.py): memory after
    each, and one month's newsletter."""
    copy = _fresh_copy(corpus, work / "warm-content")
    script = ROOT / "bench" / "warm_rebuild.py"
    args = [sys.executable, str(script), str(copy), str(work / "warm-output"), "--rebuilds"]
    result = subprocess.run(
        [*args, str(rebuilds)],
        cwd=ROOT,
        env=environment(work / "warm-build"),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"The warm rebuilds failed:\n{result.stdout}{result.stderr}")
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def feed_bytes(output: Path) -> tuple[int, int]:
    files = [p for p in (output / "feeds").rglob("*.xml")]
    return len(files), sum(p.stat().st_size for p in files)


@dataclass
class Rounds:
    """Everything measured at one size: a list per kind, one entry a round (or once a size)."""

    plain: list[Run] = field(default_factory=list)
    cold: list[Run] = field(default_factory=list)
    cold_no_search: list[Run] = field(default_factory=list)
    search: list[Run] = field(default_factory=list)
    plain_loop: list[list[dict[str, Any]]] = field(default_factory=list)
    loop: list[list[dict[str, Any]]] = field(default_factory=list)
    search_whole: list[Run] = field(default_factory=list)
    warm: list[dict[str, Any]] = field(default_factory=list)
    screen: list[dict[str, float]] = field(default_factory=list)


def one_size(
    essays: int, rounds: int, edits: int, rebuilds: int, seed: int, scratch: Path, screen: bool
) -> dict[str, Any]:
    corpus = generate(scratch / f"corpus-{essays}", essays, seed)
    work = scratch / f"work-{essays}"
    work.mkdir(parents=True, exist_ok=True)
    runs = Rounds()
    for number in range(1, rounds + 1):
        runs.plain.append(plain_cold(corpus, work))
        runs.cold_no_search.append(letterpress_cold(corpus, work, search=False))
        runs.cold.append(letterpress_cold(corpus, work))
        runs.search.append(search_alone(work))
        runs.plain_loop.append(plain_loop(corpus, work, edits))
        runs.loop.append(letterpress_loop(corpus, work, edits))
        print(
            f"  {essays} essays, round {number}: plain {runs.plain[-1].wall_s:.2f} s, "
            f"Letterpress cold {runs.cold[-1].wall_s:.2f} s "
            f"({runs.cold_no_search[-1].wall_s:.2f} s without search; search alone "
            f"{runs.search[-1].wall_s:.2f} s); an essay saved to its rebuild done: plain "
            f"{_median(runs.plain_loop[-1:], _loop_median('essay', 'to_done_s')):.2f} s, "
            f"ours {_median(runs.loop[-1:], _loop_median('essay', 'to_done_s')):.2f} s",
            flush=True,
        )
    runs.search_whole.append(search_whole_pages(work))
    runs.warm.append(letterpress_warm(corpus, work, rebuilds))
    seen = save_to_screen(essays, rounds, work) if screen else None
    if seen is not None:
        runs.screen.append(seen)
    return summarise(essays, runs, corpus, work)


def _median(runs: Sequence[Any], pick: Callable[[Any], float]) -> float:
    return statistics.median(pick(run) for run in runs)


def _loop_median(kind: str, key: str) -> Callable[[list[dict[str, Any]]], float]:
    """The median of one kind of edit's figure over a loop's saves."""

    def pick(loop: list[dict[str, Any]]) -> float:
        return statistics.median(float(t[key]) for t in loop if t["kind"] == kind)

    return pick


def _loop_all(loops: list[list[dict[str, Any]]], kind: str, key: str) -> float:
    return statistics.median(float(t[key]) for loop in loops for t in loop if t["kind"] == kind)


def summarise(essays: int, runs: Rounds, corpus: Path, work: Path) -> dict[str, Any]:
    plain, cold, bare, search = runs.plain, runs.cold, runs.cold_no_search, runs.search
    feeds, feed_size = feed_bytes(work / "output")
    warm = runs.warm[0]
    figures: dict[str, Any] = {
        "essays": essays,
        "comments": sum(1 for _ in (corpus / "comments").rglob("*.md")),
        "rounds": len(plain),
        "baseline": "Pelican 4.12 with its defaults (default theme, no plugins), the same essays",
        "plain_cold_s": _median(plain, lambda r: r.wall_s),
        "plain_cold_cpu_s": _median(plain, lambda r: r.cpu_s),
        "letterpress_cold_s": _median(cold, lambda r: r.wall_s),
        "letterpress_cold_cpu_s": _median(cold, lambda r: r.cpu_s),
        "letterpress_cold_no_search_s": _median(bare, lambda r: r.wall_s),
        "letterpress_cold_no_search_cpu_s": _median(bare, lambda r: r.cpu_s),
        "pagefind_in_build_cpu_s": _median(cold, lambda r: r.cpus_s.get("pagefind", 0.0)),
        "pagefind_in_build_peak_rss_mb": _median(cold, lambda r: r.peaks_mb.get("pagefind", 0.0)),
        "pagefind_cpu_share": _median(cold, lambda r: r.cpus_s.get("pagefind", 0.0) / r.cpu_s),
        # The writing loop, from outside: an essay saved to the end of the rebuild.
        "letterpress_warm_s": _loop_all(runs.loop, "essay", "to_done_s"),
        "letterpress_warm_cpu_s": _loop_all(runs.loop, "essay", "cpu_s"),
        "letterpress_first_rebuild_s": _median(runs.loop, lambda loop: loop[0]["to_done_s"]),
        "plain_autoreload_s": _loop_all(runs.plain_loop, "essay", "to_done_s"),
        "plain_autoreload_cpu_s": _loop_all(runs.plain_loop, "essay", "cpu_s"),
        "plain_save_to_html_s": _loop_all(runs.plain_loop, "essay", "to_html_s"),
        **{
            f"save_to_html_{kind}_s": _loop_all(runs.loop, kind, "to_html_s") for kind in EDIT_KINDS
        },
        **{
            f"loop_rebuild_{kind}_s": _loop_all(runs.loop, kind, "to_done_s") for kind in EDIT_KINDS
        },
        "save_to_screen_source": "bench/save_to_screen.py" if runs.screen else None,
        **{
            f"save_to_screen_{kind}_s": statistics.median(s[kind] for s in runs.screen)
            for kind in EDIT_KINDS
            if runs.screen and all(kind in s for s in runs.screen)
        },
        "newsletter_s": warm["newsletter"]["seconds"],
        "search_s": _median(search, lambda r: r.wall_s),
        "search_cpu_s": _median(search, lambda r: r.cpu_s),
        "plain_peak_rss_mb": _median(plain, lambda r: r.peak_rss_mb),
        "letterpress_peak_rss_mb": _median(cold, lambda r: r.peaks_mb.get("pelican", 0.0)),
        "letterpress_no_search_peak_rss_mb": _median(
            bare, lambda r: r.peaks_mb.get("pelican", 0.0)
        ),
        "letterpress_build_peak_rss_mb": _median(cold, lambda r: r.peak_rss_mb),
        "search_peak_rss_mb": _median(search, lambda r: r.peak_rss_mb),
        "search_whole_pages_s": _median(runs.search_whole, lambda r: r.wall_s),
        "search_whole_pages_peak_rss_mb": _median(runs.search_whole, lambda r: r.peak_rss_mb),
        "warm_rss_after_1_mb": warm["rebuilds"][0]["rss_mb"],
        "warm_rss_after_last_mb": warm["rebuilds"][-1]["rss_mb"],
        "warm_peak_rss_after_1_mb": warm["rebuilds"][0]["peak_rss_mb"],
        "warm_peak_rss_after_last_mb": warm["rebuilds"][-1]["peak_rss_mb"],
        "rebuilds": len(warm["rebuilds"]),
        "edits": len(runs.plain_loop[0]),
        "feed_files": feeds,
        "feed_bytes": feed_size,
        "runs": {
            name: [asdict(r) if isinstance(r, Run) else r for r in value]
            for name, value in vars(runs).items()
        },
    }
    figures["ratio_cold"] = figures["letterpress_cold_s"] / figures["plain_cold_s"]
    figures["ratio_cold_cpu"] = figures["letterpress_cold_cpu_s"] / figures["plain_cold_cpu_s"]
    figures["ratio_cold_no_search"] = (
        figures["letterpress_cold_no_search_s"] / figures["plain_cold_s"]
    )
    figures["ratio_cold_no_search_cpu"] = (
        figures["letterpress_cold_no_search_cpu_s"] / figures["plain_cold_cpu_s"]
    )
    # What the search index adds to a cold build's wall time (it runs beside the Pelican step).
    figures["search_wall_share"] = (
        1 - figures["letterpress_cold_no_search_s"] / figures["letterpress_cold_s"]
    )
    # The writing loop against plain Pelican's own loop (before: against its cold build).
    figures["ratio_warm"] = figures["letterpress_warm_s"] / figures["plain_autoreload_s"]
    figures["ratio_rss"] = figures["letterpress_peak_rss_mb"] / figures["plain_peak_rss_mb"]
    figures["ratio_rss_no_search"] = (
        figures["letterpress_no_search_peak_rss_mb"] / figures["plain_peak_rss_mb"]
    )
    return figures


COLUMNS = (
    ("essays", "essays", "{:,}"),
    ("plain cold", "plain_cold_s", "{:.2f} s"),
    ("ours cold", "letterpress_cold_s", "{:.2f} s"),
    ("ratio", "ratio_cold", "{:.2f}×"),
    ("CPU ratio", "ratio_cold_cpu", "{:.2f}×"),
    ("no search", "ratio_cold_no_search", "{:.2f}×"),
    ("search alone", "search_s", "{:.2f} s"),
    ("plain loop", "plain_autoreload_s", "{:.2f} s"),
    ("our loop", "letterpress_warm_s", "{:.2f} s"),
    ("ratio", "ratio_warm", "{:.2f}×"),
    ("plain RSS", "plain_peak_rss_mb", "{:.0f} MiB"),
    ("Pelican RSS", "letterpress_peak_rss_mb", "{:.0f} MiB"),
    ("Pagefind RSS", "pagefind_in_build_peak_rss_mb", "{:.0f} MiB"),
    ("feeds", "feed_bytes", "{}"),
)


def table(rows: list[dict[str, Any]]) -> str:
    def cell(row: dict[str, Any], key: str, fmt: str) -> str:
        if key == "feed_bytes":
            return f"{row['feed_files']:,} / {row['feed_bytes'] / 2**20:.1f} MB"
        return fmt.format(row[key])

    lines = ["| " + " | ".join(title for title, _, _ in COLUMNS) + " |"]
    lines.append("|" + "---|" * len(COLUMNS))
    for row in rows:
        lines.append("| " + " | ".join(cell(row, k, f) for _, k, f in COLUMNS) + " |")
    return "\n".join(lines)


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    sizes = [row["essays"] for row in rows]
    figure, (seconds, ratios) = pyplot.subplots(1, 2, figsize=(10, 4))
    for key, label in (
        ("plain_cold_s", "plain Pelican (defaults), cold"),
        ("letterpress_cold_s", "Letterpress, cold (with search)"),
        ("letterpress_cold_no_search_s", "Letterpress, cold, no search"),
        ("plain_autoreload_s", "plain Pelican --autoreload, an edit"),
        ("letterpress_warm_s", "Letterpress's loop, an edit"),
    ):
        seconds.plot(sizes, [row[key] for row in rows], marker="o", label=label)
    seconds.set(xlabel="essays (10 comments each)", ylabel="seconds (wall)", title="Build time")
    seconds.legend(fontsize="small")
    for key, label in (
        ("ratio_cold", "cold ÷ plain cold"),
        ("ratio_warm", "loop ÷ plain's loop"),
    ):
        ratios.plot(sizes, [row[key] for row in rows], marker="o", label=label)
    ratios.axhline(1.0, linestyle=":", color="grey")
    ratios.set(xlabel="essays", ylabel="ratio to plain Pelican, same run", title="Ratios")
    ratios.legend(fontsize="small")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)


def report(figures: dict[str, Any]) -> str:
    f = figures
    screen = ""
    if f["save_to_screen_source"]:
        screen = "\nsave to screen (bench/save_to_screen.py, make serve): " + ", ".join(
            f"{kind} {f[f'save_to_screen_{kind}_s']:.2f} s"
            for kind in EDIT_KINDS
            if f"save_to_screen_{kind}_s" in f
        )
    return (
        f"{f['essays']:,} essays, {f['comments']:,} comments; medians of {f['rounds']} "
        "round(s); the machine may be shared: compare the ratios\n"
        f"plain Pelican (defaults) cold {f['plain_cold_s']:6.2f} s wall "
        f"{f['plain_cold_cpu_s']:6.2f} s CPU {f['plain_peak_rss_mb']:5.0f} MiB\n"
        f"Letterpress cold (build)      {f['letterpress_cold_s']:6.2f} s wall "
        f"{f['letterpress_cold_cpu_s']:6.2f} s CPU {f['letterpress_peak_rss_mb']:5.0f} MiB "
        f"(Pelican step)  ratio {f['ratio_cold']:.2f}x wall, {f['ratio_cold_cpu']:.2f}x CPU\n"
        f"  without search              {f['letterpress_cold_no_search_s']:6.2f} s wall "
        f"{f['letterpress_cold_no_search_cpu_s']:6.2f} s CPU "
        f"{f['letterpress_no_search_peak_rss_mb']:5.0f} MiB  ratio "
        f"{f['ratio_cold_no_search']:.2f}x wall, {f['ratio_cold_no_search_cpu']:.2f}x CPU\n"
        f"  Pagefind in the build       {f['pagefind_in_build_cpu_s']:6.2f} s CPU "
        f"({f['pagefind_cpu_share']:.0%} of the build's CPU; {f['search_wall_share']:.0%} of its "
        f"wall), peak {f['pagefind_in_build_peak_rss_mb']:.0f} MiB\n"
        f"  search alone                {f['search_s']:6.2f} s wall {f['search_cpu_s']:6.2f} s "
        f"CPU {f['search_peak_rss_mb']:5.0f} MiB; every page whole "
        f"{f['search_whole_pages_s']:.2f} s, {f['search_whole_pages_peak_rss_mb']:.0f} MiB\n"
        f"writing loop, save to rebuild done: plain --autoreload {f['plain_autoreload_s']:.2f} s, "
        f"ours {f['letterpress_warm_s']:.2f} s (ratio {f['ratio_warm']:.2f}x; "
        f"comment {f['loop_rebuild_comment_s']:.2f} s, workshop "
        f"{f['loop_rebuild_workshop_s']:.2f} s)\n"
        f"save to HTML on disk: plain, an essay {f['plain_save_to_html_s']:.2f} s; ours, "
        f"an essay {f['save_to_html_essay_s']:.2f} s, a comment "
        f"{f['save_to_html_comment_s']:.2f} s, a workshop {f['save_to_html_workshop_s']:.2f} s"
        f"{screen}\n"
        f"one Pelican kept alive, memory after rebuild 1 and {f['rebuilds']}: "
        f"{f['warm_rss_after_1_mb']:.0f} / {f['warm_rss_after_last_mb']:.0f} MiB resident, peak "
        f"{f['warm_peak_rss_after_1_mb']:.0f} / {f['warm_peak_rss_after_last_mb']:.0f} MiB\n"
        f"one month's newsletter        {f['newsletter_s']:6.3f} s\n"
        f"feeds: {f['feed_files']:,} files, {f['feed_bytes'] / 2**20:.1f} MB\n"
        f"Pelican step memory: {f['ratio_rss']:.2f}x plain Pelican's "
        f"({f['ratio_rss_no_search']:.2f}x without search)"
    )


def sizes_from(text: str) -> list[int]:
    sizes = [int(part) for part in text.split(",") if part.strip()]
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give sizes such as 250,1000,4000")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--essays", type=int, default=1000, help="essays in the corpus (1000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each kind (3)")
    parser.add_argument("--edits", type=int, default=3, help="saves of each kind a round (3)")
    parser.add_argument(
        "--rebuilds", type=int, default=10, help="edits in the memory loop, once a size (10)"
    )
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (1)")
    parser.add_argument(
        "--scaling", type=sizes_from, help="also these sizes, e.g. 250,1000,4000: table and plot"
    )
    parser.add_argument(
        "--no-screen", action="store_true", help="skip bench/save_to_screen.py (a browser)"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args(argv)
    if min(args.rounds, args.edits, args.rebuilds, args.essays) < 1:
        parser.error("--essays, --rounds, --edits and --rebuilds must be at least 1")
    sizes = sorted({args.essays, *(args.scaling or ())})
    rows = {}
    with tempfile.TemporaryDirectory(prefix="letterpress-speed-") as scratch:
        for essays in sizes:
            rows[essays] = one_size(
                essays,
                args.rounds,
                args.edits,
                args.rebuilds,
                args.seed,
                Path(scratch),
                screen=not args.no_screen,
            )
            print(report(rows[essays]), flush=True)
    results = dict(rows[args.essays])
    results["load_average"] = os.getloadavg()
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
