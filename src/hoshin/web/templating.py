"""Rendering of HTML pages: one Jinja2 environment and one `render` that every page goes through.

`render` adds what the base layout needs on every page: the signed-in user, this session's CSRF
token for forms, and the navigation with the current section marked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

__all__ = ["NAVIGATION", "STATIC_DIR", "TEMPLATE_DIR", "render", "templates"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
templates = Jinja2Templates(directory=str(TEMPLATE_DIR))

# (label, path): the sections of the app, in the order the navigation shows them.
NAVIGATION = (
    ("Dashboard", "/"),
    ("Mission", "/mission"),
    ("Goals", "/goals"),
    ("Ideas", "/ideas"),
    ("Knowledge", "/knowledge"),
    ("Brand", "/brand"),
    ("Jobs", "/jobs"),
    ("Audit", "/audit"),
    ("Admin", "/admin"),
)


def _active_section(path: str) -> str:
    best = "/"
    for _, href in NAVIGATION:
        if href != "/" and (path == href or path.startswith(href + "/")):
            best = href
    return best


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """The template `name` rendered with `context` plus user, csrf_token, navigation and active section."""
    from hoshin.api.security import csrf_token

    values: dict[str, Any] = {
        "user": getattr(request.state, "user", None),
        "navigation": NAVIGATION,
        "active": _active_section(request.url.path),
        "csrf_token": csrf_token(request.session) if "session" in request.scope else "",
    }
    values.update(context or {})
    return templates.TemplateResponse(request, name, values, status_code=status_code)
