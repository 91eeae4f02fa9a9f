"""Time how a comment's Markdown becomes safe HTML, against Python-Markdown in the same run.

    python bench/comment_render.py [--comments 2000] [--seed 1] [--repeat 7]
                                   [--results bench/results/comment_render.json]

Every build renders every comment once (10,000 on the benchmark site), so the cost per comment
decides how comments weigh on a build. Ours is markdown-it-py restricted to a comment's rules, then
nh3's allow-list (letterpress.comments.render). The baseline is Python-Markdown, the renderer
Pelican uses for essays, with the same nh3 pass. Both run over the same comments, about 60 words
each with links, emphasis, a list or a quote now and then, taking turns round by round; the figure
is the median round, in microseconds per comment.
"""

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from corpus import paragraph  # run as a script, bench/ is first on the import path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import markdown  # noqa: E402  (after the path is set, like our own modules)

from letterpress.comments.render import render_markdown, sanitise_html  # noqa: E402

DEFAULT_RESULTS = ROOT / "bench" / "results" / "comment_render.json"


def comment_bodies(count: int, seed: int) -> list[str]:
    """Comments shaped like readers' ones: mostly prose, some Markdown, about 60 words."""
    rng = random.Random(seed)
    bodies = []
    for n in range(count):
        text = paragraph(rng, 4)
        words = text.split()
        words[3] = f"*{words[3]}*"
        if n % 3 == 0:
            words[8] = f"[{words[8]}](https://example.org/notes/{n})"
        body = " ".join(words)
        if n % 5 == 0:
            body += "\n\n- " + paragraph(rng, 1) + "\n- " + paragraph(rng, 1)
        if n % 7 == 0:
            body = "> " + paragraph(rng, 1) + "\n\n" + body
        bodies.append(body)
    return bodies


def python_markdown_renderer() -> Callable[[str], str]:
    """Python-Markdown as Pelican configures it by default, then the same sanitiser as ours."""
    converter = markdown.Markdown(extensions=["markdown.extensions.extra"])

    def render(source: str) -> str:
        return sanitise_html(converter.reset().convert(source))

    return render


def microseconds_per_comment(render: Callable[[str], str], bodies: list[str]) -> float:
    started = time.perf_counter()
    for body in bodies:
        render(body)
    return (time.perf_counter() - started) / len(bodies) * 1e6


def measure(bodies: list[str], repeat: int) -> dict:
    renderers = {"letterpress": render_markdown, "python_markdown": python_markdown_renderer()}
    for render in renderers.values():  # warm caches and lazy imports before timing
        microseconds_per_comment(render, bodies[:50])
    rounds: dict[str, list[float]] = {name: [] for name in renderers}
    for _ in range(repeat):
        for name, render in renderers.items():
            rounds[name].append(microseconds_per_comment(render, bodies))
    # nh3's share of ours: the sanitiser alone, over the HTML our Markdown step produced.
    ours_html = [render_markdown(body) for body in bodies]
    nh3_rounds = [microseconds_per_comment(sanitise_html, ours_html) for _ in range(repeat)]
    median = {name: statistics.median(values) for name, values in rounds.items()}
    return {
        "comments": len(bodies),
        "mean_words": statistics.mean(len(body.split()) for body in bodies),
        "rounds_us": rounds,
        "median_us": median,
        "nh3_share_of_ours_us": statistics.median(nh3_rounds),
        "ratio_ours_to_python_markdown": median["letterpress"] / median["python_markdown"],
        "ours_for_10000_comments_s": median["letterpress"] * 10_000 / 1e6,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    options = parser.parse_args(argv)
    if options.comments < 1 or options.repeat < 1:
        parser.error("--comments and --repeat must be at least 1")

    figures = measure(comment_bodies(options.comments, options.seed), options.repeat)
    options.results.parent.mkdir(parents=True, exist_ok=True)
    options.results.write_text(json.dumps(figures, indent=2) + "\n", "utf-8")

    ours, theirs = figures["median_us"]["letterpress"], figures["median_us"]["python_markdown"]
    print(f"{figures['comments']} comments of {figures['mean_words']:.0f} words on average")
    print(f"  markdown-it-py + nh3 (ours): {ours:7.1f} µs per comment")
    print(f"    of which nh3:              {figures['nh3_share_of_ours_us']:7.1f} µs")
    print(f"  Python-Markdown + nh3:       {theirs:7.1f} µs per comment")
    print(f"  ratio: {figures['ratio_ours_to_python_markdown']:.2f}× the time")
    print(f"  10,000 comments: {figures['ours_for_10000_comments_s']:.2f} s; {options.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
