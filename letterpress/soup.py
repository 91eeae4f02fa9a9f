"""Reading a Beautiful Soup tag's attribute as text.

bs4 gives a multi-valued attribute (class, rel) as a list and any other as a string; code that
wants an address or an alt text wants the string, and "" when the attribute is absent.
"""

from bs4 import Tag


def attribute_text(tag: Tag, name: str) -> str:
    """The attribute's value as written (a list's values joined by spaces), "" when absent."""
    value = tag.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(value)
