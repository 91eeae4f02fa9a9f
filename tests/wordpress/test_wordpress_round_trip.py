"""HTML that reads as it did: one row per construct, WordPress's HTML against our built essay.

Every row becomes a post of one export, written for this test; the export is imported into a
copy of the sample content with `invoke import.wordpress` and built once with `invoke build`
(which stops on any warning). Each essay's body is then compared with what WordPress showed,
both sides normalised the same way (`normalise`): whitespace outside <pre> collapsed, attributes
sorted, and what is only styling dropped (WordPress's own classes such as size-medium, the
highlighter's wrapper around code). `expected` is None when it is the WordPress HTML itself; a
shortcode row gives the HTML WordPress renders for it, in substance.
"""

import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment, NavigableString

from tests.support import copy_content, run_build, run_invoke
from tests.wordpress.wxr_writer import write_export

MEDIA = "https://media.example"
# (name, WordPress HTML, expected HTML or None for the same)
ROWS = [
    ("nested-lists", "<ul><li>one<ul><li>two<ul><li>three</li></ul></li></ul></li><li>four</li></ul>", None),  # noqa: E501
    ("ordered-start", '<ol start="8"><li>eight</li><li>nine<ol><li>nine a</li></ol></li></ol>', None),  # noqa: E501
    ("two-lists", "<ul><li>bullet</li></ul><ol><li>number</li></ol>", None),
    ("definition-list", "<dl><dt>#word</dt><dd>a tag, not a heading</dd><dt>1. item</dt><dd>a term</dd></dl>", None),  # noqa: E501
    ("del", "<p>It was <del>wrong</del> right.</p>", None),
    ("s", "<p><s>old price</s> new price</p>", None),
    ("strike", "<p><strike>old price</strike> new price</p>", "<p><s>old price</s> new price</p>"),
    ("ins", '<p><ins datetime="2020-01-01">added later</ins></p>', None),
    ("sub", "<p>H<sub>2</sub>O</p>", None),
    ("sup", "<p>E = MC<sup>2</sup></p>", None),
    ("abbr", '<p><abbr title="HyperText Markup Language">HTML</abbr> again</p>', None),
    ("kbd", "<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd></p>", None),
    ("var", "<p>Let <var>x</var> be large.</p>", None),
    ("q", '<p>She said <q cite="https://example.org/">hello</q>.</p>', None),
    ("u", "<p><u>underlined</u> words</p>", None),
    ("pre", "<pre>def f():\n    return 1\n\n\nprint(f())  # two blank lines above</pre>", None),
    ("pre-markup", "<pre>plain <strong>bold</strong>\n  indented</pre>", None),
    ("code-lines", "<p><code>line one<br />\n  line two</code></p>", None),
    ("table", '<table><thead><tr><th>a | b</th><th><em>x</em></th></tr></thead><tbody><tr><td>1 | 2</td><td><a href="https://example.org/">y</a> <code>|</code></td></tr></tbody></table>', None),  # noqa: E501
    ("table-lists", "<table><tbody><tr><td><ul><li>in a cell</li></ul></td><td>2</td></tr></tbody></table>", None),  # noqa: E501
    ("markdown-looking", "<p>#word 1. * not a list [x](https://example.org) a_b *c* `d` &lt;b&gt; 3 &amp; 4 &amp;amp; {: .x} \\ back</p>", None),  # noqa: E501
    ("line-starts", "<p>1. first</p><p>- dash</p><p>+ plus</p><p>&gt; not a quote</p><p>===</p><p># not a heading</p><p>: not a definition</p>", None),  # noqa: E501
    ("adjacent-emphasis", "<p><em>Note</em><em>: this matters</em> and <em>a</em><strong>b</strong>.</p>", "<p><em>Note: this matters</em> and <em>a</em><strong>b</strong>.</p>"),  # noqa: E501
    ("headings", "<h2>Heading with <em>emphasis</em></h2><h3>#3 of 5</h3>", None),
    ("blockquote-list", "<blockquote><p>Quoted</p><ul><li>a point</li></ul></blockquote>", None),
    ("image-aligned", f'<p><img class="alignright size-medium wp-image-5" src="{MEDIA}/r.jpg" alt="Right" width="300" height="200" /></p>', f'<p><img class="alignright" src="{MEDIA}/r.jpg" alt="Right" width="300" height="200" /></p>'),  # noqa: E501
    ("image-link", f'<p><a href="{MEDIA}/big.jpg"><img src="{MEDIA}/small.jpg" alt="Small" /></a></p>', None),  # noqa: E501
    ("caption", f'[caption id="attachment_9" align="aligncenter" width="300"]<a href="{MEDIA}/full.jpg"><img src="{MEDIA}/c.jpg" alt="" width="300" height="200" /></a> The <em>caption</em>[/caption]',  # noqa: E501
     f'<figure class="aligncenter"><a href="{MEDIA}/full.jpg"><img src="{MEDIA}/c.jpg" alt=""></a><figcaption>The <em>caption</em></figcaption></figure>'),  # noqa: E501
    ("audio-shortcode", f'[audio mp3="{MEDIA}/a.mp3"]',
     f'<figure class="audio"><audio controls preload="metadata" src="{MEDIA}/a.mp3"><a href="{MEDIA}/a.mp3">a.mp3</a></audio></figure>'),  # noqa: E501
    ("video-shortcode", f'[video mp4="{MEDIA}/v.mp4" poster="{MEDIA}/p.jpg" width="640" height="360"][/video]',  # noqa: E501
     f'<figure class="video"><video controls preload="metadata" poster="{MEDIA}/p.jpg" src="{MEDIA}/v.mp4"><a href="{MEDIA}/v.mp4">v.mp4</a></video></figure>'),  # noqa: E501
    ("audio-block", f'<!-- wp:audio --><figure class="wp-block-audio"><audio controls src="{MEDIA}/b.mp3"></audio><figcaption>Episode 1</figcaption></figure><!-- /wp:audio -->', None),  # noqa: E501
    ("video-block", f'<!-- wp:video --><figure class="wp-block-video"><video controls poster="{MEDIA}/p2.jpg" src="{MEDIA}/v2.mp4"></video></figure><!-- /wp:video -->', None),  # noqa: E501
    ("gallery-shortcode", '[gallery ids="901,902" columns="2" link="file"]',
     f'<figure class="gallery gallery-columns-2"><figure class="gallery-item"><a href="{MEDIA}/g1.jpg"><img src="{MEDIA}/g1.jpg" alt="First"></a><figcaption>One</figcaption></figure>'  # noqa: E501
     f'<figure class="gallery-item"><a href="{MEDIA}/g2.jpg"><img src="{MEDIA}/g2.jpg" alt="Second"></a><figcaption>Two</figcaption></figure></figure>'),  # noqa: E501
    ("gallery-block", f'<!-- wp:gallery --><figure class="wp-block-gallery columns-2"><ul class="blocks-gallery-grid"><li class="blocks-gallery-item"><figure><a href="{MEDIA}/b1.jpg"><img src="{MEDIA}/b1.jpg" alt="B one"/></a><figcaption>First</figcaption></figure></li><li class="blocks-gallery-item"><figure><img src="{MEDIA}/b2.jpg" alt="B two"/></figure></li></ul></figure><!-- /wp:gallery -->', None),  # noqa: E501
    ("unsafe-links", '<p><a href="JaVaScRiPt:alert(1)">click</a> <a href="java&#x09;script:alert(2)">tab</a> <a href="https://example.org/">safe</a> <a href="mailto:me@example.org">mail</a><img src="data:image/png;base64,AAAA" alt="x"></p>',  # noqa: E501
     '<p>click tab <a href="https://example.org/">safe</a> <a href="mailto:me@example.org">mail</a></p>'),  # noqa: E501
]  # fmt: skip
TITLE = "Water is H<sub>2</sub>O, <em>mostly</em>"
ATTACHMENTS = [
    {"id": 901, "name": "g1", "type": "attachment", "status": "inherit", "parent": 0,
     "attachment_url": f"{MEDIA}/g1.jpg", "alt": "First", "excerpt": "One"},
    {"id": 902, "name": "g2", "type": "attachment", "status": "inherit", "parent": 0,
     "attachment_url": f"{MEDIA}/g2.jpg", "alt": "Second", "excerpt": "Two"},
]  # fmt: skip
# Posts for the checks after the table: dates, old links, addresses that climb out, comments.
EXTRA = [
    {"id": 81, "name": "rt-undated", "content": "<p>No date at all.</p>",
     "date": "0000-00-00 00:00:00", "date_gmt": "0000-00-00 00:00:00"},
    {"id": 82, "name": "rt-pubdate-only", "content": "<p>Dated by pubDate.</p>", "date": "",
     "date_gmt": "0000-00-00 00:00:00", "pub_date": "Tue, 03 Mar 2015 10:00:00 +0000"},
    {"id": 83, "name": "rt-books", "content": "<p>Books.</p>", "categories": [("books", "Books")],
     "tags": [("books", "books"), ("%2e%2e%2f%2e%2e%2fescaped-tag", "Escaped")],
     "link": "https://old-blog.example/%2e%2e/%2e%2e/escaped-post/"},
    {"id": 84, "name": "rt-comments", "content": "<p>Talk.</p>", "comments": [
        {"id": 8401, "author": "Ann 203.0.113.9", "author_email": "ann@mail.example",
         "author_IP": "203.0.113.9",
         "content": 'Mail <a href="mailto:ann@mail.example">me</a> or bob@mail.example, '
                    "I post from 198.51.100.77 and 2001:db8::42."}]},
]  # fmt: skip
# Only styling: dropped on both sides before comparing.
KEPT_CLASS = re.compile(
    r"align\w+|gallery(-columns-\d+|-item)?|columns-\d+|wp-block-\w+|audio|video"
)
SYNONYMS = {"b": "strong", "i": "em", "strike": "s"}


