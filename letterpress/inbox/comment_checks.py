"""The checks a submitted comment must pass, as pure functions over plain data.

Each failure is an InboxError naming the form field and, for a limit, the limit. The cleaning and
the website check are the comment file format's own (letterpress.fields), and an accepted comment
is formatted as its file would be, so whatever the inbox accepts, approving it can write.
"""

import datetime as dt
from collections.abc import Mapping

from letterpress.comments import Comment, CommentError, format_comment, is_comment_id
from letterpress.fields import (
    COMMENT_LIMITS,
    clean_line,
    clean_multiline,
    has_letter_or_digit,
    is_web_url,
    normalise_email,
)
from letterpress.manifest import EssayEntry, Manifest

from .comment_store import Submission
from .errors import InboxError, NotAllowed

FIELDS = ("essay", "parent", "name", "email", "url", "body", "homepage")
HONEYPOT = "homepage"
LIMITS = COMMENT_LIMITS
LABELS = {"name": "Name", "email": "E-mail", "url": "Website", "body": "Comment"}

# Stands in for the Id and date a comment gets when stored, to format it as its file.
_PROBE_ID = "20000101-0000-test"
_PROBE_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def check_fields(fields: Mapping[str, str]) -> Submission:
    """Required fields, lengths, e-mail and website syntax, the honeypot.

    Every wrong field is reported at once (InboxError.errors, in the form's order), so a reader
    corrects them all in one go; a filled honeypot or a form naming no essay is refused alone.
    """
    if fields.get(HONEYPOT, "").strip():
        raise InboxError(
            "The hidden field “Leave this field empty” was filled in, which only robots do.",
            field=HONEYPOT,
        )
    essay = fields.get("essay", "").strip()
    if not essay:
        raise InboxError("The form does not say which essay it answers.", field="essay")
    values = {
        "body": clean_multiline(fields.get("body", "")),
        "name": clean_line(fields.get("name", "")),
        "email": fields.get("email", "").strip(),
        "url": fields.get("url", "").strip(),
    }
    if values["url"] and "://" not in values["url"]:
        values["url"] = "https://" + values["url"]
    problems: list[tuple[str | None, str]] = [
        (field, problem) for field in values if (problem := _problem(field, values))
    ]
    parent = fields.get("parent", "").strip() or None
    if parent is not None and not is_comment_id(parent):
        problems.append(("parent", "The comment you are replying to does not exist."))
    if problems:
        raise InboxError.of_fields(problems)
    address = normalise_email(values["email"])
    assert address is not None  # _problem refused any address that does not normalise
    submission = Submission(essay, parent, values["name"], address, values["url"], values["body"])
    _check_publishable(submission)
    return submission


def _problem(field: str, values: Mapping[str, str]) -> str | None:
    """What is wrong with one field, as a sentence naming it; None when it is fine."""
    value = values[field]
    if not value:
        return f"{LABELS[field]} is required." if field != "url" else None
    if field == "name" and not has_letter_or_digit(value):
        return "Name must contain a letter or a digit that can be seen."
    if len(value) > LIMITS[field]:
        return f"{LABELS[field]} is {len(value):,} characters long; the limit is {LIMITS[field]:,}."
    if field == "email" and normalise_email(value) is None:
        return f"E-mail “{clean_line(value)}” is not an e-mail address."
    if field == "url" and not is_web_url(value):
        return (
            f"Website “{value}” is not a web address (https://…); leave it empty if you have none."
        )
    return None


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
