"""The mission: its versions (`GET|POST|PUT /api/v1/mission`, `GET /api/v1/mission/versions`), the
/mission page with its corridor form (preview, then save), and the analysis of every version
(`GET /api/v1/mission/analysis`, /mission/analysis). The part-of entries the mission draws in are
listed (`GET /api/v1/mission/part-of`, the mission page), and a strategist may remove one that is
wrong for the organisation and restore it (`POST /api/v1/mission/part-of/{code}/remove|restore`,
the buttons on the page): each a new mission version, then fresh verdicts for every idea.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hoshin.api import schemas
from hoshin.api.deps import Context, get_aligner, permit
from hoshin.api.errors import status_for
from hoshin.api.params import checked, lines
from hoshin.api.rendering import render
from hoshin.errors import ConflictError, InputError, NotFoundError
from hoshin.service import brand
from hoshin.service.auth import can
from hoshin.service.corridor import preview_corridor, rescore_every_idea
from hoshin.service.missions import current_model, mission_history, mission_of, save_mission
from hoshin.service.part_of_removals import current_part_of, part_of_listing, remove_part, restore_part

__all__ = ["api", "pages"]

api = APIRouter()
pages = APIRouter(include_in_schema=False)


@api.get("/mission", response_model=schemas.MissionPublic, tags=["mission"])
def current_mission(ctx: Annotated[Context, Depends(permit("mission.read"))]) -> dict[str, Any]:
    """The current mission version."""
    mission = mission_of(ctx.store, ctx.org)
    if mission is None:
        raise NotFoundError("no mission yet: POST one to /api/v1/mission or load the demo (`hoshin demo`)")
    return mission


@api.get("/mission/versions", response_model=list[schemas.MissionPublic], tags=["mission"])
def mission_versions(ctx: Annotated[Context, Depends(permit("mission.read"))]) -> list[dict[str, Any]]:
    """Every mission version, oldest first."""
    return mission_history(ctx.store, ctx.org)


def _save_mission(ctx: Context, body: schemas.MissionCreate) -> dict[str, Any]:
    """A new mission version with its themes, then fresh verdicts for every idea."""
    aligner = get_aligner(ctx.request)
    mission = save_mission(
        ctx.store,
        ctx.org,
        body.text,
        body.focus_areas,
        body.exclusions,
        ctx.user.username,
        aligner,
        principles=body.principles if "principles" in body.model_fields_set else None,
        brand_attributes=body.brand_attributes if "brand_attributes" in body.model_fields_set else None,
    )
    rescore_every_idea(ctx.store, ctx.org, aligner)
    return mission


@api.post("/mission", response_model=schemas.MissionPublic, status_code=201, tags=["mission"])
def post_mission(
    body: schemas.MissionCreate, ctx: Annotated[Context, Depends(permit("mission.create"))]
) -> dict[str, Any]:
    """Store a new mission version (themes extracted); it becomes the current one and ideas are re-scored."""
    return _save_mission(ctx, body)


@api.put("/mission", response_model=schemas.MissionPublic, tags=["mission"])
def put_mission(
    body: schemas.MissionCreate, ctx: Annotated[Context, Depends(permit("mission.update"))]
) -> dict[str, Any]:
    """Replace the mission (text and corridor) by saving a new version; every idea is re-scored.

    Principles and brand attributes left out of the body are carried over from the current version."""
    return _save_mission(ctx, body)


@api.get("/mission/analysis", tags=["brand"])
def api_mission_analysis(ctx: Annotated[Context, Depends(permit("mission.read"))]) -> list[dict[str, Any]]:
    """Every mission version analysed (components, specificity, suggestions), newest first."""
    return brand.mission_analysis(ctx.store, ctx.org, get_aligner(ctx.request))


@api.get("/mission/part-of", tags=["mission"])
def api_part_of(ctx: Annotated[Context, Depends(permit("mission.read"))]) -> list[dict[str, Any]]:
    """The HS 2022, WordNet 3.0 and CAPEC entries the current mission draws in (ideas naming the
    part of one are core at least), each with `removed` (and who removed it, when) when a
    strategist took it out."""
    return current_part_of(ctx.store, ctx.org, get_aligner(ctx.request))


_PART_ACTIONS = {"remove": remove_part, "restore": restore_part}


def _change_part(ctx: Context, action: str, code: str) -> dict[str, Any]:
    """Remove or restore one entry (a new mission version), then fresh verdicts for every idea."""
    aligner = get_aligner(ctx.request)
    row = _PART_ACTIONS[action](ctx.store, ctx.org, code, ctx.user.username, aligner)
    rescore_every_idea(ctx.store, ctx.org, aligner)
    return row


@api.post("/mission/part-of/{code}/remove", tags=["mission"])
def api_remove_part(code: str, ctx: Annotated[Context, Depends(permit("mission.update"))]) -> dict[str, Any]:
    """Remove an entry the mission draws in (8414.30, WN30-04190747, CAPEC-98): ideas naming its
    part are no longer lifted to core. Stored as a new mission version; every idea is re-scored.
    422 for a code that is not an entry this mission draws in, 409 when it is removed already,
    404 before the first mission."""
    return _change_part(ctx, "remove", code)


@api.post("/mission/part-of/{code}/restore", tags=["mission"])
def api_restore_part(code: str, ctx: Annotated[Context, Depends(permit("mission.update"))]) -> dict[str, Any]:
    """Put a removed entry back (a new mission version; every idea is re-scored). 409 when it is
    not removed, 422 for a code that is no shipped entry."""
    return _change_part(ctx, "restore", code)


def _mission_page(
    request: Request,
    ctx: Context,
    proposal: dict[str, list[str]] | None = None,
    changes: Any = None,
    part_error: str = "",
    part_status: int = 422,
) -> HTMLResponse:
    mission = mission_of(ctx.store, ctx.org)
    if proposal is None and mission is not None:
        proposal = {"focus_areas": mission["focus_areas"], "exclusions": mission["exclusions"]}
    return render(
        request,
        "mission/index.html",
        {
            "mission": mission,
            "versions": mission_history(ctx.store, ctx.org),
            "can_edit": can(ctx.user, "mission.update"),
            "proposal": proposal or {"focus_areas": [], "exclusions": []},
            "changes": changes,
            "part_of": part_of_listing(get_aligner(request), mission) if mission else [],
            "part_error": part_error,
        },
        status_code=part_status if part_error else 200,
    )


@pages.get("/mission", response_class=HTMLResponse)
def mission_page(request: Request, ctx: Annotated[Context, Depends(permit("mission.read"))]) -> HTMLResponse:
    return _mission_page(request, ctx)


@pages.post("/mission/corridor", response_class=HTMLResponse, response_model=None)
async def mission_corridor(
    request: Request, ctx: Annotated[Context, Depends(permit("mission.update"))]
) -> HTMLResponse | RedirectResponse:
    """Preview (nothing saved) or save the corridor; saving stores a new version and re-scores ideas."""
    form = await request.form()
    body = checked(
        schemas.MissionCreate,
        {"text": "-", "focus_areas": lines(form, "focus_areas"), "exclusions": lines(form, "exclusions")},
    )
    aligner = get_aligner(request)
    if form.get("action") == "save":
        mission = current_model(ctx.store, ctx.org, aligner)
        save_mission(
            ctx.store,
            ctx.org,
            mission.text,
            body["focus_areas"],
            body["exclusions"],
            ctx.user.username,
            aligner,
        )
        rescore_every_idea(ctx.store, ctx.org, aligner)
        return RedirectResponse("/mission?saved=1", status_code=303)
    changes = preview_corridor(ctx.store, ctx.org, aligner, body["focus_areas"], body["exclusions"])
    proposal = {"focus_areas": body["focus_areas"], "exclusions": body["exclusions"]}
    return _mission_page(request, ctx, proposal, changes)


@pages.post("/mission/part-of", response_class=HTMLResponse, response_model=None)
async def mission_part_of_form(
    request: Request, ctx: Annotated[Context, Depends(permit("mission.update"))]
) -> HTMLResponse | RedirectResponse:
    """The remove and restore buttons of the mission page: a new version, then every idea re-scored.
    A refused change shows the page again with the reason (nothing stored)."""
    form = await request.form()
    action, code = str(form.get("action") or ""), str(form.get("code") or "")
    if action not in _PART_ACTIONS:
        return _mission_page(request, ctx, part_error="action: press Remove or Restore beside an entry")
    try:
        _change_part(ctx, action, code)
    except (InputError, ConflictError, NotFoundError) as exc:
        # The page answers with the refusal's own status, as the API does: 404 when there is no
        # mission yet, 409 for a removal twice or a restore of what is not removed, 422 for a code
        # that is malformed, no shipped entry or not drawn in by this mission.
        return _mission_page(request, ctx, part_error=str(exc), part_status=status_for(exc))
    return RedirectResponse(f"/mission?part_of={action}d#part-of", status_code=303)


@pages.get("/mission/analysis", response_class=HTMLResponse)
def mission_analysis_page(
    request: Request, ctx: Annotated[Context, Depends(permit("mission.read"))]
) -> HTMLResponse:
    analyses = brand.mission_analysis(ctx.store, ctx.org, get_aligner(request))
    return render(request, "brand/analysis.html", {"analyses": analyses[:3], "total": len(analyses)})
