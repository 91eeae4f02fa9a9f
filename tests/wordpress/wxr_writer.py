"""Small WordPress exports written for a test: posts (and attachments) as dicts, WXR 1.2 out."""

from pathlib import Path

from lxml import etree

WP = "http://wordpress.org/export/1.2/"
NS = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": WP,
}
SITE = "https://old-blog.example"


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _field(xf, tag: str, text: str) -> None:
    # Escaped text, not CDATA: lxml 6.1's xmlfile crashes on a CDATA section ending in ']'.
    with xf.element(tag):
        xf.write(text)


def write_export(path: Path, posts: list[dict]) -> Path:
    """Each post: id, name, title, content; optional type (post), status (publish), date_gmt,
    date, pub_date, parent, attachment_url, excerpt, alt, comments (list of dicts)."""
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("rss", version="2.0", nsmap=NS), xf.element("channel"):
            _field(xf, "title", "Test Blog")
            _field(xf, "link", SITE)
            _field(xf, _q("wp", "wxr_version"), "1.2")
            _field(xf, _q("wp", "base_site_url"), SITE)
            with xf.element(_q("wp", "author")):
                _field(xf, _q("wp", "author_id"), "1")
                _field(xf, _q("wp", "author_login"), "writer")
                _field(xf, _q("wp", "author_display_name"), "The Writer")
            for post in posts:
                _item(xf, post)
    return path


def _item(xf, post: dict) -> None:
    with xf.element("item"):
        _field(xf, "title", post.get("title", post["name"]))
        _field(xf, "link", post.get("link", f"{SITE}/{post['name']}/"))
        if "pub_date" in post:
            _field(xf, "pubDate", post["pub_date"])
        _field(xf, _q("dc", "creator"), "writer")
        _field(xf, _q("content", "encoded"), post.get("content", ""))
        _field(xf, _q("excerpt", "encoded"), post.get("excerpt", ""))
        _field(xf, _q("wp", "post_id"), str(post["id"]))
        _field(xf, _q("wp", "post_date"), post.get("date", "2020-05-01 09:00:00"))
        _field(xf, _q("wp", "post_date_gmt"), post.get("date_gmt", "2020-05-01 16:00:00"))
        _field(xf, _q("wp", "post_name"), post["name"])
        _field(xf, _q("wp", "status"), post.get("status", "publish"))
        _field(xf, _q("wp", "post_parent"), str(post.get("parent", 0)))
        _field(xf, _q("wp", "post_type"), post.get("type", "post"))
        _field(xf, _q("wp", "post_password"), post.get("password", ""))
        if post.get("attachment_url"):
            _field(xf, _q("wp", "attachment_url"), post["attachment_url"])
        if post.get("alt"):
            with xf.element(_q("wp", "postmeta")):
                _field(xf, _q("wp", "meta_key"), "_wp_attachment_image_alt")
                _field(xf, _q("wp", "meta_value"), post["alt"])
        for slug, name in post.get("categories", [("notes", "Notes")]):
            with xf.element("category", domain="category", nicename=slug):
                xf.write(name)
        for slug, name in post.get("tags", []):
            with xf.element("category", domain="post_tag", nicename=slug):
                xf.write(name)
        for comment in post.get("comments", []):
            with xf.element(_q("wp", "comment")):
                for key in ("id", "author", "author_email", "author_url", "author_IP", "date_gmt",
                            "content", "approved", "type", "parent", "user_id"):  # fmt: skip
                    default = {"approved": "1", "type": "comment", "parent": "0", "user_id": "0",
                               "date_gmt": "2020-05-02 10:00:00"}.get(key, "")  # fmt: skip
                    _field(xf, _q("wp", f"comment_{key}"), str(comment.get(key, default)))
