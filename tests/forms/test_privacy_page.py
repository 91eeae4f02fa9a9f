"""The privacy page states what letterpress/privacy.py says, the facts the inbox follows: each
form, what it stores, where, how long and who sees it, and the retention the inbox uses."""

from bs4 import BeautifulSoup

from letterpress.privacy import RETENTION_DAYS, form_facts
from tests.support import ROOT, run_build


def facts_on(page) -> dict[str, list[list[str]]]:
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    return {
        section.h2.get_text(strip=True): [
            [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            for row in section.select("tbody tr")
        ]
        for section in soup.select("article.privacy section")
    }


def expected(days: int) -> dict[str, list[list[str]]]:
    return {
        form.form: [[f.name, f.where, f.kept, f.seen_by] for f in form.fields]
        for form in form_facts(days)
    }


def test_the_privacy_page_states_every_forms_facts(site):
    page = site.page("privacy/")
    assert facts_on(page) == expected(RETENTION_DAYS)
    assert f"{RETENTION_DAYS} days" in page.read_text("utf-8")


def test_changing_the_retention_setting_changes_the_page(tmp_path):
    """The inbox reads LETTERPRESS_RETENTION_DAYS; a build that sees it says the same."""
    output = tmp_path / "output"
    env = {"LETTERPRESS_RETENTION_DAYS": "45"}
    built = run_build(ROOT / "content", output, tmp_path / "build", env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    page = output / "privacy" / "index.html"
    assert facts_on(page) == expected(45)
    html = page.read_text("utf-8")
    assert "45 days" in html and f"{RETENTION_DAYS} days" not in html
