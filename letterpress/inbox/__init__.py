"""The inbox: the intake service for comments, registrations and sign-ups (Starlette + SQLite)."""

from .app import create_app
from .config import InboxConfig

__all__ = ["InboxConfig", "create_app"]
