"""The moderation tools' error, in a module of its own so the pure parts (replies.py, which the
inbox's moderation page shares) need not import the inboxes they are used with."""

from letterpress.errors import LetterpressError


class ModerationError(LetterpressError):
    """The inbox to moderate cannot be opened or reached, or refused a decision."""
