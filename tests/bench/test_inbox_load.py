"""bench/inbox_load.py: a tiny run of the real thing, and the arithmetic it reports.

The full comparison with Isso runs by hand (README, "Benchmarks"); here the script runs against
the real inbox for one second with wrk, then does the whole SIGKILL burst, in about ten seconds.
"""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from bench.inboxload.cpu import CLOCK_TICKS, descendants, parse_stat_cpu, tree_cpu_seconds
from bench.inboxload.load import LoadResult, parse_wrk_output
from bench.inboxload.report import median_run, verdict
from tests.support import ROOT, require_tool


def test_tiny_run_measures_the_inbox_and_loses_no_acknowledged_comment(site, tmp_path):
    require_tool(shutil.which("wrk") is not None, "wrk", "apt-get install -y wrk")
    results = tmp_path / "inbox_load.json"
    command = [sys.executable, "bench/inbox_load.py", "--skip-isso", "--duration", "1"]
    command += ["--warmup", "0", "--rounds", "1", "--posts", "1000", "--concurrency", "64"]
    command += ["--manifest", str(site.output / "letterpress.json"), "--results", str(results)]
    command += ["--tmpdir", str(tmp_path)]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=90)
    assert finished.returncode == 0, finished.stdout + finished.stderr

    document = json.loads(results.read_text())
    inbox = document["median"]["inbox"]
    assert inbox["requests"] > 50
    assert inbox["non_2xx_3xx"] == 0, "every benchmark comment must be accepted (303)"
    assert inbox["socket_errors"] == 0
    assert inbox["comments_per_s"] > 0 and inbox["p99_ms"] >= inbox["p50_ms"] > 0
    assert inbox["server_cpu_s"] > 0 and inbox["client_cpu_s"] > 0
    assert "asyncio" in document["settings"]["inbox_server"]
    assert "httptools" in document["settings"]["inbox_server"]
    assert document["targets"]["ratio_ours_to_isso"] is None  # Isso was skipped, not "passed"

    crash = document["durability"]
    assert crash["ok"] and crash["acknowledged_missing"] == 0
    assert crash["acknowledged"] >= crash["killed_after_acknowledged"] == 500
    assert crash["failed"] > 0, "the server must have died mid-burst"
    assert crash["acknowledged"] + crash["failed"] + crash["refused"] == 1000
    assert "no acknowledged comment lost" in finished.stdout


def test_cpu_time_is_read_past_a_command_name_with_spaces_and_parentheses():
    fields = ["S", *["0"] * 10, str(3 * CLOCK_TICKS), str(CLOCK_TICKS), *["0"] * 30]
    line = "4242 (uvicorn (worker) 1) " + " ".join(fields)
    assert parse_stat_cpu(line) == pytest.approx(4.0)


def test_a_servers_cpu_includes_its_worker_processes():
    """uvicorn --workers N serves from child processes; their CPU counts as the server's."""
    # The child burns 0.4 s but we ask for 0.3: /proc counts in clock ticks, rounding down.
    busy = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"
    worker = subprocess.Popen([sys.executable, "-c", busy + "time.sleep(30)"])
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and children_cpu() < 0.3:
            time.sleep(0.05)
        assert worker.pid in descendants(os.getpid())
        assert children_cpu() >= 0.3
    finally:
        worker.kill()
        worker.wait()


def children_cpu() -> float:
    """The tree's CPU less our own, our own read first: reading /proc costs us CPU too."""
    ours = own_cpu()
    return tree_cpu_seconds(os.getpid()) - ours


def own_cpu() -> float:
    from bench.inboxload.cpu import process_cpu_seconds

    return process_cpu_seconds(os.getpid())


def test_wrk_output_gives_the_summary_line_and_the_non_2xx_count():
    output = (
        "Running 1s test @ http://127.0.0.1:1\n  Non-2xx or 3xx responses: 17\n"
        'WRK_RESULT {"duration_us": 1000000, "requests": 900, "p99_us": 41000}\n'
    )
    summary, non_2xx = parse_wrk_output(output)
    assert summary["requests"] == 900 and summary["p99_us"] == 41000
    assert non_2xx == 17
    assert parse_wrk_output(output.replace("  Non-2xx or 3xx responses: 17\n", ""))[1] == 0
    with pytest.raises(RuntimeError, match="WRK_RESULT"):
        parse_wrk_output("wrk: connection refused\n")


def _run(server: str, per_s: float, p99: float, non_2xx: int = 0) -> LoadResult:
    return LoadResult(
        server, 64, 10.0, int(per_s * 10), non_2xx, 0, per_s, 5.0, 9.0, p99, 80.0, 1.0, 4.0
    )


def test_the_median_of_each_figure_and_the_targets_it_meets():
    ours = median_run([_run("inbox", 1800, 30), _run("inbox", 900, 70), _run("inbox", 1500, 45)])
    assert (ours.comments_per_s, ours.p99_ms) == (1500, 45)
    isso = median_run([_run("Isso", 400, 300)])
    assert verdict(ours, isso) == {
        "ratio_ours_to_isso": 3.75,
        "ratio_target": 3.0,
        "ratio_met": True,
        "p99_target_ms": 50.0,
        "p99_met": True,
    }
    slow = verdict(_run("inbox", 1000, 60), isso)
    assert slow["ratio_met"] is False and slow["p99_met"] is False
    # Refused comments are not throughput: any non-2xx/3xx answer fails the latency target too.
    assert verdict(_run("inbox", 2000, 20, non_2xx=5), None)["p99_met"] is False
    assert verdict(ours, None)["ratio_met"] is None
