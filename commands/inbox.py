"""Tasks for the inbox, the intake service for comments, registrations and sign-ups."""

from invoke import Collection, Exit, task

from letterpress.inbox.config import ConfigError
from letterpress.inbox.serve import DEFAULT_HOST, DEFAULT_PORT
from letterpress.inbox.serve import serve as serve_inbox


@task
def serve(c, host=DEFAULT_HOST, port=DEFAULT_PORT):
    """Run the inbox on http://HOST:PORT (settings from LETTERPRESS_* variables; README)."""
    try:
        serve_inbox(host, int(port))
    except ConfigError as error:
        raise Exit(str(error), code=2) from None


ns = Collection("inbox", serve)
