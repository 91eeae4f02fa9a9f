"""Drive a server with wrk and bench/wrk_comment.lua, and measure what each side spent.

Python encodes the request templates (a form for the inbox, JSON for Isso) and wrk's Lua only
replaces a marker in them, so the load generator stays cheap; its own CPU is measured all the same.
"""

import json
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from .cpu import children_cpu_seconds
from .servers import Server

LUA_SCRIPT = Path(__file__).resolve().parents[1] / "wrk_comment.lua"
MARKER = "MARKER"

# A few comment bodies of different lengths, so requests are not byte-identical apart from the
# marker. Original text.
BODIES = (
    "Thank you for this. Marker MARKER: the part about the second meeting rang true.",
    "I tried the receipt idea with my team last week (MARKER). Two of five replied in writing, "
    "which is two more than before. The others still prefer a hallway chat.",
    "A question rather than a comment (MARKER): how do you keep slack from being read as "
    "idleness by people above you? Our planning cycle counts every free hour as waste, and "
    "the first quarter we protected time for maintenance the roadmap slipped by a week.\n\n"
    "Still worth it, I think, but I would like to hear how others argue for it.",
)


@dataclass(frozen=True)
class Essay:
    slug: str
    url: str
    title: str


def inbox_templates(essays: Sequence[Essay], honeypot: str) -> list[tuple[str, str, str, str]]:
    """The inbox's POST /comments: the essay's own form, as a browser sends it."""
    rows = []
    for essay in essays:
        for body in BODIES:
            fields = {
                "essay": essay.slug,
                "parent": "",
                "name": f"Reader {MARKER}",
                "email": f"reader.{MARKER}@example.org",
                "url": "https://example.org/",
                "body": body,
                honeypot: "",
            }
            form = urlencode(fields)
            rows.append(("/comments", "application/x-www-form-urlencoded", "text/html", form))
    return rows


def isso_templates(essays: Sequence[Essay]) -> list[tuple[str, str, str, str]]:
    """Isso's POST /new?uri=...: the same comment as JSON, with the thread's title."""
    rows = []
    for essay in essays:
        for body in BODIES:
            comment = {
                "text": body,
                "author": f"Reader {MARKER}",
                "email": f"reader.{MARKER}@example.org",
                "website": "https://example.org/",
                "title": essay.title,
            }
            path = "/new?uri=" + quote(essay.url, safe="")
            rows.append((path, "application/json", "application/json", json.dumps(comment)))
    return rows


def write_templates(rows: Iterable[tuple[str, str, str, str]], path: Path) -> Path:
    lines = []
    for row in rows:
        if any(("\t" in field or "\n" in field) for field in row):
            # urlencode and json.dumps escape both, so this would be a bug here, not bad input.
            raise ValueError(f"request template field holds a tab or newline: {row!r}")
        lines.append("\t".join(row))
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@dataclass(frozen=True)
class LoadResult:
    server: str
    connections: int
    duration_s: float
    requests: int
    non_2xx_3xx: int
    socket_errors: int
    comments_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    client_cpu_s: float
    server_cpu_s: float

    @property
    def server_cpu_ms_per_comment(self) -> float:
        accepted = self.requests - self.non_2xx_3xx
        return 1000 * self.server_cpu_s / accepted if accepted else float("nan")

    @property
    def server_core_share(self) -> float:
        """Share of one core the server had: well under 1 means it waited (disk, or other work
        on the machine), not that it ran out of CPU."""
        return self.server_cpu_s / self.duration_s if self.duration_s else float("nan")

    def as_json(self) -> dict:
        return {
            **asdict(self),
            "server_cpu_ms_per_comment": self.server_cpu_ms_per_comment,
            "server_core_share": round(self.server_core_share, 3),
        }


NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def parse_wrk_output(text: str) -> tuple[dict, int]:
    """The WRK_RESULT line our Lua script prints, and wrk's own count of non-2xx/3xx answers."""
    for line in text.splitlines():
        if line.startswith("WRK_RESULT "):
            summary = json.loads(line.removeprefix("WRK_RESULT "))
            break
    else:
        raise RuntimeError(f"wrk printed no WRK_RESULT line; its output was:\n{text}")
    match = NON_2XX.search(text)
    return summary, int(match.group(1)) if match else 0


def run_wrk(
    wrk: str,
    server: Server,
    templates: Path,
    run_tag: str,
    *,
    connections: int,
    threads: int,
    duration_s: float,
    timeout_s: float = 30.0,
    pause_ms: int = 0,
) -> LoadResult:
    """One wrk run against a live server; CPU of both sides measured over exactly this run."""
    args = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration_s:g}s",
        f"--timeout={timeout_s:g}s",
    ]
    args += ["-s", str(LUA_SCRIPT), server.url, "--", str(templates), run_tag, str(pause_ms)]
    client_before, server_before = children_cpu_seconds(), server.cpu_seconds()
    finished = subprocess.run(args, capture_output=True, text=True, timeout=duration_s + 60)
    server_cpu = server.cpu_seconds() - server_before
    client_cpu = children_cpu_seconds() - client_before
    if finished.returncode != 0:
        raise RuntimeError(
            f"wrk failed ({finished.returncode}):\n{finished.stdout}{finished.stderr}"
        )
    summary, non_2xx = parse_wrk_output(finished.stdout)
    duration = summary["duration_us"] / 1e6
    accepted = summary["requests"] - non_2xx
    socket_errors = sum(
        summary[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts")
    )
    return LoadResult(
        server=server.name,
        connections=connections,
        duration_s=round(duration, 3),
        requests=summary["requests"],
        non_2xx_3xx=non_2xx,
        socket_errors=socket_errors,
        comments_per_s=round(accepted / duration, 1),
        p50_ms=summary["p50_us"] / 1000,
        p90_ms=summary["p90_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        max_ms=summary["max_us"] / 1000,
        client_cpu_s=round(client_cpu, 3),
        server_cpu_s=round(server_cpu, 3),
    )
