"""Benchmark: import a generated WordPress export of N posts (30 comments each) and measure it.

    .venv/bin/python bench/wordpress_import.py --posts 3000 --compare 300 [--build]
    .venv/bin/python bench/wordpress_import.py --huge-post 20

Writes an export (WXR 1.2, written as a stream with lxml) for each size, runs
`invoke import.wordpress` on it in a process of its own, and reports the wall time and that
process's peak RSS; with --build, also the time of `invoke build --no-search` of the result.
Memory must stay flat as the file grows: compare the peak RSS at the two sizes. The budget:
3,000 posts with 90,000 comments in 100 s or less.

--exports DIR imports every real export in DIR (listed in DIR/SOURCES.txt, one "file repository
commit" a line: exports are third-party files, kept out of the repository) into a copy of the
sample content, builds each, and prints one row per export: posts and comments imported, the
import's CPU time and the build's result.

--huge-post MB imports an export holding one post whose body is MB megabytes (and one tiny
post, as a baseline of the same shape) and reports the extra peak memory as a multiple of the
body's size. The budget: 5x.
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
WP = "https://wordpress.org/export/1.2/"
NS = {
    "wp": WP,
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "https://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
VOCABULARY = (
    "team decision meeting listen plan owner quiet week trust question answer write draft "
    "notebook rule people work habit change review budget slack room honest feedback"
)
WORDS = VOCABULARY.split()


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _paragraphs(rng: random.Random, count: int, words: int) -> str:
    return "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "." for _ in range(count)
    )


def _field(xf, tag: str, text: str) -> None:
    # One element a line, as WordPress writes its exports.
    xf.write("\n\t\t")
    with xf.element(tag):
        xf.write(etree.CDATA(text) if text else "")


def _comment(xf, rng: random.Random, post: int, number: int, parent: int) -> None:
    cid = post * 100 + number
    with xf.element(_q("wp", "comment")):
        _field(xf, _q("wp", "comment_id"), str(cid))
        _field(xf, _q("wp", "comment_author"), f"Reader {cid}")
        _field(xf, _q("wp", "comment_author_email"), f"reader{cid}@mail.example")
        _field(xf, _q("wp", "comment_author_url"), "")
        _field(xf, _q("wp", "comment_author_IP"), "192.0.2.1")
        minute = number % 60
        _field(xf, _q("wp", "comment_date_gmt"), f"2016-01-02 10:{minute:02d}:00")
        _field(xf, _q("wp", "comment_content"), _paragraphs(rng, 2, 25))
        _field(xf, _q("wp", "comment_approved"), "1")
        _field(xf, _q("wp", "comment_type"), "comment")
        _field(xf, _q("wp", "comment_parent"), str(parent))
        _field(xf, _q("wp", "comment_user_id"), "1" if number % 5 == 4 else "0")


def _post(xf, rng: random.Random, number: int, comments: int, body_bytes: int = 0) -> None:
    post_id = 1000 + number
    day = f"2015-{1 + number % 12:02d}-{1 + number % 28:02d}"
    slug = f"generated-post-{number}"
    with xf.element("item"):
        _field(xf, "title", f"Generated Post {number}")
        _field(xf, "link", f"https://old-blog.example/{day.replace('-', '/')}/{slug}/")
        _field(xf, _q("dc", "creator"), "miriam")
        body = _paragraphs(rng, 12, 90)
        if body_bytes:
            # A long post of short paragraphs, links and emphasis, as a real archive page is.
            unit = (
                '<p>A paragraph with <em>emphasis</em>, <a href="https://example.org/">a link'
                "</a> and <strong>weight</strong>, one of very many in this post.</p>\n"
            )
            body = unit * (body_bytes // len(unit))
        _field(xf, _q("content", "encoded"), body)
        _field(xf, _q("excerpt", "encoded"), "")
        _field(xf, _q("wp", "post_id"), str(post_id))
        _field(xf, _q("wp", "post_date"), f"{day} 09:00:00")
        _field(xf, _q("wp", "post_date_gmt"), f"{day} 17:00:00")
        _field(xf, _q("wp", "post_name"), slug)
        _field(xf, _q("wp", "status"), "publish")
        _field(xf, _q("wp", "post_parent"), "0")
        _field(xf, _q("wp", "post_type"), "post")
        _field(xf, _q("wp", "post_password"), "")
        with xf.element("category", domain="category", nicename="leadership"):
            xf.write(etree.CDATA("Leadership"))
        for n in range(comments):
            # Every third comment answers the one before it: threads several levels deep.
            parent = post_id * 100 + n - 1 if n % 3 else 0
            _comment(xf, rng, post_id, n, parent)


def generate(
    path: Path, posts: int, comments_per_post: int = 30, seed: int = 1, body_bytes: int = 0
) -> Path:
    """Write an export of `posts` posts with `comments_per_post` comments each, as a stream."""
    rng = random.Random(seed)
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("rss", version="2.0", nsmap=NS), xf.element("channel"):
            _field(xf, "title", "Generated Blog")
            _field(xf, "link", "https://old-blog.example")
            _field(xf, _q("wp", "wxr_version"), "1.2")
            _field(xf, _q("wp", "base_site_url"), "https://old-blog.example")
            with xf.element(_q("wp", "author")):
                _field(xf, _q("wp", "author_id"), "1")
                _field(xf, _q("wp", "author_login"), "miriam")
                _field(xf, _q("wp", "author_email"), "owner@old-blog.example")
                _field(xf, _q("wp", "author_display_name"), "Miriam Okafor")
            for number in range(posts):
                _post(xf, rng, number, comments_per_post, body_bytes)
    return path


def measure(args: list[str]) -> tuple[float, int, float]:
    """(seconds, peak RSS in MB, CPU seconds) of one child process running `args`. The CPU time
    is the figure to compare on a busy machine, where the wall time waits for other work."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed")
    return elapsed, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def run(posts: int, folder: Path, build: bool, comments: int = 30) -> dict:
    export = generate(folder / f"export-{posts}.xml", posts, comments)
    content = folder / f"content-{posts}"
    for name in ("essays", "pages"):
        (content / name).mkdir(parents=True)
    invoke = [sys.executable, "-m", "invoke"]
    seconds, rss, cpu = measure(
        [*invoke, "import.wordpress", str(export), "--content", str(content)]
    )
    result = {
        "posts": posts,
        "comments": posts * comments,
        "export_mb": round(export.stat().st_size / 2**20, 1),
        "import_s": round(seconds, 1),
        "import_cpu_s": round(cpu, 1),
        "import_peak_rss_mb": rss,
    }
    if build:
        output = folder / f"output-{posts}"
        args = [*invoke, "build", "--no-search", "--content", str(content), "--output", str(output)]
        result["build_s"] = round(measure(args)[0], 1)
    return result


