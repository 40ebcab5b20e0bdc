"""Rendering of HTML pages: one Jinja2 environment and one `render` that every page goes through.

`render` adds what the base layout needs on every page: the signed-in user, this session's CSRF
token for forms, and the navigation with the current section marked.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from hoshin.api.security import csrf_token
from hoshin.service.auth import can
from hoshin.web import TEMPLATE_DIR

__all__ = ["NAVIGATION", "navigation_for", "render", "templates"]

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
# Sections not every role may open: their link shows only to users whose role allows the action,
# so nobody is offered a page that answers "not allowed".
_SECTION_NEEDS = {"/audit": "audit.read", "/admin": "user.read"}
# Pages outside the navigation's own paths, and the section they belong to: principles are part of
# the brand, a person's or unit's line of sight is part of the goal cascade.
_SECTION_OF = {"/principles": "/brand", "/people": "/goals", "/units": "/goals"}


def _active_section(path: str) -> str:
    best = "/"
    for href in [href for _, href in NAVIGATION] + list(_SECTION_OF):
        if href != "/" and (path == href or path.startswith(href + "/")):
            best = _SECTION_OF.get(href, href)
    return best


def navigation_for(user: Any) -> tuple[tuple[str, str], ...]:
    """The navigation entries `user` may open (all of them before sign-in, when none is shown)."""
    if user is None:
        return NAVIGATION
    return tuple(
        (label, href)
        for label, href in NAVIGATION
        if href not in _SECTION_NEEDS or can(user, _SECTION_NEEDS[href])
    )


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """The template `name` rendered with `context` plus user, csrf_token, navigation and active section."""
    user = getattr(request.state, "user", None)
    values: dict[str, Any] = {
        "user": user,
        "navigation": navigation_for(user),
        "active": _active_section(request.url.path),
        "csrf_token": csrf_token(request.session) if "session" in request.scope else "",
    }
    values.update(context or {})
    return templates.TemplateResponse(request, name, values, status_code=status_code)
