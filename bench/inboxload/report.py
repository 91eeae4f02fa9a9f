"""The benchmark's verdict: targets, a table for people, a JSON file for the record."""

import json
import math
import statistics
from dataclasses import fields, replace
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .durability import DurabilityReport
from .load import LoadResult

# From the issue: at least 3x Isso's throughput, and p99 at or under 50 ms, at 64 connections.
TARGET_RATIO = 3.0
TARGET_P99_MS = 50.0


def median_run(runs: list[LoadResult]) -> LoadResult:
    """Each figure's median over the rounds (robust against one run that shared the cores)."""
    numbers = {
        f.name: statistics.median(getattr(run, f.name) for run in runs)
        for f in fields(LoadResult)
        if f.type in ("int", "float", int, float)
    }
    return replace(runs[0], **numbers)


def ratio(ours: LoadResult, isso: LoadResult | None) -> float | None:
    if isso is None or not isso.comments_per_s:
        return None
    return round(ours.comments_per_s / isso.comments_per_s, 2)


def verdict(ours: LoadResult, isso: LoadResult | None) -> dict:
    """Which targets were met; a target that could not be measured is None, not a pass."""
    measured_ratio = ratio(ours, isso)
    return {
        "ratio_ours_to_isso": measured_ratio,
        "ratio_target": TARGET_RATIO,
        "ratio_met": None if measured_ratio is None else measured_ratio >= TARGET_RATIO,
        "p99_target_ms": TARGET_P99_MS,
        "p99_met": ours.p99_ms <= TARGET_P99_MS and ours.non_2xx_3xx == 0,
    }


def _fmt(value: float, digits: int = 1) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


HEADINGS = ("run", "comments/s", "p50 ms", "p99 ms", "non-2xx/3xx", "socket err")
HEADINGS += ("wrk CPU s", "server CPU s", "server core %", "server ms/comment")


def print_report(
    console: Console,
    runs: list[list[LoadResult]],
    checks: dict,
    durability: DurabilityReport | None,
) -> None:
    table = Table(title="Comment POSTs on loopback, by wrk", title_justify="left")
    for heading in HEADINGS:
        table.add_column(heading, justify="left" if heading == "run" else "right")
    rows = []
    for server_runs in runs:
        name = server_runs[0].server
        rows += [(f"{name} {n}", r, "") for n, r in enumerate(server_runs, 1)]
        rows.append((f"{name} median", median_run(server_runs), "bold"))
    for label, r, style in rows:
        table.add_row(
            label,
            _fmt(r.comments_per_s),
            _fmt(r.p50_ms, 2),
            _fmt(r.p99_ms, 2),
            _fmt(r.non_2xx_3xx, 0),
            _fmt(r.socket_errors, 0),
            _fmt(r.client_cpu_s, 2),
            _fmt(r.server_cpu_s, 2),
            _fmt(100 * r.server_core_share, 0),
            _fmt(r.server_cpu_ms_per_comment, 3),
            style=style,
        )
    console.print(table)
    if checks["ratio_ours_to_isso"] is not None:
        mark = "met" if checks["ratio_met"] else "MISSED"
        measured = checks["ratio_ours_to_isso"]
        console.print(f"ours / Isso: {measured:.2f}x (target >= {TARGET_RATIO:g}x: {mark})")
    mark = "met" if checks["p99_met"] else "MISSED"
    console.print(f"inbox p99 target <= {TARGET_P99_MS:g} ms: {mark}")
    if durability is not None:
        d = durability
        console.print(
            f"SIGKILL after {d.killed_after_acknowledged} acknowledged of {d.posts} POSTs "
            f"({d.concurrency} concurrent): {d.acknowledged} acknowledged, {d.failed} unanswered, "
            f"{d.refused} refused; after restart {d.stored_after_restart} stored, "
            f"{d.acknowledged_missing} acknowledged but missing, "
            f"{d.stored_unacknowledged} stored without an answer: "
            + ("no acknowledged comment lost" if d.ok else "ACKNOWLEDGED COMMENTS LOST")
        )


def write_json(path: Path, settings: dict, runs, checks, durability) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "settings": settings,
        "median": {rs[0].server: median_run(rs).as_json() for rs in runs},
        "runs": {rs[0].server: [r.as_json() for r in rs] for rs in runs},
        "targets": checks,
        "durability": durability.as_json() if durability else None,
    }
    path.write_text(json.dumps(document, indent=2) + "\n", "utf-8")
    return path
