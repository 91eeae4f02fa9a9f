"""The development web server: the output folder on loopback, with the reload script and events.

The standard library's threading HTTP server: a page's event stream holds one thread while it is
open, which is fine for the author's few tabs. Pages are read from disk on every request and
answered with `Cache-Control: no-store`, so a reload always shows the latest build. A missing
path gets the site's own not-found page with status 404.
"""

from __future__ import annotations

import mimetypes
import queue
import threading
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .live import (
    EVENTS_PATH,
    RELOAD_SCRIPT,
    RETRY_MS,
    SCRIPT_PATH,
    Broadcaster,
    sse_message,
    with_reload_script,
)

# A comment line keeps an idle event stream open through proxies and tells us a page has gone.
KEEPALIVE_SECONDS = 15.0
HTML_TYPES = ("text/html",)


def resolve(root: Path, url_path: str) -> Path | None:
    """The file under `root` a URL path names ('/x/' is x/index.html), or None when there is
    none or the path leads outside the folder."""
    relative = unquote(urlsplit(url_path).path).lstrip("/")
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()):
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def needs_slash(root: Path, url_path: str) -> bool:
    """A folder asked for without its trailing slash (relative links inside it would break)."""
    path = unquote(urlsplit(url_path).path)
    if path.endswith("/"):
        return False
    folder = (root / path.lstrip("/")).resolve()
    return folder.is_relative_to(root.resolve()) and folder.is_dir()


class DevServer(ThreadingHTTPServer):
    """Serves `root`; `not_found` (relative to root) is the page sent with status 404."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], root: Path, not_found: str = "404.html"):
        self.root = root
        self.not_found = not_found
        self.events = Broadcaster()
        # A new id per server: a page reconnecting to a restarted server reloads.
        self.server_id = uuid.uuid4().hex
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="dev-server", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.events.close()
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: DevServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        # Quiet: the author's terminal shows builds, not every request.
        pass

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            self._stream_events()
        elif path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, "text/javascript", RELOAD_SCRIPT.encode())
        else:
            self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        root = self.server.root
        if needs_slash(root, self.path):
            location = urlsplit(self.path)._replace(path=urlsplit(self.path).path + "/")
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location.geturl())
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        found = resolve(root, self.path)
        status = HTTPStatus.OK
        if found is None:
            status = HTTPStatus.NOT_FOUND
            found = resolve(root, self.server.not_found)
        if found is None:
            body = b"Not found (and the site has no not-found page yet)."
            self._send(status, "text/plain; charset=utf-8", body, send_body)
            return
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        body = found.read_bytes()
        if kind in HTML_TYPES:
            body = with_reload_script(body)
            kind += "; charset=utf-8"
        self._send(status, kind, body, send_body)

    def _send(self, status: int, kind: str, body: bytes, send_body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _stream_events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        events = self.server.events
        listener = events.listen()
        try:
            self.wfile.write(f"retry: {RETRY_MS}\n\n".encode())
            self.wfile.write(sse_message("hello", self.server.server_id))
            self.wfile.flush()
            while True:
                try:
                    message = listener.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    message = b": still here\n\n"
                if message is None:
                    return
                self.wfile.write(message)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
        finally:
            events.leave(listener)
