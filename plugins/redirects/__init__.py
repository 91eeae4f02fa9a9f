"""Old addresses keep working: redirect pages, `_redirects` and an nginx map from the table."""

from .redirects import register

__all__ = ["register"]
