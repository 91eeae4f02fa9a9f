from .manifest import register

__all__ = ["register"]
