"""No acknowledged comment is lost: a burst of concurrent POSTs, SIGKILL in the middle of it,
a restart, and every comment that was answered 201 is in the database."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx

CLIENTS = 64
TOTAL = 1000
KILL_AFTER = 150  # acknowledged comments before the kill: well inside the burst


async def burst(inbox) -> tuple[list[str], int]:
    """Send up to TOTAL comments from CLIENTS concurrent clients; SIGKILL the server once
    KILL_AFTER have been acknowledged. Returns the acknowledged Ids and the failed requests."""
    acknowledged: list[str] = []
    failures = 0
    numbers = iter(range(TOTAL))
    killed = asyncio.Event()

    async def client(session: httpx.AsyncClient) -> None:
        nonlocal failures
        for number in numbers:
            data = {
                "essay": "open-essay",
                "name": f"Reader {number}",
                "email": f"reader{number}@example.org",
                "body": f"Comment number {number} in the burst.",
            }
            try:
                answer = await session.post("/comments", data=data)
            except httpx.HTTPError:
                failures += 1
                return
            if answer.status_code == 201:
                acknowledged.append(answer.json()["id"])
                if len(acknowledged) >= KILL_AFTER and not killed.is_set():
                    killed.set()
                    inbox.kill()

    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    headers = {"Accept": "application/json"}
    async with httpx.AsyncClient(
        base_url=inbox.url, limits=limits, headers=headers, timeout=10
    ) as session:
        await asyncio.gather(*(client(session) for _ in range(CLIENTS)))
    return acknowledged, failures


def test_every_acknowledged_comment_survives_a_sigkill_mid_burst(start_inbox):
    inbox = start_inbox(env={"LETTERPRESS_COMMENT_RATE": "0"})
    # A thread of its own: Playwright's sync API may hold an event loop in the main thread.
    with ThreadPoolExecutor(1) as runner:
        acknowledged, failures = runner.submit(asyncio.run, burst(inbox)).result()
    assert len(acknowledged) >= KILL_AFTER
    assert failures > 0, "the kill should have cut requests off mid-burst"
    assert len(acknowledged) < TOTAL

    inbox.start()  # same database file, same port
    stored = {row["id"] for row in inbox.rows("SELECT id FROM comments WHERE status = 'pending'")}
    missing = set(acknowledged) - stored
    assert missing == set(), f"{len(missing)} acknowledged comments were lost"
    assert httpx.get(inbox.url + "/healthz").status_code == 200
