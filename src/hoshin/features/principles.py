"""The mission's principles: `GET|PUT /api/v1/principles`, `GET /api/v1/principles/flags` (the texts
that contradict one) and the /principles page. They sit under the brand section of the app.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import Field

from hoshin.api import schemas
from hoshin.api.deps import Context, get_aligner, permit
from hoshin.api.params import form_rows
from hoshin.api.rendering import render
from hoshin.service import brand
from hoshin.service import record_reads as reads
from hoshin.service.auth import can

__all__ = ["api", "pages"]

api = APIRouter(tags=["brand"])
pages = APIRouter(include_in_schema=False)


class PrincipleIn(schemas._In):
    id: schemas.Id
    text: Annotated[str, Field(min_length=1, max_length=1_000)]
    rationale: Annotated[str, Field(max_length=5_000)] = ""
    owner: schemas.Id | None = None


class PrinciplesUpdate(schemas._In):
    principles: list[PrincipleIn] = Field(max_length=50)


@api.get("/principles")
def api_principles(ctx: Annotated[Context, Depends(permit("mission.read"))]) -> list[dict[str, Any]]:
    """The principles of the current mission version, with rationale and owner."""
    return brand.principles(ctx.store, ctx.org)


@api.put("/principles")
def api_put_principles(
    body: PrinciplesUpdate, ctx: Annotated[Context, Depends(permit("mission.update"))]
) -> list[dict[str, Any]]:
    """Replace the principles (stored as a new mission version)."""
    items = [p.model_dump() for p in body.principles]
    brand.save_principles(ctx.store, ctx.org, items, ctx.user.username, get_aligner(ctx.request))
    return brand.principles(ctx.store, ctx.org)


@api.get("/principles/flags")
def api_flags(ctx: Annotated[Context, Depends(permit("mission.read"))]) -> list[dict[str, Any]]:
    """Goals, ideas, communications and documents that contradict a principle, with the sentence."""
    return brand.all_principle_flags(ctx.store, ctx.org, get_aligner(ctx.request))


@pages.get("/principles", response_class=HTMLResponse)
def principles_page(
    request: Request, ctx: Annotated[Context, Depends(permit("mission.read"))]
) -> HTMLResponse:
    return render(
        request,
        "brand/principles.html",
        {
            "principles": brand.principles(ctx.store, ctx.org),
            "flags": brand.all_principle_flags(ctx.store, ctx.org, get_aligner(request)),
            "people": reads.rows(ctx.store, ctx.org, "people"),
            "can_edit": can(ctx.user, "mission.update"),
            "saved": request.query_params.get("saved"),
        },
    )


@pages.post("/principles")
async def principles_save(
    request: Request, ctx: Annotated[Context, Depends(permit("mission.update"))]
) -> RedirectResponse:
    rows = form_rows(await request.form(), ("id", "text", "rationale", "owner"))
    brand.save_principles(ctx.store, ctx.org, rows, ctx.user.username, get_aligner(request))
    return RedirectResponse("/principles?saved=1", status_code=303)
