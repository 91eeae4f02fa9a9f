"""The built sample site tells search engines and link previews the right things."""

import json

import pytest
from lxml import etree

from letterpress.seo import DEFAULT_CANONICAL_BASE, SITEMAP_NAMESPACE
from tests.seo.seo_helpers import HOSTILE_HEADLINE, PUBLISHED_SITE_URL, soup
from tests.support import run_build

NS = {"s": SITEMAP_NAMESPACE}
PAGES = ("about", "subscribe", "further-information")
JSON_LD_REQUIRED = (
    "headline",
    "datePublished",
    "dateModified",
    "author",
    "url",
    "mainEntityOfPage",
    "description",
)


def sitemap_locs(output) -> list[str]:
    root = etree.parse(str(output / "sitemap.xml")).getroot()
    assert root.tag == f"{{{SITEMAP_NAMESPACE}}}urlset"
    return root.xpath("s:url/s:loc/text()", namespaces=NS)


def head_of(path):
    return soup(path).head


def json_ld(head) -> list[dict]:
    return [json.loads(s.string) for s in head.find_all("script", type="application/ld+json")]


# -- sitemap.xml and robots.txt ----------------------------------------------------------------


def test_sitemap_lists_every_published_essay_at_its_absolute_url(site, published_essays):
    locs = sitemap_locs(site.output)
    for essay in published_essays:
        assert f"{DEFAULT_CANONICAL_BASE}/{essay.url}" in locs, essay.slug


def test_sitemap_leaves_out_scheduled_essays(site, scheduled_essays):
    text = (site.output / "sitemap.xml").read_text(encoding="utf-8")
    for essay in scheduled_essays:
        assert essay.slug not in text


def test_sitemap_lists_pages_and_listings_but_not_the_404_page(site):
    locs = sitemap_locs(site.output)
    listings = ("", "essays/", "category/", "tag/", "category/leadership/", "tag/rest/")
    for path in [f"{slug}/" for slug in PAGES] + list(listings):
        assert f"{DEFAULT_CANONICAL_BASE}/{path}" in locs
    assert not [loc for loc in locs if "404" in loc]


def test_every_sitemap_url_is_a_page_that_was_written(site):
    for loc in sitemap_locs(site.output):
        assert loc.startswith(DEFAULT_CANONICAL_BASE + "/")
        path = loc.removeprefix(DEFAULT_CANONICAL_BASE + "/")
        assert site.page(path).is_file(), f"{loc} is in the sitemap but {path} was not built"


def test_sitemap_dates_come_from_the_essays(site, published_essays):
    root = etree.parse(str(site.output / "sitemap.xml")).getroot()
    lastmod = {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in root.findall("s:url", NS)
    }
    for essay in published_essays:
        assert lastmod[f"{DEFAULT_CANONICAL_BASE}/{essay.url}"] == essay.date.isoformat()
    newest = max(essay.date for essay in published_essays)
    assert lastmod[f"{DEFAULT_CANONICAL_BASE}/"] == newest.isoformat()


def test_robots_txt_points_to_the_sitemap(site):
    lines = (site.output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {DEFAULT_CANONICAL_BASE}/sitemap.xml" in lines


# -- <head> of each essay ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def essay_heads(site, published_essays):
    return [(essay, head_of(site.page(essay.url))) for essay in published_essays]


def test_each_essay_has_one_absolute_canonical_link(essay_heads):
    for essay, head in essay_heads:
        links = head.find_all("link", rel="canonical")
        assert [link["href"] for link in links] == [f"{DEFAULT_CANONICAL_BASE}/{essay.url}"]


def test_each_essay_has_open_graph_and_twitter_tags(essay_heads):
    for essay, head in essay_heads:
        og = {m["property"]: m["content"] for m in head.find_all("meta", property=True)}
        tw = {m["name"]: m["content"] for m in head.find_all("meta", attrs={"name": True})}
        assert og["og:type"] == "article"
        assert og["og:title"] == essay.title
        assert og["og:url"] == f"{DEFAULT_CANONICAL_BASE}/{essay.url}"
        assert og["og:site_name"]
        assert og["og:description"]
        assert og["article:published_time"] == essay.date.isoformat()
        assert tw["twitter:card"] == "summary"
        assert "twitter:title" not in tw  # read from og:title


def test_each_essay_has_a_schema_org_article(essay_heads):
    for essay, head in essay_heads:
        [article] = json_ld(head)
        assert article["@context"] == "https://schema.org"
        assert article["@type"] == "Article"
        missing = [key for key in JSON_LD_REQUIRED if not article.get(key)]
        assert not missing, f"{essay.slug}: JSON-LD lacks {missing}"
        assert article["headline"] == essay.title
        assert article["datePublished"] == essay.date.isoformat()
        assert article["author"] == {"@type": "Person", "name": "Miriam Okafor"}
        url = f"{DEFAULT_CANONICAL_BASE}/{essay.url}"
        assert article["url"] == url
        assert article["mainEntityOfPage"]["@id"] == url


def test_pages_and_listings_are_websites_without_article_json_ld(site):
    for path in ("", "essays/", "about/", "category/leadership/"):
        head = head_of(site.page(path))
        [canonical] = head.find_all("link", rel="canonical")
        assert canonical["href"] == f"{DEFAULT_CANONICAL_BASE}/{path}"
        assert head.find("meta", property="og:type")["content"] == "website"
        assert not json_ld(head)


def test_the_404_page_is_not_indexed_and_claims_no_address(site):
    head = head_of(site.output / "404.html")
    assert head.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert not head.find_all("link", rel="canonical")


# -- a published build (publishconf.py) --------------------------------------------------------


def test_a_published_build_uses_siteurl_everywhere(published_site, published_essays):
    locs = sitemap_locs(published_site)
    assert locs and all(loc.startswith(PUBLISHED_SITE_URL + "/") for loc in locs)
    robots = (published_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {PUBLISHED_SITE_URL}/sitemap.xml" in robots.splitlines()
    essay = published_essays[0]
    head = head_of(published_site / essay.url / "index.html")
    assert head.find("link", rel="canonical")["href"] == f"{PUBLISHED_SITE_URL}/{essay.url}"


def test_a_title_cannot_break_out_of_the_json_ld_script(published_site):
    page = soup(published_site / "essays/2026/10/hostile-title/index.html")
    # The theme's own scripts load from files; the only inline script is the JSON-LD.
    inline = [s for s in page.find_all("script") if not s.has_attr("src")]
    assert len(inline) == 1, "the title opened or closed a script element"
    [article] = json_ld(page.head)
    assert article["headline"] == HOSTILE_HEADLINE
    assert "</script>" in article["description"]
    og = {m["property"]: m["content"] for m in page.head.find_all("meta", property=True)}
    assert og["og:title"] == HOSTILE_HEADLINE
    assert og["og:description"] == 'A "quoted" summary with </script> in it.'


def test_a_site_address_that_is_not_absolute_stops_the_build(tmp_path, content_copy):
    result = run_build(
        content_copy,
        tmp_path / "output",
        tmp_path / "build",
        settings="publishconf.py",
        env={"SITEURL": "essays.example.org"},
    )
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "SITEURL in the environment: must be an http:// or https:// address" in said
