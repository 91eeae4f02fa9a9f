"""The checks a submitted comment must pass, as pure functions over plain data.

Each failure is an InboxError naming the form field and, for a limit, the limit. The cleaning and
the website check are the comment file format's own (letterpress.fields), and an accepted comment
is formatted as its file would be, so whatever the inbox accepts, approving it can write.
"""

import datetime as dt
from collections.abc import Mapping

from letterpress.comments import Comment, CommentError, format_comment, is_comment_id
from letterpress.fields import clean_line, clean_multiline, is_web_url, normalise_email
from letterpress.manifest import EssayEntry, Manifest

from .comment_store import Submission
from .errors import InboxError, NotAllowed

FIELDS = ("essay", "parent", "name", "email", "url", "body", "homepage")
HONEYPOT = "homepage"
LIMITS = {"name": 100, "email": 254, "url": 200, "body": 10_000}
LABELS = {"name": "Name", "email": "E-mail", "url": "Website", "body": "Comment"}

# Stands in for the Id and date a comment gets when stored, to format it as its file.
_PROBE_ID = "20000101-0000-test"
_PROBE_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


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
    name = clean_line(fields.get("name", ""))
    email = fields.get("email", "").strip()
    url = fields.get("url", "").strip()
    body = clean_multiline(fields.get("body", ""))
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
    address = normalise_email(email)
    if address is None:
        raise InboxError(f"E-mail “{clean_line(email)}” is not an e-mail address.", field="email")
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
    submission = Submission(essay, parent, name, address, url, body)
    _check_publishable(submission)
    return submission


def _check_publishable(submission: Submission) -> None:
    """The comment as its file would be written: the checks above should make this redundant,
    and it keeps them honest if a rule of the file format changes."""
    probe = Comment(
        id=_PROBE_ID,
        essay=submission.essay,
        author=submission.author,
        date=_PROBE_DATE,
        body=submission.body,
        reply_to=submission.parent,
        url=submission.url,
    )
    try:
        format_comment(probe)
    except CommentError as error:
        reason = str(error).split(": ", 1)[-1]
        raise InboxError(f"This comment could not be published as sent: {reason}.") from None


def check_essay(submission: Submission, manifest: Manifest) -> EssayEntry:
    """The essay exists on the built site and takes comments."""
    essay = manifest.essays.get(submission.essay)
    if essay is None:
        raise InboxError(f"There is no essay “{submission.essay}” on this site.", field="essay")
    if not essay.comments_open:
        raise NotAllowed(f"Comments are closed on “{essay.title}”.", field="essay")
    return essay
