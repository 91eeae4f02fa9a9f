"""Approved comments on their way to the site, through the admin API (bearer token):

  GET  /approved-comments                  approved comments and author replies the published
                                           site does not show yet, with what a file needs
  POST /approved-comments/written          `ids`: the files a pull found or wrote
  POST /approved-comments/{id}/take-back   undo an approval no pull has written yet

`invoke comments.pull --remote` reads the first and reports to the second
(letterpress/moderation/pull.py); the moderation page lists the same records and takes back
through the same function (publication_store.py).
"""

import re

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .auth import admin_only
from .forms import read_fields
from .publication_store import (
    RECORD_FIELDS,
    approved_records,
    mark_written,
    take_back,
)
from .site import ManifestError

__all__ = ["live_ids", "routes"]


def live_ids(request: Request) -> frozenset[str]:
    """The comment Ids the published site shows (its manifest); none when it cannot be read,
    so every approved comment is listed."""
    try:
        manifest = request.state.site.current()
    except ManifestError:
        return frozenset()
    return frozenset(i for essay in manifest.essays.values() for i in essay.comment_ids)


def file_record(row: dict) -> dict:
    """A record as the API gives it: the file's fields, and when a pull reported it written."""
    return {**{key: row[key] for key in RECORD_FIELDS}, "written": row["written"]}


@admin_only
async def list_approved(request: Request):
    rows = approved_records(request.state.db, live_ids(request))
    return JSONResponse({"comments": [file_record(row) for row in rows]})


@admin_only
async def report_written(request: Request):
    fields = await read_fields(request, ("ids",))
    ids = [i for i in re.split(r"[\s,]+", fields.get("ids", "")) if i]
    known = mark_written(request.state.db, ids, request.state.config.clock())
    return JSONResponse({"marked": known})


@admin_only
async def take_back_approval(request: Request):
    comment_id = request.path_params["comment_id"]
    state = take_back(request.state.db, comment_id, request.state.config.clock(), live_ids(request))
    return JSONResponse({"id": comment_id, "status": state})


routes = [
    Route("/approved-comments", list_approved, methods=["GET"]),
    Route("/approved-comments/written", report_written, methods=["POST"]),
    Route("/approved-comments/{comment_id:str}/take-back", take_back_approval, methods=["POST"]),
]
