"""Fixtures for the SEO tests: the sample essays by status, and a build with publishconf.py."""

import pytest

from tests.seo.seo_helpers import HOSTILE_ESSAY, PUBLISHED_SITE_URL, EssaySource, read_all_essays
from tests.support import copy_content, run_build


@pytest.fixture(scope="session")
def essays() -> list[EssaySource]:
    return read_all_essays()


@pytest.fixture(scope="session")
def published_essays(essays) -> list[EssaySource]:
    published = [essay for essay in essays if not essay.scheduled]
    assert published, "the sample content has no published essay to check"
    return published


@pytest.fixture(scope="session")
def scheduled_essays(essays) -> list[EssaySource]:
    scheduled = [essay for essay in essays if essay.scheduled]
    assert scheduled, "the sample content has no scheduled essay to check"
    return scheduled


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    """The sample site built with publishconf.py for PUBLISHED_SITE_URL, plus an essay whose title
    tries to break out of the JSON-LD script."""
    base = tmp_path_factory.mktemp("published-site")
    content = copy_content(base / "content")
    (content / "essays" / "hostile-title.md").write_text(HOSTILE_ESSAY, encoding="utf-8")
    output = base / "output"
    result = run_build(
        content,
        output,
        base / "build",
        settings="publishconf.py",
        env={"SITEURL": PUBLISHED_SITE_URL},
    )
    assert result.returncode == 0, f"published build failed:\n{result.stdout}\n{result.stderr}"
    return output
