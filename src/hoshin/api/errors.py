"""Every error a request can end in is rendered here, and only here.

Hoshin's own exceptions map to HTTP statuses once; a request under /api gets JSON
(``{"error": {"type", "status", "message", ...}}``), any other path gets the HTML error page (or,
when the visitor is simply not signed in, a redirect to the login page). Routes never build error
responses themselves, and since every write runs inside one store transaction, a request that
fails has changed nothing.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from hoshin.errors import (
    AuthenticationError,
    ConfigError,
    ConflictError,
    EmbeddingError,
    HoshinError,
    InputError,
    NotFoundError,
    PermissionDenied,
    RowError,
    StorageError,
    TooManyAttempts,
)

__all__ = ["install_error_handlers", "is_api_request", "status_for"]

log = logging.getLogger("hoshin.api")

_STATUS: tuple[tuple[type[HoshinError], int], ...] = (
    (InputError, 422),
    (NotFoundError, 404),
    (ConflictError, 409),
    (PermissionDenied, 403),
    (AuthenticationError, 401),
    (TooManyAttempts, 429),
    (StorageError, 503),
    (EmbeddingError, 503),
    (ConfigError, 500),
)
_TITLES = {
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed here",
    409: "Conflict",
    422: "Please check your input",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Temporarily unavailable",
}


def status_for(error: HoshinError) -> int:
    """The HTTP status a Hoshin error stands for (500 for anything unmapped)."""
    for cls, status in _STATUS:
        if isinstance(error, cls):
            return status
    return 500


def is_api_request(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


def _json(
    status: int,
    kind: str,
    message: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": kind, "status": status, "message": message}
    body.update(extra or {})
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _page(request: Request, status: int, message: str, details: list[str] | None = None) -> Response:
    from hoshin.api.rendering import render

    return render(
        request,
        "error.html",
        {
            "status": status,
            "title": _TITLES.get(status, "Error"),
            "message": message,
            "details": details or [],
        },
        status_code=status,
    )


def _respond(
    request: Request,
    status: int,
    kind: str,
    message: str,
    extra: dict[str, Any] | None = None,
    details: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if is_api_request(request):
        if status == 401:
            headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
        return _json(status, kind, message, extra, headers)
    if status == 401 and request.method == "GET":
        # A visitor who is not signed in wants the login form, not an error page.
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    page = _page(request, status, message, details)
    page.headers.update(headers or {})
    return page


def _server_folders() -> tuple[str, ...]:
    """Folders of the server that no answer names: the temporary folder uploads are written to
    and the data folder (databases, caches)."""
    import tempfile

    from hoshin import config

    folders = [tempfile.gettempdir()]
    try:
        folders.append(str(config.data_dir()))
    except Exception:  # noqa: BLE001 - a data folder that cannot be worked out names nothing
        pass
    return tuple(sorted({f.rstrip("/\\") for f in folders if f}, key=len, reverse=True))


def public_text(text: str | None) -> str | None:
    """`text` with every path inside a server folder cut to its file name: an upload is named as
    its sender named it ('ideas.csv'), not as the server stored it ('/tmp/tmpk2x9/ideas.csv')."""
    if not text:
        return text
    for folder in _server_folders():
        text = re.sub(re.escape(folder) + r"[\\/](?:[^\s'\"]*[\\/])?", "", text)
    return text


async def _hoshin_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HoshinError)
    status = status_for(exc)
    extra: dict[str, Any] = {}
    headers: dict[str, str] | None = None
    if isinstance(exc, TooManyAttempts):
        extra = {"retry_after_s": exc.retry_after_s}
        headers = {"Retry-After": str(exc.retry_after_s)}
    if isinstance(exc, RowError):
        extra = {
            "source": public_text(exc.source),
            "row": exc.row,
            "field": exc.field,
            "problem": public_text(exc.problem),
            "fix": public_text(exc.fix),
        }
    # The database's own words (tables, constraints, values) stay in the server log.
    message = getattr(exc, "public", None) or public_text(str(exc)) or ""
    if status >= 500:
        log.error("request failed: %s", exc)
    elif message != str(exc):
        log.info("%s %s answered %d: %s", request.method, request.url.path, status, exc)
    return _respond(request, status, type(exc).__name__, message, extra, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = []
    for problem in exc.errors():
        where = ".".join(
            str(part) for part in problem.get("loc", ()) if part not in ("body", "query", "path")
        )
        fields.append({"field": where, "problem": problem.get("msg", "invalid")})
    details = [f"{item['field']}: {item['problem']}" for item in fields]
    message = "the request is not valid: " + "; ".join(details)
    return _respond(request, 422, "InputError", message, {"fields": fields}, details)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = str(exc.detail) if exc.detail else _TITLES.get(exc.status_code, "Error")
    if exc.status_code == 404:
        message = f"there is nothing at {request.url.path}"
    return _respond(request, exc.status_code, "HTTPError", message)


async def _unexpected(request: Request, exc: Exception) -> Response:
    # The details go to the log, never to the visitor: they may contain SQL or file paths.
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return _respond(request, 500, "InternalError", "an unexpected error occurred; it has been logged")


def install_error_handlers(app: FastAPI) -> None:
    """Register the one translation of errors into responses on `app`."""
    app.add_exception_handler(HoshinError, _hoshin_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
