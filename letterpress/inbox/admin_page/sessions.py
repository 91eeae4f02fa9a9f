"""Signing in to the moderation page: sessions, their cookie, CSRF tokens and the login throttle.

A session is a random token in an HttpOnly, SameSite=Strict cookie limited to /admin (Secure
when the page is served over HTTPS); the database keeps only its SHA-256, so a copy of the
database opens no session. Each session has its own CSRF token, which every form carries and
every POST must return. Sessions end at their expiry, at logout, or all at once ("log out
everywhere"). Failed sign-ins are counted per sender network and in all: past either limit in
the window, signing in is refused until the window has passed.
"""

import datetime as dt
import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass

from ..db import transaction
from ..errors import TooMany

SCHEMA = """
CREATE TABLE IF NOT EXISTS admin_sessions (
    token_hash  TEXT PRIMARY KEY,   -- SHA-256 of the cookie's value, never the value itself
    csrf        TEXT NOT NULL,      -- the token every form of this session carries
    created     TEXT NOT NULL,      -- ISO 8601, UTC
    expires_ts  REAL NOT NULL,      -- Unix seconds
    notice      TEXT NOT NULL DEFAULT ''  -- what the last action did, shown once on the next page
);
CREATE TABLE IF NOT EXISTS admin_login_failures (
    client      TEXT NOT NULL,      -- the sender's network, never the IP
    created_ts  REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS admin_login_failures_by_time ON admin_login_failures (created_ts);
"""

COOKIE = "letterpress_admin"
COOKIE_PATH = "/admin"
# The sign-in form's CSRF token: no session exists yet, so the form must send back the random
# value this short cookie holds (a page elsewhere can neither read nor set it).
LOGIN_COOKIE = "letterpress_admin_login"
# Failed sign-ins allowed per network, and from everywhere together, in the window.
FAILURES_PER_NETWORK = 5
FAILURES_IN_ALL = 20
FAILURE_WINDOW_SECONDS = 900


@dataclass(frozen=True)
class Session:
    token_hash: str
    csrf: str
    expires_ts: float


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(db: sqlite3.Connection, now: dt.datetime, hours: int) -> tuple[str, Session]:
    """A new session lasting `hours`; returns the cookie's value (shown once) and the session."""
    token = secrets.token_urlsafe(32)
    session = Session(_hash(token), secrets.token_urlsafe(32), now.timestamp() + hours * 3600)
    with transaction(db):
        db.execute("DELETE FROM admin_sessions WHERE expires_ts <= ?", (now.timestamp(),))
        db.execute(
            "INSERT INTO admin_sessions (token_hash, csrf, created, expires_ts)"
            " VALUES (?, ?, ?, ?)",
            (
                session.token_hash,
                session.csrf,
                now.astimezone(dt.UTC).isoformat(timespec="seconds"),
                session.expires_ts,
            ),
        )
    return token, session


def find_session(db: sqlite3.Connection, token: str, now: dt.datetime) -> Session | None:
    """The live session the cookie's value opens; None for an unknown or expired one."""
    if not token:
        return None
    row = db.execute(
        "SELECT token_hash, csrf, expires_ts FROM admin_sessions WHERE token_hash = ?",
        (_hash(token),),
    ).fetchone()
    if row is None or row["expires_ts"] <= now.timestamp():
        return None
    return Session(row["token_hash"], row["csrf"], row["expires_ts"])


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def login_token_matches(cookie: str, given: str) -> bool:
    return bool(cookie) and bool(given) and hmac.compare_digest(cookie.encode(), given.encode())


def csrf_matches(session: Session, given: str) -> bool:
    return bool(given) and hmac.compare_digest(session.csrf.encode(), given.encode())


def close_session(db: sqlite3.Connection, session: Session) -> None:
    with transaction(db):
        db.execute("DELETE FROM admin_sessions WHERE token_hash = ?", (session.token_hash,))


def close_every_session(db: sqlite3.Connection) -> int:
    """Log out everywhere; returns how many sessions were open."""
    with transaction(db):
        return db.execute("DELETE FROM admin_sessions").rowcount


def leave_notice(db: sqlite3.Connection, session: Session, notice: str) -> None:
    with transaction(db):
        db.execute(
            "UPDATE admin_sessions SET notice = ? WHERE token_hash = ?",
            (notice, session.token_hash),
        )


def take_notice(db: sqlite3.Connection, session: Session) -> str:
    """The last action's notice, once: it is cleared as it is read."""
    with transaction(db):
        row = db.execute(
            "SELECT notice FROM admin_sessions WHERE token_hash = ?", (session.token_hash,)
        ).fetchone()
        if row is None or not row["notice"]:
            return ""
        db.execute(
            "UPDATE admin_sessions SET notice = '' WHERE token_hash = ?", (session.token_hash,)
        )
        return row["notice"]


def check_throttle(db: sqlite3.Connection, client: str, now: dt.datetime) -> None:
    """Refuse (TooMany) while this network, or everyone together, has failed too often."""
    since = now.timestamp() - FAILURE_WINDOW_SECONDS
    (mine,) = db.execute(
        "SELECT COUNT(*) FROM admin_login_failures WHERE client = ? AND created_ts > ?",
        (client, since),
    ).fetchone()
    (everyone,) = db.execute(
        "SELECT COUNT(*) FROM admin_login_failures WHERE created_ts > ?", (since,)
    ).fetchone()
    if mine >= FAILURES_PER_NETWORK or everyone >= FAILURES_IN_ALL:
        minutes = FAILURE_WINDOW_SECONDS // 60
        raise TooMany(
            f"Too many failed sign-ins: signing in is paused for up to {minutes} minutes. "
            "The terminal tools (invoke comments.review) still work meanwhile.",
            retry_after=FAILURE_WINDOW_SECONDS,
        )


def count_failure(db: sqlite3.Connection, client: str, now: dt.datetime) -> None:
    since = now.timestamp() - FAILURE_WINDOW_SECONDS
    with transaction(db):
        db.execute(
            "INSERT INTO admin_login_failures (client, created_ts) VALUES (?, ?)",
            (client, now.timestamp()),
        )
        db.execute("DELETE FROM admin_login_failures WHERE created_ts <= ?", (since,))


def secret_matches(given: str, *expected: str) -> bool:
    """True when `given` is one of the configured secrets (empty ones never match); every
    comparison takes the same time whatever the guess."""
    found = False
    for secret in expected:
        if secret and hmac.compare_digest(given.encode(), secret.encode()):
            found = True
    return found
