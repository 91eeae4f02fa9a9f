"""Hostile comment bodies and a checker for executable markup, shared by the rendering tests
and the hostile build. The corpus is payloads x the Markdown places they can hide in."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror='alert(1)'/>",
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="javascript:alert(1)">',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="expression(alert(1))">x</p>',
    "<style>*{background:url(https://evil.example/track)}</style>",
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example"><button>go</button></form>',
    "<input autofocus onfocus=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<a href="https://ok.example" onclick="alert(1)">click</a>',
    "<a href=https://ok.example onmouseover=alert(1)>x</a>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](<javascript:alert(1)>)",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[click](vbscript:msgbox(1))",
    "[click](file:///etc/passwd)",
    '[click](https://ok.example "title\\" onmouseover=\\"alert(1))',
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "![img](javascript:alert(1))",
    '![img](https://evil.example/x.png" onerror="alert(1))',
    "<javascript:alert(1)>",
    '<https://ok.example/" onclick="alert(1)>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</p></div></section><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<<script>script>alert(1)<</script>/script>",
    "<scri\u0000pt>alert(1)</scri\u0000pt>",
    "\u202e<script>alert(1)</script>\u202c",
    "<\uff53cript>alert(1)</\uff53cript>",
    "\ufeff<script>alert(1)</script>",
    '<a href="\u2028javascript:alert(1)">x</a>',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<xmp><script>alert(1)</script></xmp>",
    '<a href="https://ok.example" target="_blank">opener</a>',
    '<table background="javascript:alert(1)">',
    "{{ 7*7 }} {% raw %} ${alert(1)}",
]

WRAPPERS = [
    "{p}",
    "Before *{p}* after",
    "> {p}",
    "- item\n- {p}",
    "1. {p}",
    "`{p}`",
    "```\n{p}\n```",
    "[{p}](https://ok.example)",
    "**{p}**\n\n{p}",
]

HOSTILE_BODIES = [wrapper.format(p=payload) for payload in PAYLOADS for wrapper in WRAPPERS]

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre"}
ALLOWED_ATTRIBUTES = {"href", "rel", "start"}
SAFE_SCHEMES = {"http", "https", "mailto", ""}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def executable_markup(html: str) -> list[str]:
    """Everything in `html` that could run code or load something: [] when the HTML is safe."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    problems = []
    for tag, attrs in collector.elements:
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES or name.startswith("on"):
                problems.append(f"<{tag} {name}=…>")
            if name == "href":
                scheme = urlsplit((value or "").strip()).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    problems.append(f"<{tag} href={value!r}>")
    return problems


def executable_markup_in_page(html: str, allowed_tags: set[str]) -> list[str]:
    """For a whole page: any script other than the theme's own, any on* handler, any
    javascript:/data:/vbscript: URL. `allowed_tags` are the tags the theme itself uses."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    problems = []
    for tag, attrs in collector.elements:
        if tag not in allowed_tags:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "data"):
                scheme = urlsplit((value or "").strip()).scheme.lower()
                if scheme in ("javascript", "data", "vbscript"):
                    problems.append(f"<{tag} {name}={value!r}>")
    return problems


DANGEROUS_TAGS = {
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "input",
    "button",
    "textarea",
    "template",
    "xmp",
    "noscript",
    "applet",
}


def dangerous_markup(html: str) -> list[str]:
    """For HTML inside feeds and other files: tags that run or load things, on* handlers and
    javascript:/data:/vbscript: URLs (the theme's own markup never has these in a feed)."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    problems = []
    for tag, attrs in collector.elements:
        if tag in DANGEROUS_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=…>")
            scheme = urlsplit((value or "").strip()).scheme.lower()
            if name in ("href", "src") and scheme in ("javascript", "data", "vbscript"):
                problems.append(f"<{tag} {name}={value!r}>")
    return problems
