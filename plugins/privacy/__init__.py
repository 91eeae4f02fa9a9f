from .privacy import register

__all__ = ["register"]
