"""Bad content stops the build with a non-zero exit and a message naming the file to fix."""

import pytest

from letterpress.content_checks import (
    intrasite_links,
    links_to_withheld,
    missing_targets,
    resolve_target,
)
from tests.support import run_build


def build_output(content, tmp_path):
    result = run_build(content, tmp_path / "output", tmp_path / "build")
    return result.returncode, result.stdout + result.stderr


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}; update the test"
    path.write_text(text.replace(old, new, 1), "utf-8")


# The link rules, on plain strings.


def test_link_targets_resolve_like_pelican():
    assert resolve_target("essays/a.md", "b.md") == "essays/b.md"
    assert resolve_target("essays/a.md", "/pages/about.md") == "pages/about.md"
    assert (
        resolve_target("essays/a.md", "../files/My%20Brochure.pdf#page=2")
        == "files/My Brochure.pdf"
    )


def test_only_intrasite_links_are_read():
    html = (
        '<p><a href="{filename}b.md">b</a> <a href="https://example.org/{filename}">x</a>'
        "<img alt='' src='{static}/images/c.png'> <a href=\"#top\">top</a></p>"
    )
    assert [(link.what, link.target) for link in intrasite_links("essays/a.md", html)] == [
        ("filename", "essays/b.md"),
        ("static", "images/c.png"),
    ]


def test_a_missing_target_is_reported_with_the_file_that_links_to_it():
    html = '<a href="{filename}gone.md">gone</a> <a href="{filename}here.md">here</a>'
    [problem] = missing_targets("essays/a.md", html, lambda target: target == "essays/here.md")
    assert problem.startswith("essays/a.md: the link {filename}gone.md points at essays/gone.md")


def test_a_missing_image_or_attachment_is_reported_too():
    html = '<img alt="" src="{static}/images/gone.png"><a href="{attach}../files/b.pdf">b</a>'
    problems = missing_targets("essays/a.md", html, lambda target: False)
    assert [p.split(" points at ")[1].split(",")[0] for p in problems] == [
        "images/gone.png",
        "files/b.pdf",
    ]


def test_a_link_to_a_withheld_essay_says_why():
    html = '<a href="{filename}later.md">later</a>'
    [problem] = links_to_withheld("pages/about.md", html, {"pages/later.md": "a draft"})
    assert "pages/about.md" in problem and "a draft" in problem


# Real builds of a broken copy of the sample content.


def test_a_missing_title_fails_naming_the_file(content_copy, tmp_path):
    essay = content_copy / "essays" / "slack-is-not-waste.md"
    edit(essay, "Title: Slack Is Not Waste\n", "")
    code, output = build_output(content_copy, tmp_path)
    assert code != 0
    assert "slack-is-not-waste.md" in output and "title" in output


@pytest.mark.parametrize("bad_date", ["2026-10-32T08:00:00-07:00", "next Tuesday"])
def test_an_unparsable_date_fails_naming_the_file(content_copy, tmp_path, bad_date):
    essay = content_copy / "essays" / "slack-is-not-waste.md"
    edit(essay, "Date: 2026-10-20T08:00:00-07:00", f"Date: {bad_date}")
    code, output = build_output(content_copy, tmp_path)
    assert code != 0
    assert "slack-is-not-waste.md" in output and bad_date in output


def test_two_essays_with_the_same_slug_fail_naming_both(content_copy, tmp_path):
    essay = content_copy / "essays" / "slack-is-not-waste.md"
    edit(essay, "Slug: slack-is-not-waste", "Slug: feedback-with-a-receipt")
    code, output = build_output(content_copy, tmp_path)
    assert code != 0
    assert "slack-is-not-waste.md" in output and "feedback-with-a-receipt.md" in output


def test_a_broken_filename_link_fails_naming_the_file_that_holds_it(content_copy, tmp_path):
    essay = content_copy / "essays" / "feedback-with-a-receipt.md"
    edit(essay, "{filename}generative-not-competitive.md", "{filename}generative-not-competitve.md")
    code, output = build_output(content_copy, tmp_path)
    assert code != 0
    assert "essays/feedback-with-a-receipt.md" in output
    assert "generative-not-competitve.md" in output


def test_a_missing_image_fails_naming_the_file_that_shows_it(content_copy, tmp_path):
    essay = content_copy / "essays" / "slack-is-not-waste.md"
    essay.write_text(
        essay.read_text("utf-8") + "\n![A chart]({static}/images/utilisation.png)\n", "utf-8"
    )
    code, output = build_output(content_copy, tmp_path)
    assert code != 0
    assert "essays/slack-is-not-waste.md" in output and "images/utilisation.png" in output


def test_a_link_to_a_scheduled_essay_fails_until_it_is_published(content_copy, tmp_path):
    page = content_copy / "pages" / "about.md"
    page.write_text(
        page.read_text("utf-8")
        + "\nComing soon: [The Quiet Quarter]({filename}/essays/the-quiet-quarter.md).\n",
        "utf-8",
    )
    code, output = build_output(content_copy, tmp_path)
    assert code != 0
    assert "pages/about.md" in output and "scheduled for 2026-12-08" in output
