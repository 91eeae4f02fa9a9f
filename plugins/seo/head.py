"""What seo_head.html writes into <head>, worked out from the page's template context."""

from dataclasses import dataclass, field

from jinja2 import pass_context
from markupsafe import Markup
from pelican.contents import Article

from letterpress.seo import (
    PageFacts,
    absolute_url,
    article_json_ld,
    json_for_script,
    social_meta,
    url_path_for_file,
)


@dataclass(frozen=True)
class SeoHead:
    canonical: str = ""
    noindex: bool = False
    meta: list[tuple[str, str, str]] = field(default_factory=list)
    json_ld: Markup | None = None


def _plain(html) -> str:
    return Markup(str(html or "")).striptags()


def listing_title(context, url_path: str) -> str:
    """The title of a page that lists essays, matching what its template shows."""
    settings_urls = {
        "": context["SITENAME"],
        context.get("ARCHIVES_URL"): "All essays",
        context.get("CATEGORIES_URL"): "Essays by category",
        context.get("TAGS_URL"): "Essays by tag",
    }
    if context.get("category"):
        return f"Essays in {context['category']}"
    if context.get("tag"):
        return f"Essays tagged “{context['tag']}”"
    if context.get("period"):
        return "Essays from " + " ".join(str(part) for part in reversed(context["period"]))
    return settings_urls.get(url_path, context["SITENAME"])


def page_facts(context, base: str) -> tuple[PageFacts, bool]:
    """The facts about the page being rendered, and whether it is hidden (such as the 404 page)."""
    item = context.get("article") or context.get("page")
    url_path = url_path_for_file(context.get("output_file", ""))
    site_name = context["SITENAME"]
    if item is None or not hasattr(item, "title"):
        facts = PageFacts(
            title=listing_title(context, url_path),
            description=context.get("SITESUBTITLE") or site_name,
            url=absolute_url(base, url_path),
            site_name=site_name,
        )
        return facts, False
    is_essay = isinstance(item, Article)
    facts = PageFacts(
        title=_plain(item.title),
        description=_plain(getattr(item, "summary", "")) or context.get("SITESUBTITLE", ""),
        url=absolute_url(base, item.url),
        site_name=site_name,
        is_essay=is_essay,
        published=getattr(item, "date", None) if is_essay else None,
        modified=getattr(item, "modified", None) if is_essay else None,
        author=str(getattr(item, "author", "") or context.get("AUTHOR", "")),
        section=str(getattr(item, "category", "") or ""),
    )
    return facts, getattr(item, "status", "") == "hidden"


def make_seo_head(base: str):
    """A template global: `seo_head()` inside a template returns that page's SeoHead."""

    @pass_context
    def seo_head(context) -> SeoHead:
        facts, hidden = page_facts(context, base)
        if hidden:
            # A hidden page (the 404 page is served at any address) has no address of its own.
            return SeoHead(noindex=True)
        json_ld = Markup(json_for_script(article_json_ld(facts))) if facts.is_essay else None
        return SeoHead(canonical=facts.url, meta=social_meta(facts), json_ld=json_ld)

    return seo_head