def huge_post(megabytes: float, folder: Path) -> dict:
    """Extra peak memory of importing one post of `megabytes`, as a multiple of its size."""
    invoke = [sys.executable, "-m", "invoke"]
    peaks = {}
    for name, size in (("tiny", 0), ("huge", int(megabytes * 2**20))):
        export = generate(folder / f"{name}.xml", 1, 0, body_bytes=size or 1)
        content = folder / f"content-{name}"
        (content / "essays").mkdir(parents=True)
        args = [*invoke, "import.wordpress", str(export), "--content", str(content)]
        peaks[name] = measure(args)
    body = megabytes * 2**20
    extra = (peaks["huge"][1] - peaks["tiny"][1]) * 2**20
    return {
        "body_mb": megabytes,
        "import_s": round(peaks["huge"][0], 1),
        "import_cpu_s": round(peaks["huge"][2], 1),
        "peak_rss_mb": peaks["huge"][1],
        "baseline_rss_mb": peaks["tiny"][1],
        "extra_over_body": round(extra / body, 1),
    }


def real_exports(folder: Path, work: Path) -> None:
    """Import and build each export listed in folder/SOURCES.txt; print a Markdown table."""
    invoke = [sys.executable, "-m", "invoke"]
    print("| Export | Repository @ commit | Posts | Comments | Import (CPU s) | Build |")
    print("|---|---|---:|---:|---:|---|")
    for line in (folder / "SOURCES.txt").read_text("utf-8").splitlines():
        name, repository, commit = line.split()[:3]
        content = work / name / "content"
        shutil.copytree(ROOT / "content", content)
        started = os.times()
        imported = subprocess.run(
            [*invoke, "import.wordpress", str(folder / name), "--content", str(content)],
            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "COLUMNS": "250"},
        )  # fmt: skip
        ended = os.times()
        cpu = ended.children_user - started.children_user
        cpu += ended.children_system - started.children_system
        said = re.sub(r"\s+", " ", re.sub("[\u2500-\u257f]", " ", imported.stdout))
        counts = {k: int(n) for k, n in re.findall(r"(Essays|Drafts|Pages|Comments) (\d+)", said)}
        posts = counts.get("Essays", 0) + counts.get("Drafts", 0) + counts.get("Pages", 0)
        if imported.returncode != 0:
            why = (imported.stderr or imported.stdout).strip().splitlines()[-1][:120]
            result, posts, comments = f"import refused: {why}", "–", "–"
        else:
            comments = counts.get("Comments", 0)
            env = {**os.environ, "LETTERPRESS_BUILD_DIR": str(work / name / "build")}
            args = [*invoke, "build", "--no-search", "--content", str(content),
                    "--output", str(work / name / "output")]  # fmt: skip
            built = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env)
            result = "builds" if built.returncode == 0 else "build FAILS"
        print(f"| {name} | {repository} @ {commit[:10]} | {posts} | {comments} | {cpu:.1f} | "
              f"{result} |", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--comments", type=int, default=30, help="comments per post")
    parser.add_argument("--compare", type=int, default=300, help="a smaller size (0: none)")
    parser.add_argument("--build", action="store_true", help="also time a build of the result")
    parser.add_argument("--huge-post", type=float, default=0, help="MB of one post's body")
    parser.add_argument("--exports", type=Path, help="a folder of real exports (SOURCES.txt)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if options.exports:
            real_exports(options.exports, Path(folder))
            return
        if options.huge_post:
            print(huge_post(options.huge_post, Path(folder)), flush=True)
            return
        for size in [s for s in (options.compare, options.posts) if s]:
            print(run(size, Path(folder), options.build, options.comments), flush=True)


if __name__ == "__main__":
    main()
