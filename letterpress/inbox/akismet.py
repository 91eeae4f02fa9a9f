"""The optional Akismet spam check (comment-check), used when AKISMET_KEY is set.

AKISMET_API_BASE points it at another server (tests run a fake one on loopback).
"""

import logging

import requests

from .comment_store import Submission

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5


def is_spam(
    api_base: str,
    key: str,
    site_url: str,
    submission: Submission,
    *,
    user_ip: str,
    user_agent: str,
    referrer: str,
    permalink: str,
) -> bool:
    """Akismet's verdict. If Akismet cannot be asked, the comment is treated as not spam: it
    still waits for the author's approval, so nothing unchecked is published."""
    data = {
        "api_key": key,
        "blog": site_url,
        "user_ip": user_ip,
        "user_agent": user_agent,
        "referrer": referrer,
        "permalink": permalink,
        "comment_type": "comment",
        "comment_author": submission.author,
        "comment_author_email": submission.email,
        "comment_author_url": submission.url,
        "comment_content": submission.body,
        "blog_lang": "en",
        "blog_charset": "UTF-8",
    }
    try:
        answer = requests.post(f"{api_base}/comment-check", data=data, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        logger.warning("Akismet could not be reached (%s); the comment waits unchecked", error)
        return False
    verdict = answer.text.strip()
    if answer.status_code != 200 or verdict not in ("true", "false"):
        debug = answer.headers.get("X-akismet-debug-help", "")
        logger.warning("Akismet answered %s %r %s", answer.status_code, verdict[:80], debug)
        return False
    return verdict == "true"
