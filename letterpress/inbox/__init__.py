"""The inbox: the intake service for comments, registrations and sign-ups (Starlette + SQLite).

The server: `app.create_app` builds it, `serve` runs it, `config` reads its settings. Its
database: `schema.open_inbox` is the one way to open it, and `local.Inbox` is that database on
this machine as the tasks and the terminal's moderation use it. The author's tools that talk to
it (review, the admin client) live in letterpress.moderation.
"""
