"""Checks for the values people type into forms, shared by the inbox and the file formats.

Pure functions over strings: each says whether a value is acceptable, or gives its clean form.
"""

import re

# Deliberately plain: one @, no spaces, a dot in the domain. Deliverability is the mailer's affair.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
# What a ticked checkbox, or a script meaning "yes", sends.
_YES = frozenset({"yes", "on", "true", "1"})


def looks_like_email(text: str) -> bool:
    """Syntax only (someone@somewhere.tld): whether it reaches anyone is the mailer's business."""
    return _EMAIL.fullmatch(text) is not None


def says_yes(text: str) -> bool:
    """True for a ticked checkbox ("on") or a script's yes/true/1."""
    return text.strip().lower() in _YES
