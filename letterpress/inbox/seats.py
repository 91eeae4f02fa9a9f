"""GET /workshops/<slug>/seats: how many seats are left, for the workshop page's script.

Public and read-only (no personal data: a count), JSON only, never cached; browsers on the site
read it through CORS (LETTERPRESS_ALLOWED_ORIGIN). Without JavaScript the page shows the build's
figure and this is never asked.
"""

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from letterpress.workshops.seats import state_now

from .errors import NotFound

# The one sum of seats taken (confirmed, and held by a hold not lapsed), as registering counts it.
from .registration_store import seats_taken

__all__ = ["routes"]

TAKING_REGISTRATIONS = ("open", "waitlist")


def seats_answer(seats: int, taken: int, state: str) -> dict:
    """What the page shows: seats left now (none once registration is closed or over)."""
    left = max(seats - taken, 0) if state in TAKING_REGISTRATIONS else 0
    return {"seats": seats, "taken": taken, "left": left, "state": state}


async def seats_left(request: Request) -> JSONResponse:
    slug = request.path_params["slug"]
    workshop = request.state.site.current().workshops.get(slug)
    if workshop is None:
        raise NotFound(f"There is no workshop “{slug}” on this site.")
    now = request.state.config.clock()
    state = state_now(workshop.state, workshop.start, workshop.end, now)
    answer = seats_answer(workshop.seats, seats_taken(request.state.db, slug, now), state)
    return JSONResponse({"workshop": slug, **answer}, headers={"Cache-Control": "no-store"})


routes = [Route("/workshops/{slug}/seats", seats_left, methods=["GET"])]
