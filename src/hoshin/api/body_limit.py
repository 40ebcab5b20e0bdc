"""The one size limit in front of every route: a request body larger than HOSHIN_MAX_REQUEST_MB is
refused with 413 before the app reads it, and so before anyone is signed in.

FastAPI reads (and parses) a request's body before its dependencies run, authentication included,
so without a limit an anonymous client could make a worker hold hundreds of megabytes. This is a
plain ASGI middleware, outside every other layer of the app:

- a declared `Content-Length` above the limit is answered at once, without reading a byte;
- a body sent without one (chunked) is counted as it arrives; once it passes the limit the app's
  read fails, whatever the app made of that failure is dropped, and the client gets the same 413.

A request that carries no valid credential (no bearer token and no session cookie of a signed-in
user, both checked by their signatures alone, without the database) gets a far smaller limit: the
only bodies an anonymous client has any business sending are sign-in forms, and under the full
limit ten anonymous chunked posts could still make a worker buffer ten times HOSHIN_MAX_REQUEST_MB.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["ANONYMOUS_MAX_BYTES", "BodySizeLimit"]

# A sign-in form or token request is a few hundred bytes; 64 KiB leaves room for any form a visitor
# who is not signed in may post.
ANONYMOUS_MAX_BYTES = 64 * 1024


class _TooLarge(Exception):
    """Raised into the app's read of the body once it has passed the limit."""


class BodySizeLimit:
    def __init__(
        self,
        app: Any,
        max_bytes: int,
        signed_in: Callable[[Any], bool] | None = None,
        anonymous_max_bytes: int = ANONYMOUS_MAX_BYTES,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # Whether a request's headers carry a valid credential; None: every request is trusted.
        self.signed_in = signed_in
        self.anonymous_max_bytes = min(anonymous_max_bytes, max_bytes)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        anonymous = self.signed_in is not None and not self.signed_in(scope)
        limit = self.anonymous_max_bytes if anonymous else self.max_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            # Over the full limit, signing in would not help: say which limit it is.
            await self._refuse(send, anonymous and declared <= self.max_bytes)
            return

        seen = 0
        exceeded = False
        started = False

        async def counted() -> Any:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    exceeded = True
                    raise _TooLarge
            return message

        async def answer(message: Any) -> None:
            nonlocal started
            if exceeded:
                return  # the app's own reply to the failed read (a 400 or 500) is replaced below
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, answer)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await self._refuse(send, anonymous)

    async def _refuse(self, send: Any, anonymous: bool = False) -> None:
        if anonymous:
            message = (
                "sign in first: without a valid session or API token a request body may hold at most "
                f"{self.anonymous_max_bytes // 1024} KiB (get a token from POST /api/v1/auth/token)"
            )
        else:
            limit = self.max_bytes / 2**20
            shown = f"{limit:.0f} MiB" if limit >= 1 else f"{self.max_bytes} bytes"
            message = (
                f"the request body is larger than this server accepts ({shown}); send a smaller file, "
                "use the command line (`hoshin import`, `hoshin jobs import`) for large ones, or raise "
                "HOSHIN_MAX_REQUEST_MB"
            )
        body = json.dumps({"error": {"type": "RequestTooLarge", "status": 413, "message": message}}).encode(
            "utf-8"
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode("ascii")),
                    # The rest of the body is never read: the connection cannot carry another request.
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Any) -> int | None:
    """The declared body length; None when absent or malformed (then the bytes are counted)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