def normalise(markup: str) -> str:
    soup = BeautifulSoup(markup, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for wrapper in soup.select("div.highlight"):
        wrapper.unwrap()
    for element in soup.find_all(True):
        element.name = SYNONYMS.get(element.name, element.name)
        if element.name == "code" and element.parent is not None and element.parent.name == "pre":
            element.unwrap()
            continue
        if element.name == "span" and not element.attrs and not element.get_text():
            element.decompose()
            continue
        if element.name in ("ul", "li") and element.get("class"):
            pass
        classes = [c for c in element.get("class") or [] if KEPT_CLASS.fullmatch(c)]
        element.attrs = {
            k: (" ".join(sorted(classes)) if k == "class" else v)
            for k, v in sorted(element.attrs.items())
            if k not in ("id", "style", "loading", "decoding", "sizes", "srcset", "rel")
            and (k != "class" or classes)
            and not (element.name == "img" and k in ("width", "height") and element.parent
                     and element.parent.name in ("a", "figure") and element.find_parent("figure"))
        }  # fmt: skip
        for key in ("controls",):
            if key in element.attrs:
                element.attrs[key] = ""
    for text in soup.find_all(string=True):
        if isinstance(text, NavigableString) and not text.find_parent("pre"):
            collapsed = re.sub(r"\s+", " ", str(text))
            text.replace_with(collapsed)
    html = soup.decode(formatter="minimal")
    html = re.sub(
        r"\s*(</?(?:p|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|th|td|figure|figcaption|blockquote|h\d|pre|audio|video)\b[^>]*>)\s*",
        r"\1",
        html,
    )
    return html.strip()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("round-trip")
    posts = [
        {"id": 100 + n, "name": f"rt-{name}", "title": f"Round trip: {name}", "content": html}
        for n, (name, html, _) in enumerate(ROWS)
    ]
    posts.append({"id": 99, "name": "rt-title", "title": TITLE, "content": "<p>Body.</p>"})
    posts += EXTRA
    export = write_export(base / "constructs.xml", [*ATTACHMENTS, *posts])
    content = copy_content(base / "content")
    # A wide terminal, so the report's table cells are not wrapped.
    wide = {**os.environ, "COLUMNS": "250"}
    imported = run_invoke("import.wordpress", str(export), "--content", str(content), env=wide)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    output = base / "output"
    build = run_build(content, output, base / "build")
    assert build.returncode == 0, build.stdout + build.stderr
    return content, output, imported.stdout, build.stdout + build.stderr


def words(report: str) -> str:
    """The report's tables read as words: box-drawing characters and wrapping removed."""
    return re.sub(r"\s+", " ", re.sub("[\u2500-\u257f]", " ", report))


def essay_page(output: Path, name: str) -> BeautifulSoup:
    pages = list(output.glob(f"essays/*/*/rt-{name}/index.html"))
    assert len(pages) == 1, name
    return BeautifulSoup(pages[0].read_text("utf-8"), "html.parser")


@pytest.mark.parametrize("name, wordpress, expected", ROWS, ids=[row[0] for row in ROWS])
def test_each_construct_reads_as_it_did_in_wordpress(built, name, wordpress, expected):
    _, output, _, _ = built
    body = essay_page(output, name).select_one(".essay-body").decode_contents()
    shown = re.sub(r"<!--\s*/?wp:.*?-->", "", expected or wordpress)
    assert normalise(body) == normalise(shown)
    # Python-Markdown's placeholders never leak into the page.
    assert "\x02" not in body and "klzzwxh" not in body and "LPWP" not in body


def test_a_title_with_markup_keeps_it(built):
    _, output, _, _ = built
    page = essay_page(output, "title")
    assert normalise(page.h1.decode_contents()) == normalise(TITLE)
    assert page.title.get_text().startswith("Water is H2O, mostly")


def test_an_image_without_alt_text_is_listed_not_a_build_stop(built):
    _, _, report, log = built
    said = words(report)
    assert "essays/rt-caption.md: line" in said and "the image c.jpg has no alt text" in said
    assert "rt-caption.md: line" in log and "the image c.jpg has no alt text" in log
    assert "Empty alt attribute" not in log


def test_unsafe_schemes_are_removed_and_counted(built):
    content, _, report, _ = built
    text = (content / "essays" / "rt-unsafe-links.md").read_text("utf-8").lower()
    assert "javascript" not in text and "data:" not in text
    assert "2 javascript:" in words(report) and "1 data:" in report


def test_a_post_without_a_date_is_a_draft_and_pub_date_dates_another(built):
    content, output, report, _ = built
    undated = (content / "essays" / "rt-undated.md").read_text("utf-8")
    assert "Status: draft" in undated and "\nDate:" not in undated
    assert "essays/rt-undated.md: the export gives this post no date" in words(report)
    assert "Date: 2015-03-03T" in (content / "essays" / "rt-pubdate-only.md").read_text("utf-8")
    assert list(output.glob("essays/2015/03/rt-pubdate-only/index.html"))


def test_old_links_cover_slug_and_archives_forms_and_a_category_and_tag_differing_by_case(built):
    content, output, _, _ = built
    table = (content / "redirects.csv").read_text("utf-8")
    assert "/rt-books/,{filename}/essays/rt-books.md" in table
    assert "/archives/183," not in table and "/archives/83,{filename}/essays/rt-books.md" in table
    assert "/category/books/,{category}Books" in table
    assert "/tag/books/,{tag}books" in table
    assert (output / "rt-books" / "index.html").is_file()
    assert (output / "archives" / "83" / "index.html").is_file()


def test_an_old_address_that_climbs_out_once_decoded_is_refused_and_nothing_leaves_the_folders(
    built,
):
    content, _, report, _ = built
    table = (content / "redirects.csv").read_text("utf-8").lower()
    assert "%2e%2e" not in table and "escaped" not in table
    base = content.parent
    assert not list(base.parent.glob("escaped*")) and not list(base.glob("escaped*"))
    # The post's old link, its feed, and the tag's listing.
    assert "old address is not a plain path 3" in words(report)


def test_comment_addresses_and_mailto_links_are_redacted_and_counted(built):
    content, output, report, _ = built
    comment = (content / "comments" / "rt-comments" / "8401.md").read_text("utf-8")
    for secret in ("ann@mail.example", "bob@mail.example", "203.0.113.9", "198.51.100.77",
                   "2001:db8::42", "mailto:"):  # fmt: skip
        assert secret not in comment
        page = BeautifulSoup(
            next(output.glob("essays/*/*/rt-comments/index.html")).read_text("utf-8"),
            "html.parser",
        )
        assert secret not in page.find(id="comment-8401").decode()
    assert "(e-mail address removed)" in comment and "(IP address removed)" in comment
    said = words(report)
    # bob's address in the text; ann's went with the mailto: link. Ann's IP in her name, two more.
    assert "1 e-mail addresses" in said and "3 IP addresses" in said
    assert "1 mailto links" in said
