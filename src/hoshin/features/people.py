"""Line of sight: a page per person (/people/{id}) and per unit (/units/{id}), and the same data as
JSON under /api/v1/people/{id}/line-of-sight and /api/v1/units/{id}/line-of-sight."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from hoshin.api.deps import Context, get_aligner, permit
from hoshin.api.rendering import render
from hoshin.service.line_of_sight import person_view, unit_view
from hoshin.service.visibility import sight_of

__all__ = ["api", "pages"]

api = APIRouter(tags=["line of sight"])
pages = APIRouter(include_in_schema=False)


@api.get("/people/{key}/line-of-sight")
def api_person(key: str, ctx: Annotated[Context, Depends(permit("person.read"))]) -> dict[str, Any]:
    """How the person's goals lead up to the company objectives and the mission, the mission themes
    their skills serve, and their accepted ideas with the reason."""
    return person_view(ctx.store, ctx.org, key, get_aligner(ctx.request), sight_of(ctx.user))


@api.get("/units/{key}/line-of-sight")
def api_unit(key: str, ctx: Annotated[Context, Depends(permit("unit.read"))]) -> dict[str, Any]:
    """The same for a unit and the units below it."""
    return unit_view(ctx.store, ctx.org, key, get_aligner(ctx.request), sight_of(ctx.user))


@pages.get("/people/{key}", response_class=HTMLResponse)
def person_page(
    key: str, request: Request, ctx: Annotated[Context, Depends(permit("person.read"))]
) -> HTMLResponse:
    view = person_view(ctx.store, ctx.org, key, get_aligner(request), sight_of(ctx.user))
    return render(request, "people/person.html", {"view": view})


@pages.get("/units/{key}", response_class=HTMLResponse)
def unit_page(
    key: str, request: Request, ctx: Annotated[Context, Depends(permit("unit.read"))]
) -> HTMLResponse:
    view = unit_view(ctx.store, ctx.org, key, get_aligner(request), sight_of(ctx.user))
    return render(request, "people/unit.html", {"view": view})
