"""The mission's principles: `GET|PUT /api/v1/principles`, `GET /api/v1/principles/flags` (the texts
that contradict one) and the /principles page. They sit under the brand section of the app.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import Field

from hoshin.api import schemas
from hoshin.api.deps import Context, get_aligner, permit
from hoshin.api.rendering import render
from hoshin.domain.principle_examples import MAX_EXAMPLE_CHARS, MAX_EXAMPLES
from hoshin.errors import InputError
from hoshin.service import brand
from hoshin.service import record_reads as reads
from hoshin.service.auth import can

__all__ = ["api", "pages"]

api = APIRouter(tags=["brand"])
pages = APIRouter(include_in_schema=False)


class PrincipleExampleIn(schemas._In):
    """A short text the organisation calls breaking (`contradicts`) or keeping (`supports`) the
    principle, e.g. "Skip the second test to ship on time"."""

    text: Annotated[str, Field(min_length=1, max_length=MAX_EXAMPLE_CHARS)]
    stance: Literal["contradicts", "supports"]


class PrincipleIn(schemas._In):
    id: schemas.Id
    text: Annotated[str, Field(min_length=1, max_length=1_000)]
    rationale: Annotated[str, Field(max_length=5_000)] = ""
    owner: schemas.Id | None = None
    examples: list[PrincipleExampleIn] = Field(default_factory=list, max_length=MAX_EXAMPLES)


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
    """Replace the principles (stored as a new mission version). Each may carry `examples`: short
    texts labelled contradicts or supports that the principles check then recognises."""
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
    return _page(request, ctx)


def _page(
    request: Request, ctx: Context, draft: list[dict[str, Any]] | None = None, error: str = ""
) -> HTMLResponse:
    """The principles page; after a refused edit, the form again with what was typed and why."""
    return render(
        request,
        "brand/principles.html",
        {
            "principles": brand.principles(ctx.store, ctx.org),
            "draft": draft,
            "error": error,
            "flags": brand.all_principle_flags(ctx.store, ctx.org, get_aligner(request)),
            "people": reads.rows(ctx.store, ctx.org, "people"),
            "can_edit": can(ctx.user, "mission.update"),
            "saved": request.query_params.get("saved"),
        },
        status_code=422 if error else 200,
    )


@pages.post("/principles", response_model=None)
async def principles_save(
    request: Request, ctx: Annotated[Context, Depends(permit("mission.update"))]
) -> RedirectResponse | HTMLResponse:
    rows = _principle_rows(await request.form())
    try:
        brand.save_principles(ctx.store, ctx.org, rows, ctx.user.username, get_aligner(request))
    except InputError as exc:
        return _page(request, ctx, draft=rows, error=str(exc))
    return RedirectResponse("/principles?saved=1", status_code=303)


_FIELDS = ("id", "text", "rationale", "owner")


def _principle_rows(form: Any) -> list[dict[str, Any]]:
    """The principles of the edit form (`text-0`, ...), each with its examples (`example-0-1-text`,
    `example-0-1-stance`); a principle or example row left blank or ticked for removal is dropped."""
    rows: list[dict[str, Any]] = []
    for n in range(100):
        if not any(f"{f}-{n}" in form for f in _FIELDS):
            break
        row: dict[str, Any] = {f: str(form.get(f"{f}-{n}") or "").strip() for f in _FIELDS}
        if not any(row.values()):
            continue
        examples = []
        for m in range(MAX_EXAMPLES + 1):  # one blank row more than may be kept: the "add" row
            text = str(form.get(f"example-{n}-{m}-text") or "").strip()
            if text and not form.get(f"example-{n}-{m}-remove"):
                examples.append({"text": text, "stance": str(form.get(f"example-{n}-{m}-stance") or "")})
        row["examples"] = examples
        rows.append(row)
    return rows
