"""One person's data through the admin API (bearer token), for `invoke people.export --remote`
and `people.forget --remote`:

  GET  /people/{email}          everything held about the address (JSON)
  POST /people/{email}/forget   erase it (field remove_comments=yes also deletes published
                                comments' rows; the task then deletes their files)

The work is personal_data.py's, shared with the local tasks.
"""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from letterpress.fields import says_yes
from letterpress.notify.transport import outbox_folder

from . import personal_data as people
from .auth import admin_only
from .db import compact_file
from .errors import InboxError, Unavailable
from .forms import read_fields
from .site import ManifestError, site_base

__all__ = ["routes"]


def _where(request: Request) -> dict:
    try:
        manifest = request.state.site.current()
    except ManifestError:
        manifest = None
    site_url = site_base(request.state.config, manifest)
    return {"site_url": site_url, "essays": manifest.essays if manifest else {}}


@admin_only
async def show_person(request: Request):
    email = request.path_params["email"]
    try:
        held = people.held_here(request.state.db, email, **_where(request))
        # The mailing service is called over the network: off the event loop.
        held["mailing_list"] = await run_in_threadpool(
            people.on_the_list, request.state.mailing, email
        )
    except people.PeopleError as error:
        raise InboxError(str(error), field="email") from None
    return JSONResponse(held)


@admin_only
async def forget_person(request: Request):
    fields = await read_fields(request, ("remove_comments",))
    config = request.state.config
    email = request.path_params["email"]
    try:
        done = people.forget_here(
            request.state.db,
            email,
            remove_comments=says_yes(fields.get("remove_comments", "")),
            outbox=outbox_folder(config.build_path),
            compact=False,
        )
    except people.PeopleError as error:
        raise InboxError(str(error), field="email") from None
    # VACUUM rewrites the whole file: from a connection of its own, off the event loop.
    await run_in_threadpool(compact_file, config.db_path)
    try:
        done["mailing_list"] = await run_in_threadpool(
            people.forget_on_list, request.state.mailing, email
        )
    except people.PeopleError as error:
        raise Unavailable(f"The inbox has forgotten the address. {error}") from None
    return JSONResponse(done)


routes = [
    Route("/people/{email}", show_person, methods=["GET"]),
    Route("/people/{email}/forget", forget_person, methods=["POST"]),
]
