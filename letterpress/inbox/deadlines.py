"""How long a client may take: a deadline for a request's headers and one for its body.

uvicorn (0.54) closes a connection left idle after a response (`timeout_keep_alive`) and stops
waiting for requests in progress at shutdown (`timeout_graceful_shutdown`), but it has no limit on
how long a client may take to send a request: a connection opened and left silent, headers sent
half-way, or a body trickled a byte a second each held a connection (and delayed a shutdown) for
as long as the client liked. Two guards close that gap:

- `HeaderDeadlineProtocol`, uvicorn's httptools protocol with a timer: the request line and
  headers must arrive within `header_timeout` seconds of the connection opening, or of the first
  byte of the next request on a kept-alive connection; otherwise the connection is closed.
- `BodyDeadline`, ASGI middleware: the whole body must arrive within `body_timeout` seconds of
  the headers; otherwise the app's `receive()` raises TooSlow, answered 408 with
  `Connection: close`.

The same protocol caps the request line and headers at MAX_HEADER_BYTES in all: httptools keeps
whatever a client sends before the blank line that ends the headers (one connection sent 86 MB
within the deadline), so a client over the cap is answered 431 and the connection closed.
"""

import asyncio
from asyncio import TimerHandle

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .errors import TooSlow

HEADER_TIMEOUT_S = 10
# Browsers send 1-3 KB of headers, cookies included; nginx allows 8 KB per line and 32 KB in all.
MAX_HEADER_BYTES = 16 * 1024
_END_OF_HEADERS = b"\r\n\r\n"
_TOO_LARGE = (
    "The request's headers are larger than the inbox accepts ({limit} KB in all); "
    "nothing was read. Clear this site's cookies, or send it again without extra headers.\n"
)


class HeaderDeadlineProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol (httptools) with a deadline for each request's headers.

    The deadline is a class attribute so uvicorn can build the protocol as it builds its own;
    `with_header_timeout` makes a subclass with another.
    """

    header_timeout: float = HEADER_TIMEOUT_S
    max_header_bytes: int = MAX_HEADER_BYTES
    _header_timer: TimerHandle | None = None
    _head: bytearray | None = None  # the bytes of the headers being read, up to the cap

    @classmethod
    def with_header_timeout(cls, seconds: float) -> type["HeaderDeadlineProtocol"]:
        return type(cls.__name__, (cls,), {"header_timeout": seconds})

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._head = bytearray()
        self._arm_header_deadline()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._header_timer is None:  # armed at connect: the first byte does not reset it
            self._arm_header_deadline()

    def data_received(self, data: bytes) -> None:
        """Count what arrives until the headers end; over the cap, answer 431 and close
        before the parser keeps any more of it."""
        if self._head is not None:
            self._head += data[: self.max_header_bytes + len(_END_OF_HEADERS)]
            if len(self._head) > self.max_header_bytes:
                if _END_OF_HEADERS in self._head[: self.max_header_bytes + 4]:
                    self._head = None  # ended within the cap: the rest is body
                else:
                    self._refuse_large_headers()
                    return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._disarm_header_deadline()
        self._head = None
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._head = bytearray()  # a kept-alive connection's next request

    def _refuse_large_headers(self) -> None:
        self._head = None
        self._disarm_header_deadline()
        if self.transport.is_closing():
            return
        body = _TOO_LARGE.format(limit=self.max_header_bytes // 1024).encode()
        self.transport.write(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n"
            b"Connection: close\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        self._disarm_header_deadline()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm_header_deadline(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        # A response still being written (a pipelined request behind it) finishes first.
        if self.cycle is not None and not self.cycle.response_complete:
            return
        if not self.transport.is_closing():
            self.transport.close()


class BodyDeadline:
    """ASGI middleware: the app's `receive()` raises TooSlow once `seconds` have passed since
    the request's headers without the whole body arriving. After the body, `receive()` is the
    server's own again (it then only reports a disconnect)."""

    def __init__(self, app, seconds: float):
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds
        body_done = False

        async def receive_in_time():
            nonlocal body_done
            if body_done:
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise TooSlow(
                    f"The request body did not arrive within {self.seconds:g} seconds; "
                    "please send the form again."
                ) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        await self.app(scope, receive_in_time, send)
