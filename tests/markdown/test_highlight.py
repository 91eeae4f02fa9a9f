"""Code blocks: one shared Pygments formatter gives the HTML codehilite's own formatters give."""

import markdown

from letterpress.highlight import shared_html_formatter

ESSAY = """Some code:

```python
def greet(name):
    return f"Hello, {name}"
```

and a block with highlighted lines:

```{.python hl_lines="2"}
first = 1
second = 2
```

~~~
plain text, no language
~~~

```sql
SELECT title FROM essays WHERE day <= :today;
```
"""


def convert(**codehilite: object) -> str:
    configs = {
        "markdown.extensions.codehilite": {
            "css_class": "highlight",
            "guess_lang": False,
            **codehilite,
        },
        "markdown.extensions.extra": {},
    }
    return markdown.markdown(ESSAY, extensions=list(configs), extension_configs=configs)


def test_the_shared_formatter_writes_what_codehilite_writes_by_default():
    shared = convert(pygments_formatter=shared_html_formatter)
    assert shared == convert()
    assert '<span class="hll">' in shared  # hl_lines reached the formatter
    assert shared.count('<div class="highlight">') == 4


def test_blocks_with_the_same_options_share_one_formatter_and_others_do_not():
    one = shared_html_formatter(lang_str="language-python", cssclass="highlight", hl_lines=[])
    again = shared_html_formatter(lang_str="language-sql", cssclass="highlight", hl_lines=[])
    other = shared_html_formatter(lang_str="language-python", cssclass="highlight", hl_lines=[2])
    assert one is again
    assert other is not one
