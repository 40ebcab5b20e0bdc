"""The application factory: one FastAPI app serving the REST API (/api/v1), the HTML pages and /docs.

Each feature module (`hoshin.features.<name>`) brings its REST router (`api`, mounted under /api/v1)
and its pages (`pages`); this factory adds the HTTP layers of `hoshin.api` around them and includes
every router by name, in the order that decides which of two overlapping paths answers.

    from hoshin.app import create_app
    app = create_app("sqlite:///hoshin.sqlite3")   # or None: HOSHIN_DATABASE_URL, else the data folder

The database is opened on the first request that needs it, so a server whose database is down still
starts and answers /health with 503 instead of refusing to boot.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.middleware.sessions import SessionMiddleware

from hoshin import config
from hoshin.api.body_limit import BodySizeLimit
from hoshin.api.deps import get_store, plain_parameters, warm_up
from hoshin.api.errors import install_error_handlers
from hoshin.api.freshness import DashboardFreshness
from hoshin.api.headers import SecurityHeaders
from hoshin.api.security import carries_credential, secret_key
from hoshin.errors import HoshinError
from hoshin.features import (
    admin,
    auth,
    brand,
    cascade,
    corridor,
    dashboard,
    jobs,
    knowledge,
    mission,
    people,
    principles,
    records,
    single_sign_on,
)
from hoshin.service.dashboard_snapshots import DashboardSnapshots
from hoshin.service.shared_counter import SharedCounter
from hoshin.service.sign_in_limits import SignInGuard
from hoshin.threads import limit_blas_threads
from hoshin.web import STATIC_DIR

__all__ = ["SESSION_COOKIE", "create_app"]

SESSION_COOKIE = "hoshin_session"
SESSION_MAX_AGE_S = 12 * 3600


def create_app(
    database_url: str | None = None,
    *,
    secret: str | None = None,
    https_only: bool | None = None,
    warm: bool = False,
    model_process: bool = False,
) -> FastAPI:
    """A ready-to-serve app for `database_url` (see hoshin.config.database_url for the default).

    `secret` overrides HOSHIN_SECRET_KEY; a weak key raises ConfigError before anything is served.
    `https_only` marks the session cookie Secure (set it behind TLS; None: HOSHIN_SECURE_COOKIE).
    `warm` loads the model and the calibration data before the first request is taken (`hoshin
    serve`), so no user waits the seconds a cold start takes. `model_process` runs the model in a
    child process, out of reach of the request threads' contention for the interpreter lock
    (`hoshin serve`).
    """
    key = secret_key(secret)
    url = config.database_url(database_url)
    max_age = config.dashboard_max_age()
    max_body = config.max_request_bytes()
    if https_only is None:
        https_only = config.secure_cookie()
    limit_blas_threads()  # HOSHIN_CPU_THREADS, when set (`hoshin serve` sets 1)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            warm_up(app)
        yield
        if app.state.vector_cache is not None:
            app.state.vector_cache.close()  # write the vectors still held back (write-behind)
        if app.state.model_runner is not None:
            app.state.model_runner.close()  # the model's child process (`model_process`)
        store = app.state.store
        if store is not None and hasattr(store, "close"):
            store.close()
        # A closed store refuses new connections: an app started again opens everything afresh.
        app.state.store = app.state.aligner = app.state.vector_cache = app.state.model_runner = None
        app.state.dashboards.changed()

    # Swagger UI (/docs) and ReDoc (/redoc) with their scripts and styles served from the installed
    # fastapi-offline package, not a CDN: the docs work on a machine without internet access.
    app = FastAPIOffline(
        title="Hoshin",
        summary="Score goals, ideas, skills and texts against your mission.",
        version="0.1.0",
        docs_url="/docs",
        redoc_url="/redoc",
        lifespan=lifespan,
        # Every route, API and page alike: a NUL in a path or query parameter is a 422 naming it.
        dependencies=[Depends(plain_parameters)],
    )
    app.state.database_url = url
    app.state.model_process = model_process
    app.state.model_runner = None
    app.state.vector_cache = None
    app.state.secret_key = key
    app.state.sign_in = SignInGuard(config.sign_in_limits())
    app.state.single_sign_on = config.single_sign_on()  # None: password sign-in only
    app.state.store = None
    app.state.dashboards = DashboardSnapshots(max_age, shared=_dashboard_changes(url))
    app.add_middleware(DashboardFreshness, snapshots=app.state.dashboards)
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE_S,
        same_site="lax",  # a cross-site POST carries no session cookie at all
        https_only=https_only,
    )
    # Added last, so it runs first: an oversized body is refused before any other layer sees it.
    # A visitor without a valid credential may post only small bodies (a sign-in form).
    app.add_middleware(
        BodySizeLimit,
        max_bytes=max_body,
        signed_in=lambda scope: carries_credential(scope, key, SESSION_COOKIE, SESSION_MAX_AGE_S),
    )
    app.add_middleware(SecurityHeaders, https=https_only)  # outermost: every answer carries them
    install_error_handlers(app)

    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.add_api_route("/health", health, methods=["GET"], tags=["meta"])
    # Order matters where paths overlap: a feature's own views (/api/v1/ideas/duplicates,
    # /api/v1/goals/tree) come before the records' /api/v1/{kind}/{key}.
    for feature in (dashboard, knowledge, cascade, corridor.review, brand, principles, people, jobs):
        app.include_router(feature.api, prefix="/api/v1")
        app.include_router(feature.pages)
    app.include_router(single_sign_on.pages)
    for feature in (auth, admin, mission, corridor.ideas):
        app.include_router(feature.api, prefix="/api/v1")
    app.include_router(records.api, prefix="/api/v1")
    for feature in (auth, mission, admin, corridor.ideas):
        app.include_router(feature.pages)
    return app


def _dashboard_changes(url: str) -> SharedCounter | None:
    """The counter by which the server processes of one database on this machine tell each other
    that their dashboard numbers are out of date (one file per database in the data folder).
    None where the data folder cannot hold it: numbers from another worker then show within
    HOSHIN_DASHBOARD_MAX_AGE_S, as they do from another machine."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    try:
        return SharedCounter(config.data_dir() / "server" / f"dashboard-changes-{digest}")
    except OSError:
        return None


async def health(request: Request) -> JSONResponse:
    """`{"status": "ok", "database": "ok"}`, or 503 with the database's state when it cannot be reached."""
    try:
        get_store(request).organisations()  # one cheap query proves the database answers
    except HoshinError as exc:
        return JSONResponse(
            {"status": "degraded", "database": "unavailable", "detail": str(exc)}, status_code=503
        )
    return JSONResponse({"status": "ok", "database": "ok"})


def serving_app() -> FastAPI:
    """The app each `hoshin serve --workers N` process builds (the database from HOSHIN_DATABASE_URL)."""
    return create_app(warm=True, model_process=True)
