"""bench/speed.py, at a tiny size: it runs end to end against plain Pelican with its defaults and
writes every figure bench/results.json has always had, and the new ones. It times nothing."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# bench/results.json's keys before the baseline became plain Pelican's defaults: kept, so older
# figures stay comparable by name.
KEPT = {
    "comments", "essays", "feed_bytes", "feed_files", "letterpress_build_peak_rss_mb",
    "letterpress_cold_cpu_s", "letterpress_cold_s", "letterpress_first_rebuild_s",
    "letterpress_peak_rss_mb", "letterpress_warm_cpu_s", "letterpress_warm_s", "newsletter_s",
    "plain_cold_cpu_s", "plain_cold_s", "plain_peak_rss_mb", "ratio_cold", "ratio_rss",
    "ratio_warm", "rebuilds", "rounds", "runs", "search_cpu_s", "search_peak_rss_mb", "search_s",
    "search_whole_pages_peak_rss_mb", "search_whole_pages_s", "warm_peak_rss_after_1_mb",
    "warm_peak_rss_after_last_mb", "warm_rss_after_1_mb", "warm_rss_after_last_mb",
}  # fmt: skip
ADDED = {
    "ratio_cold_cpu", "ratio_cold_no_search", "ratio_cold_no_search_cpu", "ratio_rss_no_search",
    "pagefind_cpu_share", "pagefind_in_build_peak_rss_mb", "plain_autoreload_s",
    "save_to_html_essay_s", "save_to_html_comment_s", "save_to_html_workshop_s", "load_average",
}  # fmt: skip


@pytest.fixture(scope="module")
def speed():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import speed as module
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return module


def test_the_baseline_is_plain_pelican_with_nothing_of_ours(speed, tmp_path):
    settings = speed.plain_settings(tmp_path).read_text("utf-8")
    code = [line for line in settings.splitlines() if line and not line.startswith("#")]
    assert code == ["CACHE_CONTENT = False", "LOAD_CONTENT_CACHE = False"]
    command = speed.plain_command(tmp_path / "corpus" / "essays", tmp_path, tmp_path / "out")
    assert str(tmp_path / "corpus" / "essays") in command  # the essays alone, as plain reads them


def test_a_tiny_run_writes_every_figure(speed, tmp_path):
    results = tmp_path / "results.json"
    args = ["--essays", "3", "--rounds", "1", "--edits", "1", "--rebuilds", "1", "--no-screen"]
    assert speed.main([*args, "--results", str(results)]) == 0
    figures = json.loads(results.read_text("utf-8"))
    assert set(figures) >= KEPT | ADDED
    assert figures["essays"] == 3 and figures["rounds"] == 1
    assert figures["plain_cold_s"] > 0 and figures["letterpress_cold_no_search_s"] > 0
    assert figures["ratio_warm"] == figures["letterpress_warm_s"] / figures["plain_autoreload_s"]
    assert {t["kind"] for t in figures["runs"]["loop"][0]} == {"essay", "comment", "workshop"}
