"""E-mail sign-up in the inbox: POST /subscribe (e-mail; name optional) adds the person to the
mailing list as 'pending'; the mailing service then sends the double opt-in e-mail.

Nothing about the person is stored here: the address goes straight to the mailing backend. Only
recent sign-ups are counted per client network (never the address; sender_limits.py), so one
sender cannot make the list mail hundreds of strangers. A registration with the newsletter box
ticked counts against the same allowance.
"""

import logging
import re
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from letterpress.fields import clean_line, has_letter_or_digit, normalise_email
from letterpress.mailing.base import Contact, MailingError
from letterpress.notify.transport import without_addresses

from .errors import InboxError, Unavailable
from .forms import read_fields
from .origins import check_origin
from .responses import accepted
from .sender_limits import WINDOW_SECONDS, Allowance, count_or_refuse
from .senders import client_network
from .site import ManifestError, site_base

log = logging.getLogger(__name__)

__all__ = ["parse_signup", "record_signup", "routes", "signup_allowance"]

FIELDS = ("email", "name", "consent", "website", "return")
MAX_LENGTHS = {"email": 254, "name": 200}
# The fragment that shows "check your inbox" on the page (CSS :target): the sidebar box's, or
# the one a form names in its `return` field (#subscribed-page beside a form in a page).
FRAGMENT = "subscribed"
_OWN_FRAGMENT = re.compile(r"subscribed(-[a-z0-9]{1,20})?")
SIGNUP_PAGE = "/subscribe/"


def parse_signup(fields: dict[str, str]) -> Contact:
    """The contact to add, or InboxError naming every field to correct. Sending the form is the
    consent (its one button says "Subscribe"), so there is no box to tick; a "consent" field
    sent by an older page is ignored."""
    problems: list[tuple[str | None, str]] = [
        (name, f"The {name} is too long (at most {limit} characters).")
        for name, limit in MAX_LENGTHS.items()
        if len(fields.get(name, "")) > limit
    ]
    typed = fields.get("email", "").strip()
    email = normalise_email(typed) if typed else None
    if not typed:
        problems.append(("email", "Please give your e-mail address."))
    elif email is None and not problems:
        problems.append(("email", f"“{clean_line(typed)}” does not look like an e-mail address."))
    name = clean_line(fields.get("name", ""))
    if name and not has_letter_or_digit(name):
        problems.append(("name", "A name must contain a letter or a digit that can be seen."))
    if problems or email is None:  # (an address that is not one is always among the problems)
        raise InboxError.of_fields(problems)
    return Contact(email=email, name=name, subscribe=True)


def signup_allowance(limit: int) -> Allowance:
    """Newsletter sign-ups per network per window: each makes the mailing service write to an
    address nobody has confirmed yet. (A registration's newsletter box counts as a "signup".)"""
    minutes = WINDOW_SECONDS // 60
    return Allowance(
        "signup",
        limit,
        f"Too many newsletter sign-ups from your network just now (the limit is {limit} every "
        f"{minutes} minutes); please try again later.",
    )


def record_signup(db, client: str, now: float, limit: int) -> None:
    """Count this sign-up for its network, or refuse (TooMany) once the network used it up."""
    count_or_refuse(db, client, now, [signup_allowance(limit)])


def _site_base(request: Request) -> str:
    try:
        manifest = request.state.site.current()
    except ManifestError:  # the manifest is optional for a sign-up: the site is then "unknown"
        manifest = None
    return site_base(request.state.config, manifest)


def return_location(page: str, referer: str, site_base: str) -> str:
    """Back to the page the form was on: the form's own `return` path, else the Referer when it
    is a page of our site, else the sign-up page. Never another site: both are the sender's word.
    (Browsers send only the origin as Referer to another host, hence the form field.)"""
    own = urlsplit(page or "")
    if own.path.startswith("/") and not own.path.startswith("//") and not own.netloc:
        fragment = own.fragment if _OWN_FRAGMENT.fullmatch(own.fragment) else FRAGMENT
        return f"{site_base}{own.path}#{fragment}"
    target = urlsplit(referer or "")
    base = urlsplit(site_base)
    same_site = base.netloc and (target.scheme, target.netloc) == (base.scheme, base.netloc)
    if same_site and target.path not in ("", "/"):
        return f"{target.scheme}://{target.netloc}{target.path}#{FRAGMENT}"
    return f"{site_base}{SIGNUP_PAGE}#{FRAGMENT}"


async def subscribe(request: Request):
    check_origin(request)
    fields = await read_fields(request, FIELDS)
    referer = request.headers.get("referer", "")
    location = return_location(fields.get("return", ""), referer, _site_base(request))
    # A filled-in hidden field means a robot: answer as if all went well, add no one.
    payload = {"result": "check your inbox"}
    if fields.get("website", "").strip():
        return accepted(request, location, payload, status=202)
    contact = parse_signup(fields)
    client = client_network(
        request.client.host if request.client else None, request.state.config.ipv6_prefix
    )
    now = request.state.config.clock().timestamp()
    limit = request.state.config.signup_rate
    await request.state.writes.run(lambda db: record_signup(db, client, now, limit))
    try:
        await run_in_threadpool(request.state.mailing.add_contact, contact)
    except MailingError as error:
        log.warning("sign-up not passed to the mailing list: %s", without_addresses(str(error)))
        raise Unavailable(
            "We could not add you to the mailing list just now; please try again later."
        ) from None
    # The same answer for a new and an existing member: the page must not tell a stranger who is
    # on the list. The mailing service writes to the address, which only its owner reads.
    return accepted(request, location, payload, status=202)


routes = [Route("/subscribe", subscribe, methods=["POST"])]
