from .forms import register

__all__ = ["register"]
