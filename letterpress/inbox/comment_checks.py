"""The checks a submitted comment must pass, as pure functions over plain data.

Each failure is an InboxError naming the form field and, for a limit, the limit.
"""

import re
from collections.abc import Mapping

from letterpress.comments import clean_text, is_comment_id, is_web_url
from letterpress.fields import looks_like_email
from letterpress.manifest import EssayEntry, Manifest

from .comment_store import Submission
from .errors import InboxError, NotAllowed

FIELDS = ("essay", "parent", "name", "email", "url", "body", "homepage")
HONEYPOT = "homepage"
LIMITS = {"name": 100, "email": 254, "url": 200, "body": 10_000}
LABELS = {"name": "Name", "email": "E-mail", "url": "Website", "body": "Comment"}

# Deliberately plain: one @, no spaces, a dot in the domain. Deliverability is the reader's affair.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_fields(fields: Mapping[str, str]) -> Submission:
    """Required fields, lengths, e-mail and website syntax, the honeypot."""
    if fields.get(HONEYPOT, "").strip():
        raise InboxError(
            "The hidden field “Leave this field empty” was filled in, which only robots do.",
            field=HONEYPOT,
        )
    essay = fields.get("essay", "").strip()
    if not essay:
        raise InboxError("The form does not say which essay it answers.", field="essay")
    name = clean_text(fields.get("name", ""))
    email = fields.get("email", "").strip()
    url = fields.get("url", "").strip()
    body = _CONTROL.sub("", fields.get("body", "").replace("\r\n", "\n")).strip()
    for field, value in (("name", name), ("email", email), ("body", body)):
        if not value:
            raise InboxError(f"{LABELS[field]} is required.", field=field)
    for field, value in (("name", name), ("email", email), ("url", url), ("body", body)):
        if len(value) > LIMITS[field]:
            raise InboxError(
                f"{LABELS[field]} is {len(value):,} characters long; "
                f"the limit is {LIMITS[field]:,}.",
                field=field,
            )
    if not looks_like_email(email):
        raise InboxError(f"E-mail “{email}” is not an e-mail address.", field="email")
    if url and "://" not in url:
        url = "https://" + url
    if url and not is_web_url(url):
        raise InboxError(
            f"Website “{url}” is not a web address (https://…); leave it empty if you have none.",
            field="url",
        )
    parent = fields.get("parent", "").strip() or None
    if parent is not None and not is_comment_id(parent):
        raise InboxError("The comment you are replying to does not exist.", field="parent")
    return Submission(essay, parent, name, email, url, body)


def check_essay(submission: Submission, manifest: Manifest) -> EssayEntry:
    """The essay exists on the built site and takes comments."""
    essay = manifest.essays.get(submission.essay)
    if essay is None:
        raise InboxError(f"There is no essay “{submission.essay}” on this site.", field="essay")
    if not essay.comments_open:
        raise NotAllowed(f"Comments are closed on “{essay.title}”.", field="essay")
    return essay
