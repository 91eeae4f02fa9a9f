"""Comments in the inbox: readers' comments wait here, pending, until the author moderates them.

The e-mail address and the (truncated) client address stay in this database: they never reach a
comment file, the site or git.
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS comments (
    id          TEXT PRIMARY KEY,       -- becomes the comment file's Id when approved
    essay       TEXT NOT NULL,          -- the essay's slug
    parent      TEXT,                   -- the Id of the comment answered, if any
    author      TEXT NOT NULL,
    email       TEXT NOT NULL,
    url         TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,          -- Markdown, stored as typed; escaped when shown
    created     TEXT NOT NULL,          -- ISO 8601, UTC
    created_ts  REAL NOT NULL,          -- the same instant in Unix seconds, for the rate window
    client      TEXT NOT NULL,          -- the sender's network (IPv4 /24, IPv6 /56), never the IP
    fingerprint TEXT NOT NULL UNIQUE,   -- hash of what was sent: an identical re-post is ignored
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
    decided     TEXT                    -- when the author moderated it
);
CREATE INDEX IF NOT EXISTS comments_by_client ON comments (client, created_ts);
CREATE INDEX IF NOT EXISTS comments_by_status ON comments (status, created_ts);
"""

routes = []
