"""Comment intake under load: our inbox against Isso 0.14, then a crash in the middle of a burst.

    .venv/bin/python bench/inbox_load.py                # the full run (about a minute)
    .venv/bin/python bench/inbox_load.py --duration 1 --warmup 0 --skip-isso --posts 200

1. Throughput: wrk posts a different comment on every request at 64 connections for --duration
   seconds (after --warmup seconds not counted), first to our inbox (uvicorn, one worker, asyncio +
   httptools, a fresh SQLite file, per-address limit off), then to Isso 0.14 on gevent (moderation
   on, rate guard off, a fresh database). For each: comments/s, p50/p99 latency, non-2xx/3xx
   answers, and the CPU seconds spent by wrk and by the server process; then ours / Isso.
2. Durability: --posts comment POSTs at --concurrency clients; SIGKILL the inbox once --kill-after
   are acknowledged; restart it on the same database and look for every acknowledged comment.

Prints a table and writes --results (default bench/results/inbox_load.json). Exit status 1 when an
acknowledged comment was lost, or with --check when a target (>= 3x Isso, p99 <= 50 ms) is missed.
"""

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script from any folder: the letterpress library is imported from this checkout.
sys.path.insert(0, str(ROOT))

from inboxload import durability, load, report, servers, tools  # noqa: E402
from rich.console import Console  # noqa: E402

from letterpress.inbox.comment_checks import HONEYPOT  # noqa: E402
from letterpress.manifest import ManifestError, read_manifest  # noqa: E402

