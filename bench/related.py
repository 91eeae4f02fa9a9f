"""Time the related-essays choice (letterpress.related) on the benchmark corpus, without Pelican.

    python bench/related.py [--corpus DIR] [--essays 1000] [--seed 1] [--repeat 5]

Reads each essay's Title, Date, Category, Tags and Summary headers as the plugin gets them from
Pelican, then times `related()` alone: the build's share of the work. Without --corpus,
bench/corpus.py writes one into a temporary folder.
"""

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from corpus import generate  # run as a script, bench/ is first on the import path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from letterpress.related import Essay, related


def read_essays(content: Path) -> list[Essay]:
    essays = []
    for path in sorted((content / "essays").rglob("*.md")):
        headers = {}
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                break
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        essays.append(
            Essay(
                key=headers.get("slug", path.stem),
                date=dt.datetime.fromisoformat(headers["date"]),
                tags=[t.strip() for t in headers.get("tags", "").split(",") if t.strip()],
                category=headers.get("category", ""),
                text=f"{headers['title']} {headers.get('summary', '')}",
            )
        )
    return essays


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="an existing corpus (default: write one)")
    parser.add_argument("--essays", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        corpus = args.corpus or generate(Path(scratch) / "content", args.essays, args.seed)
        essays = read_essays(corpus)
        times = []
        for _ in range(args.repeat):
            start = time.process_time()
            chosen = related(essays)
            times.append(time.process_time() - start)
    sample = essays[0].key
    print(f"{len(essays)} essays: related() took {statistics.median(times):.3f} s CPU (median of")
    print(f"{args.repeat}, best {min(times):.3f} s); {sample} -> {', '.join(chosen[sample])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
