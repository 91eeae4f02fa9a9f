"""The inbox application: routes and schemas gathered from the feature modules.

A feature module (comments, registrations, subscribe) is a module in this package with:
  routes: list[starlette.routing.Route]  its endpoints.
Its tables are in the one list of the inbox's schema (schema.py), which `open_inbox` applies.
Its endpoints find the shared resources in `request.state`: `config` (InboxConfig, with `clock`,
the one source of "now"), `db` (the one writer sqlite3 connection), `writes` (GroupCommit on that
connection, for the busiest writes), `site` (SiteManifest: the built site's manifest, re-read on
change), `mailing` (the mailing backend) and `form_pages` (the build's templates for re-showing a
refused form, form_pages.py). Adding a feature is one import and one entry in
FEATURES. A module may also have
  background: async function(state) run beside the server (cancelled when it stops).
"""

import asyncio
import contextlib
import gc
import sqlite3
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from letterpress.mailing import backend_from_env

from . import (
    admin_page,
    comments,
    notifications,
    payments,
    people,
    publication,
    registrations,
    retention,
    seat_holds,
    seats,
    share,
    subscribe,
)
from .comment_checks import LIMITS
from .config import InboxConfig
from .db import Checkpointer
from .deadlines import BodyDeadline
from .errors import InboxError, TooLarge, Unavailable
from .faults import healthz, storage_error
from .form_pages import FormPages
from .group_commit import GroupCommit
from .responses import refused
from .schema import open_inbox
from .site import ManifestError, SiteManifest
from .site_fetch import SiteMirror

FEATURES = (
    comments,
    publication,
    registrations,
    seat_holds,
    seats,
    subscribe,
    notifications,
    people,
    retention,
    admin_page,
    payments,
    share,
)
COMMENT_CHARACTERS = LIMITS["body"]


def default_mailing_backend(config: InboxConfig):
    """The mailing backend chosen by the environment (outbox unless Mailchimp keys are set)."""
    return backend_from_env(config.environ, config.build_path)


class RefuseLargeBodies:
    """Answers 413 with a sentence (JSON or a page) when the declared body is over the limit,
    before any of it is read. Starlette's RequestBodyLimitMiddleware stays behind it for bodies
    that declare no length."""

    def __init__(self, app, max_body_bytes: int):
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            request = Request(scope)
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_body_bytes:
                limit = self.max_body_bytes // 1024
                error = TooLarge(
                    f"The form is larger than the inbox accepts ({limit} KB, more than the "
                    f"longest text any field takes: {COMMENT_CHARACTERS:,} characters for a "
                    "comment); shorten the text and send it again."
                )
                await refused(request, error)(scope, receive, send)
                return
        await self.app(scope, receive, send)


# Starlette types every exception handler as taking any Exception; each is registered for one
# class only (create_app's exception_handlers), so the narrowing below always holds.
async def _inbox_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, InboxError)
    return refused(request, error)


async def _manifest_error(request: Request, error: Exception) -> Response:
    return refused(request, Unavailable(f"The inbox cannot read the site: {error}"))


def site_manifest(config: InboxConfig) -> SiteManifest:
    """The manifest as the configuration says: a file, or a copy of the published site's."""
    mirror = None
    if config.manifest_url:
        mirror = SiteMirror(config.manifest_url, config.manifest_path.parent)
    return SiteManifest(config.manifest_path, mirror, config.manifest_stale_after)


def create_app(config: InboxConfig, *, mailing=None) -> Starlette:
    """The inbox as an ASGI app; the database opens when the server starts (lifespan)."""
    routes = [Route("/healthz", healthz, methods=["GET"])]
    routes += [route for module in FEATURES for route in module.routes]

    @asynccontextmanager
    async def lifespan(app: Starlette):
        # busy timeout 0: SQLite's busy wait would sleep on the event loop (GroupCommit waits).
        db = open_inbox(config.db_path, busy_timeout_ms=0)
        db.execute("PRAGMA wal_autocheckpoint = 0")  # the Checkpointer does it, off the loop
        checkpointer = Checkpointer(config.db_path).start()
        site = site_manifest(config)
        if site.mirror is not None:
            # One refresh before the first request, so a fresh server has the site if it is up.
            await asyncio.to_thread(site.mirror.refresh)
        # Everything loaded so far lives as long as the server. Left to the collector, it is
        # traversed by each full collection (measured: 35-40 ms with the loop stopped, enough
        # to show in p99); frozen, a collection visits only what requests create.
        gc.freeze()
        state = {
            "config": config,
            "db": db,
            "writes": GroupCommit(db),
            "site": site,
            "mailing": mailing if mailing is not None else default_mailing_backend(config),
            "form_pages": FormPages.beside(config.manifest_path),
        }
        tasks = [
            asyncio.create_task(module.background(state))
            for module in FEATURES
            if hasattr(module, "background")
        ]
        if site.mirror is not None:
            tasks.append(asyncio.create_task(site.mirror.keep_fresh(config.manifest_refresh)))
        try:
            yield state
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            checkpointer.stop()
            db.close()

    middleware = [
        Middleware(BodyDeadline, seconds=config.body_timeout),
        Middleware(RefuseLargeBodies, max_body_bytes=config.max_body_bytes),
        Middleware(RequestBodyLimitMiddleware, max_body_size=config.max_body_bytes),
    ]
    if config.allowed_origin:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=[config.allowed_origin],
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
            )
        )
    return Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={
            InboxError: _inbox_error,
            ManifestError: _manifest_error,
            sqlite3.Error: storage_error,
            OSError: storage_error,
        },
    )
