from .generator import register

__all__ = ["register"]
