"""bench/corpus.py: the same seed gives the same benchmark site, and it builds with our settings."""

from pathlib import Path

import pytest

from bench import corpus
from tests.support import run_build

ESSAYS = 20


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.md")}


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory) -> Path:
    return corpus.generate(tmp_path_factory.mktemp("corpus") / "content", ESSAYS, seed=7)


def test_the_same_seed_writes_the_same_files_and_another_seed_does_not(tiny_corpus, tmp_path):
    again = corpus.generate(tmp_path / "again", ESSAYS, seed=7)
    other = corpus.generate(tmp_path / "other", ESSAYS, seed=8)
    assert snapshot(again) == snapshot(tiny_corpus)
    assert snapshot(other) != snapshot(tiny_corpus)


def test_the_corpus_has_the_shape_the_benchmarks_need(tiny_corpus):
    essays = sorted((tiny_corpus / "essays").rglob("*.md"))
    assert len(essays) == ESSAYS
    text = essays[-1].read_text("utf-8")
    words = len(text.split("\n\n", 1)[1].split())
    assert 1200 <= words <= 1500
    for construct in ("\n## ", "\n> ", "\n```", "](https://"):
        assert any(construct in e.read_text("utf-8") for e in essays), construct
    threads = list((tiny_corpus / "comments").iterdir())
    assert len(threads) == ESSAYS
    assert all(len(list(t.glob("*.md"))) == corpus.COMMENTS_PER_ESSAY for t in threads)
    replies = [p for t in threads for p in t.glob("*.md") if "Reply-To:" in p.read_text("utf-8")]
    assert replies, "threads need replies"
    assert len(list((tiny_corpus / "workshops").glob("*.md"))) >= 2
    assert len(list((tiny_corpus / "newsletters").glob("*.md"))) == 12 * 10  # every month


def test_a_tiny_corpus_builds_with_our_settings(tiny_corpus, tmp_path):
    output = tmp_path / "output"
    result = run_build(tiny_corpus, output, tmp_path / "build")
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert len(list((output / "essays").glob("*/*/*/index.html"))) == ESSAYS
    assert (output / "feeds" / "all.atom.xml").is_file()
    assert (output / "workshops" / "index.html").is_file()


def test_a_corpus_needs_at_least_one_essay(tmp_path, capsys):
    assert corpus.main(["--out", str(tmp_path / "none"), "--essays", "0"]) == 2
    assert "--essays must be at least 1" in capsys.readouterr().err
