"""The inbox: the intake service for comments, registrations and sign-ups (Starlette + SQLite).

`create_app` and `InboxConfig` load on first use, so tasks that only read the configuration or the
database do not import the web stack.
"""

__all__ = ["InboxConfig", "create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from .app import create_app

        return create_app
    if name == "InboxConfig":
        from .config import InboxConfig

        return InboxConfig
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
