"""letterpress/seo.py: canonical URLs, social tags, JSON-LD and the sitemap, without Pelican."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from letterpress.seo import (
    DEFAULT_CANONICAL_BASE,
    SITEMAP_NAMESPACE,
    PageFacts,
    SeoSettingError,
    SitemapEntry,
    absolute_url,
    article_json_ld,
    canonical_base,
    choose_canonical_base,
    json_for_script,
    robots_txt,
    sitemap_entries,
    sitemap_xml,
    social_meta,
    url_path_for_file,
    w3c_datetime,
)

PACIFIC = ZoneInfo("America/Los_Angeles")
PUBLISHED = dt.datetime(2026, 9, 14, 8, 0, tzinfo=PACIFIC)
ESSAY = PageFacts(
    title="Why Organizations Should Be Generative",
    description="The pie, and who makes it.",
    url="https://example.org/essays/2026/09/generative/",
    site_name="Generative Leadership",
    is_essay=True,
    published=PUBLISHED,
    author="Miriam Okafor",
    section="Leadership",
)


def test_the_configured_canonical_url_wins():
    assert choose_canonical_base("https://a.example/", "https://b.example") == "https://a.example"


def test_an_absolute_siteurl_is_used_when_no_canonical_url_is_set():
    assert choose_canonical_base(None, "https://b.example/") == "https://b.example"


def test_relative_siteurl_falls_back_to_the_placeholder_domain():
    assert choose_canonical_base("", "") == DEFAULT_CANONICAL_BASE
    assert choose_canonical_base(None, "../..") == DEFAULT_CANONICAL_BASE


@pytest.mark.parametrize(
    "bad", ["", "letterpress.example", "/essays", "ftp://x.example", "https://"]
)
def test_a_canonical_url_that_is_not_absolute_http_is_refused_by_name(bad):
    with pytest.raises(SeoSettingError, match="SITE_CANONICAL_URL"):
        canonical_base(bad)


def test_a_bad_siteurl_is_reported_as_siteurl():
    with pytest.raises(SeoSettingError, match="SITEURL"):
        choose_canonical_base(None, "https://")


def test_canonical_url_keeps_a_sub_path():
    assert canonical_base("https://example.org/blog/") == "https://example.org/blog"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("essays/2026/09/slug/", "https://example.org/essays/2026/09/slug/"),
        ("/about/", "https://example.org/about/"),
        ("", "https://example.org/"),
        ("https://elsewhere.example/x", "https://elsewhere.example/x"),
    ],
)
def test_absolute_url(path, expected):
    assert absolute_url("https://example.org", path) == expected


@pytest.mark.parametrize(
    ("output_file", "url_path"),
    [
        ("index.html", ""),
        ("essays/index.html", "essays/"),
        ("category/practice/page/2/index.html", "category/practice/page/2/"),
        ("404.html", "404.html"),
    ],
)
def test_a_written_file_is_canonical_at_its_served_address(output_file, url_path):
    assert url_path_for_file(output_file) == url_path


def test_an_essay_is_an_open_graph_article_with_its_dates():
    tags = {key: (attribute, content) for attribute, key, content in social_meta(ESSAY)}
    assert tags["og:type"] == ("property", "article")
    assert tags["og:url"] == ("property", ESSAY.url)
    assert tags["og:site_name"] == ("property", "Generative Leadership")
    assert tags["article:published_time"] == ("property", "2026-09-14T08:00:00-07:00")
    assert tags["article:section"] == ("property", "Leadership")
    assert tags["twitter:card"] == ("name", "summary")
    assert "twitter:title" not in tags, "og:title serves Twitter too; the page carries it once"
    # Never modified: no modified time rather than an empty one.
    assert "article:modified_time" not in tags


def test_a_listing_is_an_open_graph_website_without_article_tags():
    listing = PageFacts("All essays", "Every essay", "https://example.org/essays/", "Site")
    keys = [key for _, key, _ in social_meta(listing)]
    assert ("og:type", "website") in [(k, c) for _, k, c in social_meta(listing)]
    assert not [key for key in keys if key.startswith("article:")]


def test_article_json_ld_has_the_properties_search_engines_require():
    data = article_json_ld(ESSAY)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["headline"] == ESSAY.title
    assert data["description"] == ESSAY.description
    assert data["datePublished"] == "2026-09-14T08:00:00-07:00"
    # Without a modified date, the essay was last changed when it was published.
    assert data["dateModified"] == data["datePublished"]
    assert data["author"] == {"@type": "Person", "name": "Miriam Okafor"}
    assert data["url"] == ESSAY.url
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": ESSAY.url}


def test_article_json_ld_uses_the_modified_date():
    modified = dt.datetime(2026, 10, 1, 9, 30, tzinfo=PACIFIC)
    data = article_json_ld(PageFacts(**{**ESSAY.__dict__, "modified": modified}))
    assert data["dateModified"] == "2026-10-01T09:30:00-07:00"


def test_article_json_ld_needs_a_publication_date():
    with pytest.raises(ValueError, match=ESSAY.url):
        article_json_ld(PageFacts(**{**ESSAY.__dict__, "published": None}))


def test_json_for_a_script_cannot_close_the_script_and_still_means_the_same():
    data = {"headline": "Ends </script><script>alert(1)</script> & <!-- here", "n": "é"}
    text = json_for_script(data)
    assert "</" not in text
    assert "<!--" not in text
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data


def test_sitemap_entries_are_absolute_unique_and_keep_the_latest_date():
    early = dt.datetime(2026, 9, 1, tzinfo=PACIFIC)
    late = dt.datetime(2026, 10, 1, tzinfo=PACIFIC)
    entries = sitemap_entries(
        "https://example.org",
        [("tag/teams/", early), ("about/", None), ("tag/teams/", late), ("tag/teams/", None)],
    )
    assert entries == [
        SitemapEntry("https://example.org/about/", None),
        SitemapEntry("https://example.org/tag/teams/", late),
    ]


def test_sitemap_xml_is_a_sitemaps_org_urlset():
    entries = [
        SitemapEntry("https://example.org/a?x=1&y=2", dt.datetime(2026, 9, 14, 8, tzinfo=PACIFIC)),
        SitemapEntry("https://example.org/b/", None),
    ]
    root = etree.fromstring(sitemap_xml(entries))
    ns = {"s": SITEMAP_NAMESPACE}
    assert root.tag == f"{{{SITEMAP_NAMESPACE}}}urlset"
    assert root.xpath("s:url/s:loc/text()", namespaces=ns) == [e.loc for e in entries]
    assert root.xpath("s:url/s:lastmod/text()", namespaces=ns) == ["2026-09-14T08:00:00-07:00"]


def test_w3c_datetime_gives_only_the_day_when_the_time_zone_is_unknown():
    assert w3c_datetime(dt.datetime(2026, 9, 14, 8, 0)) == "2026-09-14"
    assert w3c_datetime(dt.datetime(2026, 9, 14, 8, 0, 5, 99, tzinfo=dt.UTC)) == (
        "2026-09-14T08:00:05+00:00"
    )


def test_robots_txt_lets_crawlers_in_and_names_the_sitemap():
    text = robots_txt("https://example.org/sitemap.xml")
    lines = text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: https://example.org/sitemap.xml" in lines
