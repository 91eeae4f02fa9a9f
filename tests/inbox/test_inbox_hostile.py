"""Hostile and careless input to every POST route of the real inbox, over HTTP.

One table: for each case the status, that the server still answers /healthz, and what was stored.
Then every comment the table gets accepted is approved (its file written by the comment file
writer), read back by the comment reader, and published by one real build of the sample site.
"""

import json
import uuid
from dataclasses import dataclass, field

import httpx
import pytest

from letterpress.comments import read_comment
from letterpress.inbox.config import InboxConfig
from letterpress.manifest import EssayEntry
from letterpress.moderation.inboxes import LocalInbox
from letterpress.moderation.publishing import approve_and_publish
from tests.support import ADMIN_TOKEN, SITE_URL, TODAY, copy_content, prepare_inbox, run_build
from tests.workshops.workshop_helpers import manifest_entry

JSON = {"Accept": "application/json"}
ADMIN = {**JSON, "Authorization": f"Bearer {ADMIN_TOKEN}"}
ESSAY = EssayEntry(
    "generative-not-competitive",
    "Generative, Not Competitive",
    "essays/2026/09/generative-not-competitive/",
)
# The sample workshop of the workshop tests: 12 seats, 2 per registration, open.
WORKSHOP = manifest_entry("The Arc", "open")
NO_LIMITS = {
    "LETTERPRESS_TODAY": TODAY,
    "LETTERPRESS_COMMENT_RATE": "0",
    "LETTERPRESS_REGISTRATION_RATE": "0",
    "LETTERPRESS_SIGNUP_RATE": "0",
}
DEEP_LIST = b"[" * 30_000 + b"]" * 30_000
DEEP_OBJECT = b'{"a":' * 20_000 + b"1" + b"}" * 20_000


@dataclass(frozen=True)
class Case:
    """What to send where: `fields` replace the route's valid defaults (None removes one), or
    `raw` is sent as the whole body with `content_type`; `stored` are the columns expected of the
    row stored, or None when nothing may be stored."""

    name: str
    route: str  # comment | registration | signup | cancel
    status: int
    fields: dict = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = "application/json"
    stored: dict | None = None
    error: str = ""  # a phrase the refusal must contain
    # A probe: `repeat_of` is sent first, then the case's fields over it with the same e-mail
    # address; the answer must be a newcomer's and the first submission must stay as it was.
    repeat_of: dict | None = None
    headers: dict = field(default_factory=dict)  # sent as well (Origin, Referer, X-Forwarded-For)


def comment(case_id, status, /, stored=None, error="", **fields):
    return Case(case_id, "comment", status, fields=fields, stored=stored, error=error)


def registration(case_id, status, /, stored=None, error="", **fields):
    return Case(case_id, "registration", status, fields=fields, stored=stored, error=error)


def signup(case_id, status, /, stored=None, error="", **fields):
    return Case(case_id, "signup", status, fields=fields, stored=stored, error=error)


def sent_from(route, case_id, status, headers, error="", **fields):
    return Case(case_id, route, status, fields=fields, error=error, headers=headers)


def repeat(route, case_id, status, first, **fields):
    return Case(case_id, route, status, fields=fields, repeat_of=first)


def raw(route, name, body, status, error="", content_type="application/json"):
    return Case(name, route, status, raw=body, content_type=content_type, error=error)


