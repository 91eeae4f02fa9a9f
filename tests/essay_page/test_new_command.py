"""`invoke new essay|workshop|note` writes a file that builds, and never overwrites one."""

import datetime as dt
from pathlib import Path

import pytest

from letterpress.newsletter.notes import parse_note
from letterpress.scaffold import (
    ScaffoldError,
    essay_file,
    parse_when,
    slug_of,
    workshop_file,
)
from letterpress.workshops.model import read_workshops
from tests.essay_sources import read_essay
from tests.support import build_env, run_invoke


@pytest.fixture
def env(tmp_path):
    """The task's environment: today pinned, as in every build the tests make."""
    return build_env(tmp_path / "build")


def test_new_essay_writes_headers_slug_and_path_and_says_how_to_preview(tmp_path, env):
    result = run_invoke(
        "new.essay", "Queues, Briefly: a Primer", "--date", "2026-11-20",
        "--category", "Practice", "--tags", "teams, slack", "--content", str(tmp_path), env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    path = tmp_path / "essays" / "queues-briefly-a-primer.md"
    assert f"Wrote {path}" in result.stdout
    assert (
        "make serve, then open http://127.0.0.1:8000/essays/2026/11/queues-briefly-a-primer/"
        in (result.stdout)
    )
    essay = read_essay(path)
    assert (essay.title, essay.slug, essay.category) == (
        "Queues, Briefly: a Primer",
        "queues-briefly-a-primer",
        "Practice",
    )
    assert essay.tags == ("teams", "slack")
    assert essay.date.isoformat() == "2026-11-20T08:00:00-08:00"


def test_a_new_essay_dated_in_the_future_is_previewed_with_the_build_date_pinned(tmp_path, env):
    args = ("new.essay", "Later", "--date", "2027-01-04 07:30", "--content", str(tmp_path))
    result = run_invoke(*args, env=env)
    assert "LETTERPRESS_TODAY=2027-01-04 make serve" in result.stdout
    assert "Date: 2027-01-04T07:30:00-08:00" in (tmp_path / "essays" / "later.md").read_text()


def test_a_new_essay_without_category_or_tags_still_has_both_lines_to_fill_in(tmp_path, env):
    result = run_invoke("new.essay", "Bare", "--content", str(tmp_path), env=env)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "essays" / "bare.md").read_text("utf-8")
    header = text.split("\n\n", 1)[0].splitlines()
    assert [line.split(":", 1)[0] for line in header] == [
        "Title",
        "Date",
        "Slug",
        "Category",
        "Tags",
    ]
    assert "Category:" in header and "Tags:" in header  # empty, no trailing space
    assert "Fill in Category and Tags." in result.stdout
    essay = read_essay(tmp_path / "essays" / "bare.md")
    assert essay.tags == ()


def test_new_essay_gives_the_address_on_the_port_make_serve_uses(tmp_path, env):
    args = ("new.essay", "Elsewhere", "--date", "2026-11-20", "--content", str(tmp_path))
    result = run_invoke(*args, env={**env, "PORT": "8010"})
    assert result.returncode == 0, result.stderr
    assert "open http://127.0.0.1:8010/essays/2026/11/elsewhere/" in result.stdout
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text("utf-8")
    assert "PORT ?= 8000" in makefile and "--port $(PORT)" in makefile


def test_new_refuses_to_overwrite_and_to_reuse_a_slug(tmp_path, env):
    first = run_invoke("new.essay", "Twice", "--content", str(tmp_path), env=env)
    assert first.returncode == 0
    (tmp_path / "essays" / "twice.md").write_text("Title: Twice\nSlug: twice\n\nMine.\n")
    again = run_invoke("new.essay", "Twice", "--content", str(tmp_path), env=env)
    assert again.returncode == 1
    assert "The slug 'twice' is already used by" in again.stderr
    assert (tmp_path / "essays" / "twice.md").read_text().endswith("Mine.\n")


def test_new_workshop_writes_a_file_the_workshop_reader_accepts(tmp_path, env):
    result = run_invoke(
        "new.workshop", "The Long Table", "--start", "2027-06-01", "--city", "Portland",
        "--content", str(tmp_path), env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Fill in Venue, Address, Price, Summary" in result.stdout
    (workshop,) = read_workshops(
        tmp_path / "workshops", tmp_path, default_timezone="America/Los_Angeles"
    )
    assert (workshop.slug, workshop.city, workshop.registration) == (
        "the-long-table",
        "Portland",
        "closed",
    )
    assert workshop.start.isoformat() == "2027-06-01T09:00:00-07:00"
    assert workshop.end.isoformat() == "2027-06-01T17:00:00-07:00"


def test_new_workshop_with_every_fact_opens_registration(tmp_path):
    new = workshop_file(
        tmp_path, "Full", start="2027-06-01 10:00", end="2027-06-02 16:00",
        timezone="Europe/Oslo", city="Oslo", venue="Hall", address="Gate 1", price="300 EUR",
        summary="Two days.",
    )  # fmt: skip
    assert "Registration: open\n" in new.text and "Timezone: Europe/Oslo\n" in new.text


def test_new_note_writes_the_months_note_the_newsletter_reads(tmp_path, env):
    result = run_invoke("new.note", "2026-12", "--content", str(tmp_path), env=env)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "newsletters" / "2026-12.md"
    note = parse_note(path.read_text("utf-8"), str(path))
    assert (str(note.month), note.subject) == ("2026-12", "")
    assert "Dear reader" in note.body_html
    assert "invoke newsletter.preview --month 2026-12" in result.stdout
    assert run_invoke("new.note", "2026-12", "--content", str(tmp_path), env=env).returncode == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("new.note", "2026-13"), "'2026-13' is not a month"),
        (("new.essay", "!!!"), "no letters or digits"),
        (("new.essay", "Fine", "--date", "soon"), "The date 'soon' is not a date"),
        (("new.workshop", "No Start"), "--start"),
    ],
)
def test_bad_arguments_fail_with_a_sentence(tmp_path, env, args, message):
    result = run_invoke(*args, "--content", str(tmp_path), env=env)
    assert result.returncode == 1 and message in result.stderr


@pytest.mark.parametrize("task", ["new.essay", "new.workshop", "new.note"])
def test_each_new_task_explains_itself(task):
    result = run_invoke(task, "--help")
    assert result.returncode == 0 and "--content" in result.stdout


def test_slugs_and_dates_are_decided_without_invoke():
    assert slug_of("Ünïcode & Titles, Too!") == "unicode-titles-too"
    with pytest.raises(ScaffoldError):
        slug_of("???")
    when = parse_when("2026-03-01", dt.time(8), "America/Los_Angeles", "date")
    assert when.isoformat() == "2026-03-01T08:00:00-08:00"
    with pytest.raises(ScaffoldError, match="title must be one line"):
        essay_file(Path("/nonexistent"), "Two\nlines", when=when)
