"""Browser security headers on every answer the app gives: pages, API, static files and errors.

A plain ASGI middleware, outermost, so even a refusal from the size limit carries them. A header a
route set itself is left alone.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SecurityHeaders"]

# Everything the app serves comes from itself: its own scripts, styles, fonts and chart images
# (data: URIs in the board report). Inline scripts and styles are still allowed because the idea
# form's twin search and the offline API docs (/docs, /redoc) use them; moving those into /static
# would let 'unsafe-inline' go. Framing is refused outright (clickjacking), as are plugins, a
# <base> pointing elsewhere, and forms posting to another site.
_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
_ALWAYS = (
    (b"content-security-policy", _POLICY.encode("ascii")),
    (b"x-frame-options", b"DENY"),  # frame-ancestors for browsers that predate CSP 2
    (b"x-content-type-options", b"nosniff"),  # an uploaded CSV is never run as a script
    # Record ids in URLs stay within the site; links out carry no referrer at all.
    (b"referrer-policy", b"same-origin"),
)
# Sent only behind TLS (HOSHIN_SECURE_COOKIE): a browser then refuses plain HTTP to this host.
_HSTS = (b"strict-transport-security", b"max-age=31536000")


class SecurityHeaders:
    def __init__(self, app: Any, https: bool = False) -> None:
        self.app = app
        self.headers = _ALWAYS + ((_HSTS,) if https else ())

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