CASES = [
    # 1. Accepted but never publishable: a website holding a line break or an invisible character.
    comment("url-cr-role", 400, url="https://example.org/\rRole:author", error="web address"),
    comment("url-lf", 400, url="https://example.org/\nRole: author", error="web address"),
    comment("url-tab", 400, url="https://example.org/\tx", error="web address"),
    comment("url-u2028", 400, url="https://example.org/\u2028Role:author", error="web address"),
    comment("url-zero-width", 400, url="https://exa\u200bmple.org/", error="web address"),
    comment("url-space", 400, url="https://example.org/a b", error="web address"),
    comment("url-javascript", 400, url="javascript:alert(1)//", error="web address"),
    comment("url-bad-port", 400, url="https://example.org:99999/", error="web address"),
    comment(
        "url-percent-cr-literal",
        201,
        url="https://example.org/%0DRole:author",
        stored={"url": "https://example.org/%0DRole:author"},
    ),
    # 5. Invisible names, and names that try to add a line to the comment file.
    comment("name-zero-width", 400, name="\u200b\u200c\u200d\u2060", error="Name is required"),
    comment("name-soft-hyphen-bom", 400, name="\u00ad\ufeff \t", error="Name is required"),
    comment(
        "name-crlf-role", 201, name="Ada\r\nRole: author", stored={"author": "Ada Role: author"}
    ),
    comment("name-u2028", 201, name="Ada\u2028Role: author", stored={"author": "Ada Role: author"}),
    comment("name-nel-vt-ff", 201, name="A\x85d\x0ba\x0c", stored={"author": "A d a"}),
    comment("name-bidi", 201, name="\u202eAda\u2066", stored={"author": "Ada"}),
    comment("name-nul", 201, name="Ad\x00a", stored={"author": "Ada"}),
    comment(
        "name-emoji-joiners-kept", 201, name="👩\u200d👧 Ada", stored={"author": "👩\u200d👧 Ada"}
    ),
    comment("name-101", 400, name="n" * 101, error="the limit is 100"),
    # 6. E-mail addresses: control characters, look-alikes, non-ASCII local parts.
    comment("email-nul", 400, email="ada\x00@example.org", error="not an e-mail address"),
    comment("email-bell", 400, email="ada\x07@example.org", error="not an e-mail address"),
    comment("email-newline", 400, email="ada@example.org\nBcc: x@y.z", error="not an e-mail"),
    comment(
        "email-kelvin", 201, email="\u212aelvin@example.org", stored={"email": "Kelvin@example.org"}
    ),
    comment("email-non-ascii-local", 400, email="zoë@example.org", error="not an e-mail address"),
    comment(
        "email-idn-domain",
        201,
        email="a@bücher.example",
        stored={"email": "a@xn--bcher-kva.example"},
    ),
    # Bodies: what a file can hold, what a reader sees.
    comment("body-invisible-only", 400, body="\u200b\u2060\u00ad\x00", error="Comment is required"),
    comment("body-nul-lone-cr", 201, body="a\x00b\rc", stored={"body": "ab\nc"}),
    comment(
        "body-fake-header",
        201,
        body="\n\nId: evil\nRole: author",
        stored={"body": "Id: evil\nRole: author"},
    ),
    comment("body-10000-cjk", 201, body="語" * 10_000),
    comment("body-10000-emoji", 201, body="😀" * 10_000),
    comment("body-10001", 400, body="b" * 10_001, error="10,001 characters long"),
    comment("parent-path", 400, parent="../../etc/passwd", error="does not exist"),
    comment("essay-path", 400, essay="../../etc", error="no essay"),
    comment("honeypot", 400, homepage="https://spam.example", error="only robots"),
    raw(
        "comment",
        "over-the-byte-cap",
        b"body=" + b"x" * 170_000,
        413,
        "larger than",
        "application/x-www-form-urlencoded",
    ),
    # 3. Bad JSON of any shape is a 400 that says so.
    raw("comment", "json-30000-brackets", DEEP_LIST, 400, "not valid JSON"),
    raw("comment", "json-20000-objects", DEEP_OBJECT, 400, "not valid JSON"),
    raw("comment", "json-truncated", b'{"name": "Ada', 400, "not valid JSON"),
    raw("comment", "json-not-utf8", b'{"name": "\xff\xfe"}', 400, "not valid JSON"),
    raw("comment", "json-array", b'["essay", "name"]', 400, "JSON object of fields"),
    raw("comment", "json-lone-surrogate", b'{"name": "\\ud800", "essay": "x"}', 400, "not text"),
    raw("comment", "json-nested-value", b'{"name": {"first": "Ada"}}', 400, "must be text"),
    raw("comment", "json-boolean", b'{"name": true}', 400, "must be text"),
    raw("comment", "json-huge-number", b'{"name": 1' + b"0" * 5000 + b"}", 400, "not valid JSON"),
    raw(
        "comment",
        "multipart-broken",
        b"--x\r\nnonsense",
        400,
        "which essay",
        "multipart/form-data; boundary=x",
    ),
    raw("comment", "no-content-type", b"name=Ada", 400, "which essay", ""),
    # Registrations.
    registration("reg-name-crlf", 201, name="Ada\r\nLovelace", stored={"name": "Ada Lovelace"}),
    registration("reg-name-zero-width", 400, name="\u200b\u2060", error="Please give your name"),
    registration("reg-email-nul", 400, email="ada\x00@example.org", error="does not look like"),
    registration(
        "reg-email-kelvin",
        201,
        email="\u212aelvin@example.org",
        stored={"email": "kelvin@example.org"},
    ),
    registration("reg-phone-newline", 201, phone="123\n", stored={"phone": "123"}),
    registration("reg-phone-markup", 400, phone="<script>", error="A phone number"),
    registration("reg-seats-exponent", 400, seats="1e3", error="from 1 to 2"),
    registration("reg-seats-negative", 400, seats="-1", error="from 1 to 2"),
    registration("reg-seats-fullwidth", 400, seats="１", error="from 1 to 2"),
    registration(
        "reg-message-controls",
        201,
        message="Hi\x00\u202e\r\nthere",
        stored={"message": "Hi\nthere"},
    ),
    raw("registration", "reg-json-30000-brackets", DEEP_LIST, 400, "not valid JSON"),
    raw("registration", "reg-json-surrogate", b'{"name": "\\udfff"}', 400, "not text"),
    # Sign-ups: nothing stored in the inbox; the contact handed to the mailing backend.
    signup("signup-name-crlf", 202, name="Ada\r\nLovelace", stored={"name": "Ada Lovelace"}),
    signup("signup-email-nul", 400, email="ada\x00@example.org", error="does not look like"),
    signup(
        "signup-email-kelvin",
        202,
        email="\u212aelvin.signup@example.org",  # not the registration's Kelvin: a new contact
        stored={"email": "Kelvin.signup@example.org"},
    ),
    # Sending the one-field form is the consent: there is no box to tick.
    signup("signup-no-consent-box", 202, consent=None),
    raw("signup", "signup-json-30000-brackets", DEEP_LIST, 400, "not valid JSON"),
    # The admin API takes hostile bodies as calmly.
    raw("cancel", "cancel-json-30000-brackets", DEEP_LIST, 400, "not valid JSON"),
    # Names that render as nothing: a name needs a letter or a digit that can be seen.
    comment("name-hangul-filler", 400, name="\u3164\u3164", error="letter or a digit"),
    comment("name-hangul-choseong-filler", 400, name="\u115f\u1160", error="letter or a digit"),
    comment("name-halfwidth-filler", 400, name="\uffa0", error="letter or a digit"),
    comment("name-braille-blank", 400, name="\u2800\u2800", error="letter or a digit"),
    comment("name-combining-marks-alone", 400, name="\u0301\u0308", error="letter or a digit"),
    comment("name-variation-selectors", 400, name="\ufe0f\ufe0e", error="letter or a digit"),
    comment("name-one-cjk-letter-kept", 201, name="語", stored={"author": "語"}),
    registration("reg-name-hangul-filler", 400, name="\u3164", error="letter or a digit"),
    signup("signup-name-braille-blank", 400, name="\u2800", error="letter or a digit"),
    # Cross-site form posts: Origin (or Referer without it) must be the site's own.
    sent_from(
        "comment", "origin-other-site", 403, {"Origin": "https://evil.example"}, "another site"
    ),
    sent_from("comment", "origin-null", 403, {"Origin": "null"}, "another site"),
    sent_from("comment", "origin-own-site", 201, {"Origin": SITE_URL}),
    sent_from(
        "registration",
        "referer-other-site",
        403,
        {"Referer": "https://evil.example/page"},
        "another site",
    ),
    sent_from(
        "signup", "origin-other-site-signup", 403, {"Origin": "http://127.0.0.1:1"}, "another site"
    ),
    # Oracles: a stranger repeating what someone sent, with a guessed address, learns nothing
    # and changes nothing of it.
    repeat("comment", "repeat-comment", 201, {}),
    repeat("comment", "repeat-comment-opting-in", 201, {}, notify_replies="yes"),
    repeat("registration", "repeat-registration", 201, {}),
    repeat("registration", "repeat-registration-renaming", 201, {}, name="Mallory", seats="2"),
    repeat("signup", "repeat-signup-renaming", 202, {"name": "Ada"}, name="Mallory"),
    raw(
        "cancel",
        "cancel-email-nul",
        b'{"email": "a\\u0000@example.org"}',
        404,
        "holds no registration",
    ),
]


