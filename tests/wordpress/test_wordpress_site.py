"""Moving in from WordPress, end to end: two hand-written exports (WXR 1.2 with https://
namespaces, WXR 1.1 with http://) imported by `invoke import.wordpress` into a copy of the sample
content, built once with Pelican, and read back: essays, drafts, threads, privacy, redirects."""

import csv
import itertools
import posixpath
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from tests.support import Site, copy_content, files_holding, run_build, run_invoke

EXPORTS = Path(__file__).parent / "exports"
LISTENING = "essays/2015/03/listening-before-deciding/"
EMAILS = [
    "band-member@mail.example",
    "priya-n@mail.example",
    "owner-address@old-blog.example",
    "Owner-Address@old-blog.example",
    "oskar.l@mail.example",
    "pending-person@mail.example",
    "spammer@spam.example",
    "trashed-person@mail.example",
    "hana.s@mail.example",
    "zoe.a@mail.example",
    "page-visitor@mail.example",
    "old-reader@mail.example",
    "guest-writer@old-blog.example",
]
IPS = ["198.51.100.40", "192.0.2.11", "192.0.2.1", "198.51.100.23", "203.0.113.66", "192.0.2.201"]


def import_export(export: Path, content: Path, *flags: str):
    return run_invoke("import.wordpress", str(export), "--content", str(content), *flags)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Both exports imported into the sample content, committed to git, and built once."""
    base = tmp_path_factory.mktemp("wordpress")
    content = copy_content(base / "content")
    runs = [import_export(EXPORTS / name, content) for name in ("rich.xml", "older.xml")]
    for run in runs:
        assert run.returncode == 0, run.stdout + run.stderr
    git = ["git", "-C", str(base), "-c", "user.name=T", "-c", "user.email=t@t.example"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    subprocess.run([*git, "add", "content"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Import"], check=True)
    site = Site(content=content, output=base / "output", build=base / "build")
    built = run_build(site.content, site.output, site.build)
    assert built.returncode == 0, built.stdout + built.stderr
    return site, runs, base


def header(path: Path) -> dict[str, str]:
    head = path.read_text("utf-8").split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in head.splitlines())


def soup_of(site: Site, url: str) -> BeautifulSoup:
    return BeautifulSoup(site.page(url).read_text("utf-8"), "html.parser")


def test_published_posts_become_essays_with_their_metadata(imported):
    site, _, _ = imported
    essay = header(site.content / "essays" / "listening-before-deciding.md")
    assert essay["Title"] == "Listening Before Deciding"
    assert essay["Date"] == "2015-03-10T09:30:00-07:00"  # GMT 16:30 in the site's zone
    assert essay["Modified"] == "2015-04-01T08:00:00-07:00"
    assert essay["Category"] == "Leadership"
    assert essay["Tags"] == "Listening, Small Teams"  # further categories become tags
    assert essay["Summary"] == "Why I ask three people *before* deciding."
    assert essay["Author"] == "Miriam Okafor"
    unicode = header(site.content / "essays" / "reunions-sans-fin.md")
    assert unicode["Title"] == "Réunions sans fin — 会議の話"
    assert unicode["Author"] == "Tomás Reyes"
    assert (
        soup_of(site, "essays/2015/06/reunions-sans-fin/")
        .h1.get_text(strip=True)
        .startswith("Réunions sans fin — 会議の話")
    )
    older = header(site.content / "essays" / "quiet-weeks-and-loud-ones.md")
    assert older["Title"] == "Quiet Weeks & Loud Ones"
    assert site.page("essays/2012/08/quiet-weeks-and-loud-ones/").is_file()


def test_a_duplicate_slug_is_made_unique_and_an_existing_page_is_not_overwritten(imported):
    site, _, _ = imported
    again = header(site.content / "essays" / "listening-before-deciding-2.md")
    assert again["Title"] == "Listening, Again"
    assert site.page("essays/2016/01/listening-before-deciding-2/").is_file()
    # The sample already has an About page: the old one gets about-2, its child page follows.
    assert "Miriam Okafor writes about leadership" in (site.content / "pages/about.md").read_text()
    assert header(site.content / "pages" / "about-2" / "colophon.md")["Slug"] == "about-2/colophon"
    assert "Built, once, with WordPress." in site.page("about-2/colophon/").read_text("utf-8")


@pytest.mark.parametrize(
    "file, why",
    [
        ("next-years-plan.md", "future"),
        ("half-a-thought.md", "draft"),
        ("waiting-for-an-editor.md", "pending"),
    ],
)
def test_unpublished_posts_are_drafts_never_built(imported, file, why):
    site, _, _ = imported
    fields = header(site.content / "essays" / file)
    assert fields["Status"] == "draft", why
    slug = fields["Slug"]
    assert not [p for p in site.output.rglob("*.html") if slug in p.parent.name]
    assert not files_holding(fields["Title"], site.output)


def test_block_editor_markup_captions_and_embeds_become_markdown(imported):
    site, _, _ = imported
    block = (site.content / "essays" / "reunions-sans-fin.md").read_text("utf-8")
    assert "wp:" not in block
    assert "\n\nhttps://vimeo.com/76543210\n\n" in block  # alone on its line, for the player
    assert "## Close the loop" in block
    assert "<figcaption>Every arrow is a <strong>decision</strong>" in block
    classic = (site.content / "essays" / "listening-before-deciding.md").read_text("utf-8")
    assert "\n\nhttps://www.youtube.com/watch?v=Xy7_listen1\n\n" in classic
    assert "<figcaption>The notebook where the rule lives</figcaption>" in classic
    # wpautop: a single newline is a line break inside the paragraph, not a new paragraph.
    assert "quietly undo it.  \nSo I have started" in classic
    # A link to another post's old address now points at its essay file.
    assert "[a later note]({filename}/essays/reunions-sans-fin.md)" in classic
    again = (site.content / "essays" / "listening-before-deciding-2.md").read_text("utf-8")
    assert "\n\nhttps://www.youtube.com/watch?v=Again_Video1\n\n" in again  # [embed]
    assert "\n\nhttps://www.youtube.com/watch?v=Frame-Vid9x\n\n" in again  # <iframe>
    assert '<figure class="gallery gallery-columns-3">' in again
    assert "```\nif heard < 3:\n    wait()\n\ndecide()\n```" in again
    page = soup_of(site, LISTENING)
    assert page.find("figcaption").get_text() == "The notebook where the rule lives"


def test_threads_keep_their_parents_at_every_depth(imported):
    site, _, _ = imported
    page = soup_of(site, LISTENING)
    chain = ["1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008"]
    for parent, child in itertools.pairwise(chain):
        item = page.find("li", id=f"comment-{child}")
        enclosing = item.find_parent("li")
        # Shown under its parent, or (past the deepest level shown) marked as a reply to it.
        answered = item.select_one(f'a[href="#comment-{parent}"]')
        assert enclosing["id"] == f"comment-{parent}" or answered is not None, child
    depth = len(page.find("li", id="comment-1008").find_parents("li"))
    assert depth >= 4
    assert page.find("li", id="comment-1014").find_parent("li") is None  # its parent was spam
    for left_out in ("1010", "1011", "1012", "1013"):  # pending, spam, pingback, trash
        assert page.find(id=f"comment-{left_out}") is None


def test_the_authors_replies_are_marked(imported):
    site, _, _ = imported
    page = soup_of(site, LISTENING)
    marked = {li["id"] for li in page.select("li.by-author")}
    # 1002 and 1008 by user id, 1004 by the author's e-mail address (in another case).
    assert marked == {"comment-1002", "comment-1004", "comment-1008"}
    comment = header(site.content / "comments" / "listening-before-deciding" / "1004.md")
    assert comment["Role"] == "author"


def test_no_commenter_address_or_ip_reaches_files_output_or_git(imported):
    site, _, base = imported
    history = subprocess.run(
        ["git", "-C", str(base), "log", "-p", "--all"], capture_output=True, check=True
    ).stdout
    for secret in EMAILS + IPS:
        assert files_holding(secret, site.content, site.output) == [], secret
        assert secret.encode() not in history
    body = (site.content / "comments" / "listening-before-deciding" / "1006.md").read_text()
    assert "Write to me at (e-mail address removed)" in body
    assert "Url" not in header(site.content / "comments" / "listening-before-deciding" / "1014.md")


@pytest.mark.parametrize(
    "title, words",
    [
        ("Members Only: Salary Bands", ["Only for the people who had the password", "My band is"]),
        ("Notes Only I Should Read", []),
    ],
)
def test_private_and_password_protected_posts_and_their_comments_are_written_nowhere(
    imported, title, words
):
    site, runs, base = imported
    history = subprocess.run(
        ["git", "-C", str(base), "log", "-p", "--all"], capture_output=True, check=True
    ).stdout
    for needle in [title, *words]:
        assert files_holding(needle, site.content, site.output) == [], needle
        assert needle.encode() not in history
    report = re.sub(r"\s+", " ", re.sub("[\u2500-\u257f]", " ", runs[0].stdout + runs[1].stdout))
    assert "password-protected (not imported" in report
    assert "private (not imported" in report
    assert "on private or protected posts 1" in report


def read_redirects(site: Site) -> dict[str, str]:
    with open(site.content / "redirects.csv", encoding="utf-8") as file:
        return {row["from"]: row["to"] for row in csv.DictReader(file)}


def refresh_target(site: Site, page: Path) -> Path:
    html = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    url = re.search(r"url=(.+)$", html.find("meta", attrs={"http-equiv": "refresh"})["content"])
    href = url.group(1)
    assert html.find("a")["href"] == href
    resolved = posixpath.normpath(
        posixpath.join(page.parent.relative_to(site.output).as_posix(), href)
    )
    return site.page(resolved + ("/" if href.endswith("/") else ""))


@pytest.mark.parametrize(
    "old, new",
    [
        ("/2015/03/10/listening-before-deciding/", "essays/2015/03/listening-before-deciding/"),
        (
            "/2015/03/10/listening-before-deciding/feed/",
            "essays/2015/03/listening-before-deciding/",
        ),
        ("/2015/06/02/réunions-sans-fin/", "essays/2015/06/reunions-sans-fin/"),
        (
            "/2016/01/20/listening-before-deciding-again/",
            "essays/2016/01/listening-before-deciding-2/",
        ),
        ("/about/colophon/", "about-2/colophon/"),
        ("/category/leadership/small-teams/", "category/small-teams/"),
        ("/feed/", "feeds/all.rss.xml"),
        ("/comments/feed/", "feeds/comments.rss.xml"),
    ],
)
def test_old_addresses_have_pages_that_lead_to_the_new_ones(imported, old, new):
    site, _, _ = imported
    page = site.page(old)
    assert page.is_file(), old
    assert refresh_target(site, page) == site.page(new)
    canonical = BeautifulSoup(page.read_text("utf-8"), "html.parser").find("link", rel="canonical")
    assert canonical["href"] == "https://letterpress.example/" + new


def test_every_redirect_page_leads_to_a_built_page(imported):
    site, _, _ = imported
    table = read_redirects(site)
    pages = [site.page(unquote(old)) for old in table if "?" not in old]
    written = [p for p in pages if p.is_file() and 'http-equiv="refresh"' in p.read_text()]
    assert len(written) >= 15
    for page in written:
        assert refresh_target(site, page).is_file(), page


def test_a_redirect_never_hides_a_page_of_the_site(imported):
    site, _, _ = imported
    assert read_redirects(site)["/about/"] == "{filename}/pages/about-2.md"
    assert "Miriam Okafor writes about leadership" in site.page("about/").read_text("utf-8")
    rules = (site.output / "_redirects").read_text("utf-8")
    assert "\n/about/ " not in rules
    assert "/tag/listening/ " not in rules  # the same address on both sites: no loop


def test_query_addresses_are_rules_for_netlify_and_nginx(imported):
    site, _, _ = imported
    rules = (site.output / "_redirects").read_text("utf-8").splitlines()
    assert "/ p=101 /essays/2015/03/listening-before-deciding/ 301" in rules
    assert "/ page_id=202 /about-2/colophon/ 301" in rules
    assert "/ p=501 /essays/2012/08/quiet-weeks-and-loud-ones/ 301" in rules
    assert (
        "/2015/03/10/listening-before-deciding/ /essays/2015/03/listening-before-deciding/ 301"
        in rules
    )
    nginx = (site.output / "nginx-redirects.map").read_text("utf-8")
    assert '    "/?p=101" "/essays/2015/03/listening-before-deciding/";' in nginx
    assert '    "/2015/06/02/réunions-sans-fin/" "/essays/2015/06/reunions-sans-fin/";' in nginx
    assert "map $request_uri $letterpress_redirect_query {" in nginx


def test_the_report_counts_what_was_skipped_and_why(imported):
    _, runs, _ = imported
    # The report's tables, read as words: box-drawing characters and wrapping removed.
    report = re.sub(r"\s+", " ", re.sub("[\u2500-\u257f]", " ", runs[0].stdout))
    for line in (
        "pending 1", "spam 1", "pingbacks and trackbacks 1", "trashed 1",
        "on pages (pages take no comments) 1", "menu items 1", "revisions 1", "status trash 1",
    ):  # fmt: skip
        assert line in report, line
    assert "[contact-form-7] x 1" in report
    assert "https://old-blog.example/wp-content/uploads/2014/11/old-chart.png" in report


def test_a_second_import_writes_nothing(imported):
    site, _, _ = imported
    before = {p: p.stat().st_mtime_ns for p in site.content.rglob("*") if p.is_file()}
    again = import_export(EXPORTS / "rich.xml", site.content)
    assert again.returncode == 0, again.stdout + again.stderr
    after = {p: p.stat().st_mtime_ns for p in site.content.rglob("*") if p.is_file()}
    assert after == before
    assert "Redirects: 0 new" in again.stdout
