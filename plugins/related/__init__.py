from .related import register

__all__ = ["register"]
