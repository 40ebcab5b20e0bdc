"""The one dependency every route goes through: who is asking, and may they do this?

`permit(action)` resolves the signed-in user (session cookie or `Authorization: Bearer` token),
checks the CSRF token on any state-changing request that relies on the session cookie, asks the
policy whether the user's role allows the action at all, and hands the route a `Context` with the
user, the store and a `check()` for the record-level question once the record is loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from hoshin.api.security import CSRF_FIELD, CSRF_HEADER, TOKEN_MAX_AGE_S, check_csrf
from hoshin.errors import AuthenticationError, HoshinError, StorageError
from hoshin.service.auth import Principal, require

if TYPE_CHECKING:  # the store is opened lazily, on the first request that needs it
    from hoshin.store.repository import Repository

__all__ = [
    "TOKEN_MAX_AGE_S",
    "Context",
    "client_address",
    "get_aligner",
    "get_store",
    "permit",
    "plain_parameters",
    "session_user",
    "warm_up",
]

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_store_lock = threading.Lock()
_aligner_lock = threading.Lock()


def get_store(request: Request) -> Repository:
    """The app's Repository, opened (and migrated) on first use; StorageError if the db is unreachable."""
    app = request.app
    store: Repository | None = getattr(app.state, "store", None)
    if store is not None:
        return store
    with _store_lock:
        if app.state.store is None:
            from hoshin.service.verdict_reasons import open_store

            try:
                app.state.store = open_store(app.state.database_url)
            except HoshinError:
                raise
            except Exception as exc:  # the driver's own error says little to a user
                raise StorageError(f"cannot open the database: {type(exc).__name__}") from None
        opened: Repository = app.state.store
        return opened


def get_aligner(request: Request) -> Any:
    """The app's Aligner (vectors cached in the app's store), built on first use and then shared."""
    app = request.app
    aligner = getattr(app.state, "aligner", None)
    if aligner is None:
        store = get_store(request)
        with _aligner_lock:
            aligner = getattr(app.state, "aligner", None)
            if aligner is None:
                from hoshin.service.shared_aligner import build_shared_aligner

                # The cache and the model's process are kept on the app, so that its shutdown can
                # write the held-back vectors and end the child process.
                aligner, app.state.vector_cache, app.state.model_runner = build_shared_aligner(
                    store, model_process=getattr(app.state, "model_process", False)
                )
                app.state.aligner = aligner
    return aligner


def warm_up(app: Any) -> None:
    """Load the model and the engine's calibration data now rather than on the first request."""
    from hoshin.service.shared_aligner import warm

    warm(get_aligner(Request({"type": "http", "app": app})))


@dataclass
class Context:
    """What a guarded route gets: the user, the store, and the record-level permission check."""

    user: Principal
    store: Repository
    request: Request

    @property
    def org(self) -> str:
        return self.user.organisation_id

    def check(self, action: str, record: Mapping[str, Any] | None = None) -> None:
        """PermissionDenied unless the user may do `action` to this particular record."""
        require(self.user, action, record)


def session_user(request: Request) -> Principal | None:
    """The user of the session cookie, or None; also stored on request.state for the templates."""
    from hoshin.service.auth import load_principal

    data = request.session.get("user")
    if not isinstance(data, dict):
        return None
    try:
        user = load_principal(
            get_store(request), data.get("org", ""), data.get("name", ""), data.get("fp", ""), session=True
        )
    except AuthenticationError:
        request.session.pop("user", None)  # the user was deactivated or changed password
        return None
    request.state.user = user
    return user


def client_address(request: Request) -> str:
    """The address a request comes from, as the server saw it (behind a proxy on this machine,
    uvicorn takes it from X-Forwarded-For); sign-in attempts are counted per address."""
    return request.client.host if request.client is not None else "unknown"


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


async def _submitted_csrf(request: Request) -> str | None:
    if CSRF_HEADER in request.headers:
        return request.headers[CSRF_HEADER]
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # Starlette caches it, so the route's Form(...) fields still work
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def authenticate(request: Request) -> Principal:
    """The signed-in user; AuthenticationError if neither a valid token nor a session is present."""
    from hoshin.service.auth import principal_from_token

    token = _bearer(request)
    user: Principal | None
    if token is not None:
        user = principal_from_token(get_store(request), request.app.state.secret_key, token, TOKEN_MAX_AGE_S)
        request.state.user = user
        return user  # a bearer token cannot be sent by a forged cross-site form: no CSRF check
    user = session_user(request)
    if user is None:
        raise AuthenticationError("sign in first (or send an 'Authorization: Bearer' token)")
    if request.method not in _SAFE_METHODS:
        check_csrf(request.session, await _submitted_csrf(request))
    return user


def plain_parameters(request: Request) -> None:
    """An app-wide dependency: no path or query parameter may hold a NUL character.

    No store holds a text with one, so no record can be named by it, and PostgreSQL refuses any
    query that carries one (a unit filter or a record key with %00 answered 503). Refused before
    the route runs, as a 422 naming each such parameter, like any other parameter that breaks its
    declaration; request bodies are checked by their models (api/schemas.py).
    """
    from hoshin.service.records import NUL_PROBLEM, holds_nul

    given = [("path", name, value) for name, value in request.path_params.items()]
    given += [("query", name, value) for name, value in request.query_params.multi_items()]
    problems = [
        {"type": "value_error", "loc": (where, name), "msg": NUL_PROBLEM, "input": value}
        for where, name, value in given
        if holds_nul(value)
    ]
    if problems:
        raise RequestValidationError(problems)


def permit(action: str) -> Callable[..., Any]:
    """A dependency: the route needs a signed-in user whose role may perform `action` on some record."""

    async def guard(request: Request) -> Context:
        user = await authenticate(request)
        require(user, action)
        return Context(user=user, store=get_store(request), request=request)

    guard.hoshin_action = action  # type: ignore[attr-defined]  # lets a test prove every route is guarded
    return guard
