"""The one size limit in front of every route: a request body larger than HOSHIN_MAX_REQUEST_MB is
refused with 413 before the app reads it, and so before anyone is signed in.

FastAPI reads (and parses) a request's body before its dependencies run, authentication included,
so without a limit an anonymous client could make a worker hold hundreds of megabytes. This is a
plain ASGI middleware, outside every other layer of the app:

- a declared `Content-Length` above the limit is answered at once, without reading a byte;
- a body sent without one (chunked) is counted as it arrives; once it passes the limit the app's
  read fails, whatever the app made of that failure is dropped, and the client gets the same 413.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["BodySizeLimit"]


class _TooLarge(Exception):
    """Raised into the app's read of the body once it has passed the limit."""


class BodySizeLimit:
    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return

        seen = 0
        exceeded = False
        started = False

        async def counted() -> Any:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
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
            await self._refuse(send)

    async def _refuse(self, send: Any) -> None:
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