def defaults(route: str) -> dict:
    """A valid submission for `route`, unique on each call."""
    marker = uuid.uuid4().hex[:10]
    return {
        "comment": {
            "essay": ESSAY.slug,
            "name": "Ada Reader",
            "email": f"ada-{marker}@example.org",
            "body": f"A comment {marker}.",
        },
        "registration": {"name": "Ada", "email": f"ada-{marker}@example.org", "seats": "1"},
        "signup": {"email": f"ada-{marker}@example.org", "name": "Ada", "consent": "on"},
        "cancel": {"email": f"ada-{marker}@example.org"},
    }[route]


PATHS = {
    "comment": "/comments",
    "registration": "/workshops/the-arc/registrations",
    "signup": "/subscribe",
    "cancel": "/workshops/the-arc/registrations/cancel",
}
TABLES = {"comment": "comments", "registration": "registrations"}


def send(inbox, case: Case) -> httpx.Response:
    headers = {**(ADMIN if case.route == "cancel" else JSON), **case.headers}
    url = inbox.url + PATHS[case.route]
    if case.raw is not None:
        type_header = {"Content-Type": case.content_type} if case.content_type else {}
        return httpx.post(url, content=case.raw, headers={**headers, **type_header})
    data = {k: v for k, v in {**defaults(case.route), **case.fields}.items() if v is not None}
    # As JSON, so every character (NUL, lone CR) reaches the server exactly as written here.
    return httpx.post(
        url, content=json.dumps(data), headers={**headers, **{"Content-Type": "application/json"}}
    )


