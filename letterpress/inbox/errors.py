"""Why the inbox refuses a request: one exception type per kind of refusal.

Feature code raises these with a sentence for the person (and the form field to correct); it never
chooses an HTTP status. The HTTP layer (`responses.STATUSES`) maps each kind to its status, so a
decision such as "no such comment" can be shared with the command-line tasks, which print it.
"""

from letterpress.errors import LetterpressError


class InboxError(LetterpressError):
    """A refused request: `message` is a sentence for the person, `field` the form field.

    Raised as it is, it means the request itself is wrong (a missing or malformed field).
    `errors` holds every (field, sentence) found, so a form can show each beside its field;
    `message` and `field` are the first of them.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        errors: tuple[tuple[str | None, str], ...] = (),
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = tuple(errors) or ((field, message),)

    @classmethod
    def of_fields(cls, errors: list[tuple[str | None, str]]) -> "InboxError":
        """One refusal for several wrong fields, `errors` as (field, sentence), first first."""
        field, message = errors[0]
        return cls(message, field=field, errors=tuple(errors))


class NotSignedIn(InboxError):
    """The moderation API was called without the admin token."""


class NotAllowed(InboxError):
    """Understood but not allowed: comments closed, registration closed, the API switched off."""


class NotFound(InboxError):
    """No such essay, workshop, comment or registration."""


class Conflict(InboxError):
    """The request conflicts with the state of things (approving a reply before its parent)."""


class Gone(InboxError):
    """The thing asked for has passed (a workshop that already took place)."""


class TooSlow(InboxError):
    """The client did not send its whole request body in the time allowed."""


class TooLarge(InboxError):
    """The request body is over the size the inbox reads."""


class TooMany(InboxError):
    """The sender's network used up its allowance; `retry_after` is in seconds."""

    def __init__(self, message: str, *, retry_after: int, field: str | None = None):
        super().__init__(message, field=field)
        self.retry_after = retry_after


class Unavailable(InboxError):
    """Something the inbox depends on (the site manifest, the mailing service, its own storage)
    is not there; `retry_after`, in seconds, when the inbox can tell when to try again."""

    def __init__(self, message: str, *, retry_after: int | None = None, field: str | None = None):
        super().__init__(message, field=field)
        self.retry_after = retry_after
