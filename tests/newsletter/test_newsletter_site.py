"""The newsletter in the real sample build: web issues, e-mail parts, and the tasks around them."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from letterpress.newsletter import check_issue, read_issue, under_check
from tests.support import CHROMIUM, NODE_MODULES, build_env, require_tool, run_build, run_invoke

SITE_URL = "https://letterpress.example"
SAMPLE_MONTHS = ["2026-09", "2026-10", "2026-11"]
ESSAY_MONTHS = {
    "generative-not-competitive": "2026-09",
    "the-meeting-after-the-meeting": "2026-09",
    "feedback-with-a-receipt": "2026-10",
    "slack-is-not-waste": "2026-10",
    "hiring-for-the-team-you-will-need": "2026-11",
    "what-a-founder-owes-the-first-ten": "2026-11",
}


def issue_dir(site, month):
    return site.build / "newsletter" / month


def record(site, month):
    return json.loads((issue_dir(site, month) / "issue.json").read_text("utf-8"))


def invoke(*args, build):
    """A newsletter task on the pinned test day, writing its e-mail parts under `build`."""
    return run_invoke(*args, env=build_env(build))


def test_the_sample_site_has_an_issue_for_each_month_with_essays_or_a_note(site):
    built = sorted(p.name for p in (site.build / "newsletter").iterdir() if p.is_dir())
    assert built == SAMPLE_MONTHS
    for month in SAMPLE_MONTHS:
        assert {"email.html", "email.txt", "issue.json"} <= {
            p.name for p in issue_dir(site, month).iterdir()
        }


def test_each_sample_essay_is_in_its_own_months_issue_only(site):
    for slug, month in ESSAY_MONTHS.items():
        holding = [
            m
            for m in SAMPLE_MONTHS
            if any(slug in item["url"] for item in record(site, m)["items"])
        ]
        assert holding == [month], slug


def test_the_scheduled_essay_is_in_no_issue_form(site):
    for month in SAMPLE_MONTHS:
        folder = issue_dir(site, month)
        for name in ("email.html", "email.txt", "issue.json"):
            assert "the-quiet-quarter" not in (folder / name).read_text("utf-8")
        web = site.page(f"newsletter/{month[:4]}/{month[5:]}/").read_text("utf-8")
        assert "the-quiet-quarter" not in web


def test_the_september_issue_quotes_the_authors_reply_from_the_sample_thread(site):
    threads = [i for i in record(site, "2026-09")["items"] if i["kind"] == "thread"]
    assert [t["url"].split("/")[-2] for t in threads] == ["generative-not-competitive"]
    assert threads[0]["comments"] >= 2
    soup = BeautifulSoup((issue_dir(site, "2026-09") / "email.html").read_text("utf-8"), "lxml")
    assert soup.find("h2", string="From the comments")
    reply = soup.find("a", string="Read the conversation")
    assert re.search(r"/generative-not-competitive/#comment-[0-9a-z-]+$", reply["href"])
    assert "Miriam Okafor, replying" in reply.parent.get_text()
    assert soup.find("blockquote").get_text(strip=True)
    # Comments on September's thread are not November's news.
    assert not [i for i in record(site, "2026-11")["items"] if i["kind"] == "thread"]


def test_issue_json_has_month_subject_preheader_items_and_hash(site):
    november = record(site, "2026-11")
    assert november["month"] == "2026-11"
    assert november["subject"] == "What we owe the people who were there first"
    assert november["preheader"].startswith("Two essays on building a team")
    assert november["url"] == f"{SITE_URL}/newsletter/2026/11/"
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", november["hash"])
    assert {"essay", "workshop"} <= {item["kind"] for item in november["items"]}
    october = record(site, "2026-10")  # no note: the defaults
    assert october["subject"].startswith("October 2026: ")
    assert october["preheader"]


def test_the_sample_e_mails_are_under_60_kb(site):
    for month in SAMPLE_MONTHS:
        size = (issue_dir(site, month) / "email.html").stat().st_size
        assert size < 60 * 1024, f"{month}: {size} bytes"


def test_email_html_has_inlined_styles_and_only_media_rules_in_style(site):
    soup = BeautifulSoup((issue_dir(site, "2026-11") / "email.html").read_text("utf-8"), "lxml")
    styles = soup.find_all("style")
    assert styles, "the @media rules for phones and dark mode are kept"
    for style in styles:
        without_media = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", style.string)
        assert without_media.strip() == ""
    for tag in soup.find_all(["td", "h1", "h2", "h3", "p", "a"]):
        assert tag.get("style"), f"<{tag.name}> has no inline style"
    assert not soup.find("link", rel="stylesheet")


def test_email_html_is_one_column_600px_with_the_parts_mail_clients_need(site):
    soup = BeautifulSoup((issue_dir(site, "2026-11") / "email.html").read_text("utf-8"), "lxml")
    container = soup.find("table", class_="container")
    assert container["width"] == "600" and "max-width: 600px" in container["style"]
    assert soup.find("meta", attrs={"name": "color-scheme"})["content"] == "light dark"
    first = soup.body.find(True)
    assert "display: none" in first["style"]
    assert first.get_text(" ", strip=True).startswith("Two essays on building a team")
    web = soup.find("a", string="Read it on the web")
    assert web["href"] == f"{SITE_URL}/newsletter/2026/11/"
    for image in soup.find_all("img"):
        assert image.get("alt") and image.get("width") and image.get("height")
        assert image["src"].startswith(SITE_URL + "/")
    for link in soup.find_all("a"):
        assert link["href"].startswith(("https://", "*|")), link["href"]
    text = soup.get_text(" ")
    assert "*|HTML:LIST_ADDRESS_HTML|*" in text
    assert {"*|UNSUB|*", "*|UPDATE_PROFILE|*"} <= {a["href"] for a in soup.find_all("a")}


# What e-mail needs and HTML validators do not know: Mailchimp's merge tags as link targets, and
# Outlook's property for hiding the preheader.
EMAIL_ISMS = re.compile(r"Bad value “\*\|[A-Z_:]+\|\*” for attribute “href”|“mso-hide”")


def test_email_html_is_valid_html_apart_from_what_mail_needs(site):
    vnu = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    require_tool(
        shutil.which("java") is not None, "Java", "apt-get install -y default-jre-headless"
    )
    require_tool(vnu.is_file(), "The Nu HTML Checker (vnu.jar)", "run npm ci (make test does)")
    emails = [str(issue_dir(site, month) / "email.html") for month in SAMPLE_MONTHS]
    result = subprocess.run(
        ["java", "-jar", str(vnu), "--errors-only", *emails],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = [line for line in result.stderr.splitlines() if line.strip()]
    assert messages, "the merge tags are expected to be reported"
    assert [m for m in messages if not EMAIL_ISMS.search(m)] == []


def test_email_txt_lines_fit_in_72_columns(site):
    for month in SAMPLE_MONTHS:
        lines = (issue_dir(site, month) / "email.txt").read_text("utf-8").splitlines()
        assert max(len(line) for line in lines) <= 72, month


def test_the_web_issues_and_archive_are_in_the_site_theme(site):
    november = BeautifulSoup(site.page("newsletter/2026/11/").read_text("utf-8"), "lxml")
    assert november.h1.get_text() == "What we owe the people who were there first"
    assert november.find("link", rel="stylesheet"), "the site's own stylesheet"
    assert "Dear reader" in november.get_text()
    archive = BeautifulSoup(site.page("newsletter/").read_text("utf-8"), "lxml")
    listed = [a["href"] for a in archive.select(".nl-archive a")]
    assert [h.rstrip("/").split("/")[-2:] for h in listed] == [
        ["2026", "11"],
        ["2026", "10"],
        ["2026", "09"],
    ]
    home = BeautifulSoup(site.page("").read_text("utf-8"), "lxml")
    assert home.select_one("nav li a[href$='newsletter/']").get_text() == "Newsletter"


def test_the_pre_flight_passes_on_every_sample_issue(site):
    for month in SAMPLE_MONTHS:
        issue = read_issue(issue_dir(site, month))
        assert check_issue(under_check(issue, site.output, SITE_URL)) == [], month


def test_newsletter_check_exits_non_zero_with_the_list_of_problems(site, tmp_path):
    shutil.copytree(site.build / "newsletter", tmp_path / "newsletter")
    email = tmp_path / "newsletter" / "2026-11" / "email.html"
    html = email.read_text("utf-8").replace("*|UNSUB|*", "https://example.org/unsubscribe")
    email.write_text(html.replace("</body>", "<script>1</script></body>"), "utf-8")
    good = invoke("newsletter.check", "2026-10", "--output", str(site.output), build=tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "passes all" in good.stdout
    bad = invoke("newsletter.check", "2026-11", "--output", str(site.output), build=tmp_path)
    assert bad.returncode != 0
    assert "[merge-tags] the merge tag *|UNSUB|* is missing" in bad.stdout
    assert "[script]" in bad.stdout
    assert "2 problem(s)" in bad.stderr


def test_newsletter_check_names_a_month_without_an_issue(site):
    result = invoke("newsletter.check", "2026-07", "--output", str(site.output), build=site.build)
    assert result.returncode != 0
    assert "No 2026-07 issue" in result.stderr


def test_a_broken_note_stops_the_build_naming_the_file(content_copy, tmp_path):
    (content_copy / "newsletters" / "2026-10.md").write_text("Subjet: Oops\n\nBody\n", "utf-8")
    result = run_build(content_copy, tmp_path / "output", tmp_path / "build")
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "newsletters/2026-10.md, line 1: unknown field 'Subjet'" in said


def png_width(path: Path) -> int:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big")


@pytest.mark.browser
def test_newsletter_preview_pictures_the_email_at_phone_and_desktop_width(site, tmp_path):
    require_tool(Path(CHROMIUM).exists(), "Chromium", "apt-get install -y chromium")
    shutil.copytree(site.build / "newsletter", tmp_path / "newsletter")
    result = invoke("newsletter.preview", "2026-11", "--output", str(site.output), build=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    paths = [Path(line) for line in result.stdout.split()]
    folder = tmp_path / "newsletter" / "2026-11"
    assert paths == [folder / "preview-375.png", folder / "preview-700.png"]
    assert [png_width(p) for p in paths] == [375, 700]