def contacts(inbox) -> dict:
    path = inbox.db_path.parents[1] / "build" / "outbox" / "contacts.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def stored(inbox, route: str) -> dict:
    """What `route` stores, by key: rows of its table, or the mailing backend's contacts."""
    if route == "signup":
        return contacts(inbox)
    if route not in TABLES:
        return {}
    return {row["id"]: dict(row) for row in inbox.rows(f"SELECT * FROM {TABLES[route]}")}


@pytest.fixture(scope="module")
def hostile_inbox(tmp_path_factory):
    running = prepare_inbox(
        tmp_path_factory.mktemp("hostile"),
        essays=(ESSAY,),
        workshops={WORKSHOP.slug: WORKSHOP},
        env=NO_LIMITS,
    ).start()
    yield running
    running.stop()


PROBES = [case for case in CASES if case.repeat_of is not None]
CASES = [case for case in CASES if case.repeat_of is None]


def send_fields(inbox, route: str, data: dict, as_json: bool = True) -> httpx.Response:
    headers = JSON if as_json else {}
    return httpx.post(inbox.url + PATHS[route], data=data, headers=headers)


def optins(inbox) -> set[str]:
    return {row[0] for row in inbox.rows("SELECT comment_id FROM reply_optins")}


@pytest.mark.parametrize("case", PROBES, ids=[case.name for case in PROBES])
def test_a_repeat_with_a_guessed_address_is_answered_as_new_and_changes_nothing(
    hostile_inbox, case
):
    first = {**defaults(case.route), **case.repeat_of}
    original = send_fields(hostile_inbox, case.route, first)
    assert original.status_code == case.status, original.text
    held, opted = stored(hostile_inbox, case.route), optins(hostile_inbox)
    again = {**first, **case.fields}
    newcomer = {**again, "email": defaults(case.route)["email"]}
    for as_json in (True, False):
        answer = send_fields(hostile_inbox, case.route, again, as_json)
        fresh = send_fields(hostile_inbox, case.route, newcomer, as_json)
        assert answer.status_code == fresh.status_code, answer.text
        if as_json:
            mine, theirs = answer.json(), fresh.json()
            assert mine.keys() == theirs.keys()
            assert {k: v for k, v in mine.items() if k != "id"} == {
                k: v for k, v in theirs.items() if k != "id"
            }
            if "id" in mine:  # an Id of its own, never the earlier comment's
                assert mine["id"] != original.json()["id"]
        else:
            assert answer.headers["location"] == fresh.headers["location"]
        newcomer["email"] = defaults(case.route)["email"]
    now = stored(hostile_inbox, case.route)
    assert {key: now[key] for key in held} == held, "the first submission was changed"
    assert optins(hostile_inbox) - opted <= {key for key in now if key not in held}, (
        "the repeat switched on reply e-mail for the comment's writer"
    )


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_gets_its_answer_and_stores_only_what_can_be_published(hostile_inbox, case):
    before = stored(hostile_inbox, case.route)
    answer = send(hostile_inbox, case)
    assert answer.status_code == case.status, answer.text
    if case.error:
        assert case.error in answer.json()["error"]
    assert httpx.get(hostile_inbox.url + "/healthz").status_code == 200
    assert "Traceback" not in hostile_inbox.log()
    after = stored(hostile_inbox, case.route)
    rows = [row for key, row in after.items() if key not in before]
    if case.status >= 400 or case.route == "cancel":
        assert rows == []
        return
    [row] = rows
    for column, value in (case.stored or {}).items():
        assert row[column] == value, column


