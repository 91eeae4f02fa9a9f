"""Live reload: the script a served page runs, how it is put into a page, and the events it hears.

The built files stay exactly what a clean build writes: the script is added to HTML as it is
served. The page listens on Server-Sent Events; an event names the output files a build changed,
and the page reloads only when one of them is the page itself or something it loaded (a style
sheet, an image, the search index). When the server restarts, the page sees a new server id on
reconnecting and reloads.
"""

from __future__ import annotations

import json
import queue
import re
import threading
from collections.abc import Iterable

EVENTS_PATH = "/__letterpress/events"
SCRIPT_PATH = "/__letterpress/reload.js"
# EventSource reconnects after this many milliseconds when the server is away (restarting).
RETRY_MS = 300

RELOAD_SCRIPT = """\
(() => {
  const here = () => {
    const path = decodeURI(location.pathname);
    return path.endsWith("/") ? path + "index.html" : path;
  };
  const loaded = () => new Set(
    performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname),
  );
  let server = null;
  const events = new EventSource("EVENTS_PATH");
  events.addEventListener("hello", (event) => {
    if (server !== null && server !== event.data) location.reload();
    server = event.data;
  });
  events.addEventListener("change", (event) => {
    const paths = JSON.parse(event.data).paths;
    const used = loaded();
    if (paths.some((path) => path === "*" || path === here() || used.has(path))) {
      location.reload();
    }
  });
})();
""".replace("EVENTS_PATH", EVENTS_PATH)

_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'.encode()


def with_reload_script(html: bytes) -> bytes:
    """The page with the reload script's tag before its last </body> (at the end if it has none)."""
    ends = list(_BODY_END.finditer(html))
    if not ends:
        return html + _TAG
    at = ends[-1].start()
    return html[:at] + _TAG + html[at:]


def url_paths(output_files: Iterable[str]) -> list[str]:
    """Output files (relative to the output folder, '/' separated) as the paths a browser asks
    for: 'essays/x/index.html' -> '/essays/x/index.html' (the page maps '/essays/x/' to it)."""
    return sorted("/" + name.lstrip("/") for name in output_files)


def sse_message(event: str, data: str) -> bytes:
    """One Server-Sent Events message (data on one line: callers send JSON or a word)."""
    if "\n" in data:
        raise ValueError("an event's data must be one line")
    return f"event: {event}\ndata: {data}\n\n".encode()


def change_message(paths: Iterable[str]) -> bytes:
    return sse_message("change", json.dumps({"paths": list(paths)}))


class Broadcaster:
    """Hands each published event to every connected page (one queue per connection)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: set[queue.Queue[bytes | None]] = set()

    def listen(self) -> queue.Queue[bytes | None]:
        listener: queue.Queue[bytes | None] = queue.Queue()
        with self._lock:
            self._listeners.add(listener)
        return listener

    def leave(self, listener: queue.Queue[bytes | None]) -> None:
        with self._lock:
            self._listeners.discard(listener)

    def publish(self, message: bytes) -> int:
        """Send `message` to every page listening now; returns how many there were."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener.put(message)
        return len(listeners)

    def close(self) -> None:
        """End every connection (None tells a connection's loop to stop)."""
        with self._lock:
            listeners, self._listeners = list(self._listeners), set()
        for listener in listeners:
            listener.put(None)

    @property
    def listening(self) -> int:
        with self._lock:
            return len(self._listeners)
