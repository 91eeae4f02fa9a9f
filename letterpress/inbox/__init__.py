"""The inbox: the intake service for comments, registrations and sign-ups (Starlette + SQLite).

The server only: `app.create_app` builds it, `serve` runs it, `config` reads its settings. The
author's tools that talk to it (review, the admin client) live in letterpress.moderation.
"""
