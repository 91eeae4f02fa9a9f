"""bench/comment_render.py: a tiny run of the real comparison, and the comments it times."""

import json
import subprocess
import sys

from tests.support import ROOT


def test_a_tiny_run_times_both_renderers_over_the_same_comments(tmp_path):
    results = tmp_path / "comment_render.json"
    command = [sys.executable, "bench/comment_render.py", "--comments", "40", "--repeat", "2"]
    finished = subprocess.run(
        [*command, "--results", str(results)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    figures = json.loads(results.read_text())
    assert figures["comments"] == 40
    assert 45 <= figures["mean_words"] <= 80, "comments about 60 words long, as the issue sets"
    for name in ("letterpress", "python_markdown"):
        assert len(figures["rounds_us"][name]) == 2
        assert figures["median_us"][name] > 0
    ours, theirs = figures["median_us"]["letterpress"], figures["median_us"]["python_markdown"]
    assert figures["ratio_ours_to_python_markdown"] == ours / theirs
    assert 0 < figures["nh3_share_of_ours_us"] < ours
    assert "µs per comment" in finished.stdout


def test_the_comments_have_the_markdown_readers_write():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench.comment_render import comment_bodies, python_markdown_renderer
        from letterpress.comments.render import render_markdown
    finally:
        sys.path.remove(str(ROOT / "bench"))
    bodies = comment_bodies(35, seed=1)
    assert bodies == comment_bodies(35, seed=1)
    rendered = [render_markdown(body) for body in bodies]
    assert all("<em>" in html for html in rendered)
    assert sum("<a href=" in html for html in rendered) == 12
    assert sum("<ul>" in html for html in rendered) == 7
    assert sum("<blockquote>" in html for html in rendered) == 5
    # The baseline renders the same Markdown to the same elements, so the race is fair.
    baseline = python_markdown_renderer()
    for body, html in zip(bodies, rendered, strict=True):
        assert ("<ul>" in baseline(body)) == ("<ul>" in html)
        assert ("<blockquote>" in baseline(body)) == ("<blockquote>" in html)
