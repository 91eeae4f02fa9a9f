"""A deployed inbox's admin API, called with the bearer token: one client for every --remote task.

Every failure becomes an `AdminError` whose message names the URL and says what went wrong (no
token, unreachable, refused with the inbox's own reason, an answer that is not JSON), and whose
`status` is the HTTP status (503 when the inbox could not be reached at all).
"""

import requests

from letterpress.errors import LetterpressError

TIMEOUT_SECONDS = 30


class AdminError(LetterpressError):
    """The admin API refused or could not be reached; `status` is the HTTP status received."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class AdminClient:
    def __init__(self, url: str, token: str):
        if not token:
            raise AdminError(
                "No admin token: set LETTERPRESS_ADMIN_TOKEN to the deployed inbox's token.", 401
            )
        self.url = url.rstrip("/")
        self.session = requests.Session()
        self.session.headers.update(
            {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        )

    def call(self, method: str, path: str, **kwargs) -> dict:
        """The JSON answer to METHOD url+PATH; `kwargs` go to requests (data=…)."""
        where = self.url + path
        try:
            answer = self.session.request(method, where, timeout=TIMEOUT_SECONDS, **kwargs)
        except requests.RequestException as error:
            raise AdminError(f"{where}: the inbox could not be reached ({error}).", 503) from None
        try:
            body = answer.json()
        except ValueError:
            body = None
        if answer.status_code >= 400:
            reason = body.get("error") if isinstance(body, dict) else None
            message = reason or answer.text.strip()[:200] or answer.reason
            raise AdminError(f"{where}: {answer.status_code} {message}", answer.status_code)
        if not isinstance(body, dict):
            raise AdminError(f"{where}: answered {answer.status_code} without a JSON object.", 502)
        return body

    def close(self) -> None:
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