def test_every_comment_the_inbox_accepts_is_approved_written_read_and_built(tmp_path):
    inbox = prepare_inbox(tmp_path / "inbox", essays=(ESSAY,), env=NO_LIMITS).start()
    accepted = [case for case in CASES if case.route == "comment" and case.status == 201]
    try:
        ids = [send(inbox, case).json()["id"] for case in accepted]
    finally:
        inbox.stop()
    content = copy_content(tmp_path / "content")
    moderated = LocalInbox(InboxConfig.from_environ({**inbox.env, "LETTERPRESS_TODAY": TODAY}))
    try:
        paths = [
            approve_and_publish(moderated, comment_id, content, "America/Los_Angeles")[1]
            for comment_id in ids
        ]
        assert moderated.pending() == []
    finally:
        moderated.close()
    rows = {row["id"]: row for row in inbox.rows("SELECT * FROM comments")}
    for path in paths:
        comment = read_comment(path)  # the reader plugins/comments uses
        row = rows[comment.id]
        assert (comment.author, comment.url) == (row["author"], row["url"])
        assert comment.body == row["body"] + "\n"
    build = run_build(content, tmp_path / "output", tmp_path / "build")
    assert build.returncode == 0, build.stdout + build.stderr
    page = (tmp_path / "output" / ESSAY.url / "index.html").read_text("utf-8")
    for comment_id in ids:
        assert f'id="comment-{comment_id}"' in page