DEFAULT_RESULTS = ROOT / "bench" / "results" / "inbox_load.json"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--duration", type=float, default=10, help="measured seconds per server (default 10)")
    add("--warmup", type=float, default=2, help="unmeasured seconds first; 0 skips (default 2)")
    add("--connections", type=int, default=64, help="wrk connections (default 64)")
    add("--threads", type=int, default=2, help="wrk threads (default 2, one per core)")
    add("--rounds", type=int, default=3, help="measured runs per server, interleaved (default 3)")
    add(
        "--rate",
        type=float,
        help="pace the load: each connection pauses CONNECTIONS/RATE s before each request, "
        "offering about RATE comments/s (default: no pause, as fast as the server answers)",
    )
    add("--skip-isso", action="store_true", help="measure only our inbox")
    add(
        "--loop",
        choices=("asyncio", "uvloop"),
        default=servers.PRODUCTION_LOOP,
        help="the inbox's event loop (default: asyncio, as in production; uvloop to compare)",
    )
    add(
        "--workers",
        type=int,
        default=1,
        help="uvicorn worker processes for the inbox (default 1, as in the README's command)",
    )
    add("--posts", type=int, default=1000, help="POSTs in the durability burst (default 1000)")
    add("--concurrency", type=int, default=64, help="clients in the burst (default 64)")
    add("--kill-after", type=int, default=None, help="SIGKILL after N acknowledged (posts / 2)")
    add("--skip-durability", action="store_true", help="leave out the SIGKILL run")
    add("--manifest", type=Path, help="site manifest (default output/letterpress.json, or build)")
    add("--tmpdir", type=Path, help="where the databases and logs go (default: the system's)")
    add("--results", type=Path, default=DEFAULT_RESULTS, help="where to write the JSON results")
    add("--profile", type=Path, help="also record a py-spy flame graph (SVG) of the inbox")
    add("--check", action="store_true", help="exit 1 when a throughput or latency target is missed")
    args = parser.parse_args(argv)
    if args.rate is not None and args.rate <= 0:
        parser.error("--rate must be a positive number of comments per second")
    if min(args.duration, args.connections, args.posts, args.rounds) < 1:
        parser.error("--duration, --connections, --posts and --rounds must be at least 1")
    if args.kill_after is None:
        args.kill_after = max(1, args.posts // 2)
    return args


def site_manifest(given: Path | None, workdir: Path, console: Console) -> Path:
    """The manifest to serve: the one given, the checkout's built one, or a fresh build."""
    if given is not None:
        return given
    built = ROOT / "output" / "letterpress.json"
    if built.exists():
        return built
    console.print("No output/letterpress.json: building the sample site into a temporary folder.")
    output = workdir / "site"
    env = {**os.environ, "LETTERPRESS_BUILD_DIR": str(workdir / "site-build")}
    command = [sys.executable, "-m", "invoke", "build", "--output", str(output)]
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if finished.returncode != 0:
        sys.exit(f"The sample site did not build:\n{finished.stdout}\n{finished.stderr}")
    return output / "letterpress.json"


def open_essays(manifest_path: Path) -> list[load.Essay]:
    try:
        manifest = read_manifest(manifest_path)
    except ManifestError as error:
        sys.exit(str(error))
    essays = [
        load.Essay(slug, entry.url, entry.title)
        for slug, entry in sorted(manifest.essays.items())
        if entry.comments_open
    ]
    if not essays:
        sys.exit(f"{manifest_path}: no essay is open for comments; nothing to post to.")
    return essays


def wrk_options(args) -> dict:
    pause_ms = round(1000 * args.connections / args.rate) if args.rate else 0
    return dict(connections=args.connections, threads=args.threads, pause_ms=pause_ms)


def warm_up(wrk: str, server: servers.Server, templates: Path, args, tag: str) -> None:
    if args.warmup > 0:
        options = wrk_options(args)
        load.run_wrk(wrk, server, templates, f"{tag}w", duration_s=max(1, args.warmup), **options)


def measure(wrk: str, server: servers.Server, templates: Path, args, tag: str) -> load.LoadResult:
    return load.run_wrk(wrk, server, templates, tag, duration_s=args.duration, **wrk_options(args))


def profile_inbox(wrk, server, templates, args, console: Console) -> None:
    """A separate, unreported wrk run while py-spy samples the inbox (it perturbs timings)."""
    spy = tools.py_spy()
    args.profile.parent.mkdir(parents=True, exist_ok=True)
    record = [str(spy), "record", "--pid", str(server.pid), "--rate", "200", "--nonblocking"]
    record += ["--duration", f"{int(args.duration)}", "--output", str(args.profile)]
    spy_process = subprocess.Popen(record, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(0.5)
    load.run_wrk(wrk, server, templates, "prof", duration_s=args.duration, **wrk_options(args))
    _, errors = spy_process.communicate(timeout=60)
    if spy_process.returncode != 0:
        console.print(f"py-spy failed: {errors.decode(errors='replace')}")
    else:
        console.print(f"Flame graph of the inbox under load: {args.profile}")


def throughput(
    args, wrk, manifest, essays, workdir, console, facts: dict
) -> list[list[load.LoadResult]]:
    """--rounds rounds of (inbox, Isso), interleaved so that a busy spell on the machine does not
    fall on one server only; returns the runs per server, ours first."""
    targets = [
        (
            "inbox",
            lambda: servers.start_inbox(
                ROOT,
                workdir / "inbox-load.sqlite3",
                manifest,
                workdir,
                servers.free_port(),
                loop=args.loop,
                workers=args.workers,
            ),
            load.inbox_templates(essays, HONEYPOT),
        )
    ]
    if not args.skip_isso:
        isso_python = tools.ensure_bench_venv()
        targets.append(
            (
                "isso",
                lambda: servers.start_isso(isso_python, workdir, servers.free_port()),
                load.isso_templates(essays),
            )
        )
    started: list[tuple[servers.Server, Path]] = []
    try:
        for name, start, rows in targets:
            server = start()
            started.append((server, load.write_templates(rows, workdir / f"{name}.tsv")))
            console.print(f"{server.name} (pid {server.pid}) listening on {server.url}")
            if server.name == "inbox":
                fast = servers.loaded_extensions(server.pid)
                processes = f"{args.workers} worker process{'es' if args.workers > 1 else ''}"
                loop = "uvloop" if "uvloop" in fast else "asyncio"
                http = "httptools" if "httptools" in fast else "h11"
                facts["inbox_server"] = f"uvicorn, {processes}, {loop} + {http}"
                facts["inbox_loop_option"] = args.loop
        for server, templates in started:
            warm_up(wrk, server, templates, args, server.name[:2].lower())
        runs: list[list[load.LoadResult]] = [[] for _ in started]
        for number in range(1, args.rounds + 1):
            for runs_of_server, (server, templates) in zip(runs, started, strict=True):
                console.print(
                    f"Round {number}/{args.rounds}: {server.name}, {args.duration:g} s at "
                    f"{args.connections} connections (load average {load_average()})"
                )
                tag = f"{server.name[:2].lower()}{number}"
                runs_of_server.append(measure(wrk, server, templates, args, tag))
        if args.profile:
            profile_inbox(wrk, started[0][0], started[0][1], args, console)
    finally:
        for server, _ in started:
            server.stop()
    return runs


def load_average() -> str:
    """The machine's 1-minute load average: other work on the same cores skews any figure."""
    return Path("/proc/loadavg").read_text().split()[0]


def durability_run(args, manifest, essays, workdir, console) -> durability.DurabilityReport:
    database = workdir / "inbox-durability.sqlite3"
    port = servers.free_port()
    inbox = servers.start_inbox(ROOT, database, manifest, workdir, port)
    markers = [f"d{n:05d}" for n in range(args.posts)]
    console.print(
        f"Durability: {args.posts} POSTs at {args.concurrency} clients, SIGKILL after "
        f"{args.kill_after} acknowledged..."
    )
    try:
        outcome = asyncio.run(
            durability.post_burst(
                port,
                markers,
                essay=essays[0].slug,
                honeypot=HONEYPOT,
                concurrency=args.concurrency,
                kill_after=args.kill_after,
                kill=inbox.sigkill,
            )
        )
    finally:
        inbox.stop()
    restarted = servers.start_inbox(ROOT, database, manifest, workdir, port)
    try:
        stored = durability.stored_markers(database, set(markers))
    finally:
        restarted.stop()
    return durability.summarise(outcome, stored, args.posts, args.concurrency, args.kill_after)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=max(Console().width, 130))
    try:
        wrk = tools.ensure_wrk()
    except tools.ToolError as error:
        console.print(str(error))
        return 2
    facts: dict = {"load_average_before": load_average()}
    if float(facts["load_average_before"]) > (os.cpu_count() or 1) / 2:
        console.print(
            f"[yellow]Load average {facts['load_average_before']} on {os.cpu_count()} cores: "
            "other work shares the CPUs, so throughput and latency will read low. Prefer a quiet "
            "machine; the CPU per comment is the steadiest figure.[/yellow]"
        )
    with tempfile.TemporaryDirectory(prefix="inbox-load-", dir=args.tmpdir) as tmp:
        workdir = Path(tmp)
        manifest = site_manifest(args.manifest, workdir, console)
        essays = open_essays(manifest)
        try:
            runs = throughput(args, wrk, manifest, essays, workdir, console, facts)
            crash = (
                None
                if args.skip_durability
                else durability_run(args, manifest, essays, workdir, console)
            )
        except (servers.ServerError, tools.ToolError) as error:
            console.print(str(error))
            return 2
    medians = [report.median_run(server_runs) for server_runs in runs]
    checks = report.verdict(medians[0], medians[1] if len(medians) > 1 else None)
    report.print_report(console, runs, checks, crash)
    settings = {
        "connections": args.connections,
        "wrk_threads": args.threads,
        "offered_rate": args.rate,
        "pause_ms_per_connection": wrk_options(args)["pause_ms"],
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "rounds": args.rounds,
        "load_average_after": load_average(),
        "cores": os.cpu_count(),
        **facts,
        "isso_server": None if args.skip_isso else "isso 0.14.0, gevent WSGIServer, 1 process",
        "posts": args.posts,
        "concurrency": args.concurrency,
        "tmpdir": str(args.tmpdir or tempfile.gettempdir()),
    }
    path = report.write_json(args.results, settings, runs, checks, crash)
    console.print(f"Results written to {path}")
    if crash is not None and not crash.ok:
        return 1
    missed = checks["p99_met"] is False or checks["ratio_met"] is False
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
