"""The idea inbox: `GET /api/v1/ideas` (with verdicts, filtered, paged), a reviewer's tier override
and funnel status, the corridor preview, and the /ideas pages (inbox, submit, edit, override).
Creating, changing and deleting an idea over REST are records (features/records.py).
(No `from __future__ import annotations`: FastAPI must see the real body classes.)
"""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import Field

from hoshin.api import schemas
from hoshin.api.deps import Context, get_aligner, permit
from hoshin.api.params import Limit, Offset, checked, form_values
from hoshin.api.rendering import render
from hoshin.errors import InputError, NotFoundError
from hoshin.service import editing
from hoshin.service import record_reads as reads
from hoshin.service.auth import can
from hoshin.service.corridor import (
    TIER_NAMES,
    idea_row,
    idea_themes,
    inbox_page,
    list_inbox,
    new_idea_id,
    override_tier,
    preview_corridor,
)
from hoshin.service.duplicates import similar_ideas
from hoshin.service.missions import mission_of
from hoshin.service.records import IDEA_STATUSES

__all__ = ["api", "pages"]

api = APIRouter()
pages = APIRouter(include_in_schema=False)
IDEA_FIELDS = ("id", "text", "source", "author_id", "unit_id", "tags", "submitted_at")


class CorridorProposal(schemas._In):
    focus_areas: list[Annotated[str, schemas.Field(min_length=1, max_length=2_000)]] = schemas.Field(
        default_factory=list, max_length=100
    )
    exclusions: list[Annotated[str, schemas.Field(min_length=1, max_length=2_000)]] = schemas.Field(
        default_factory=list, max_length=100
    )


class VerdictPublic(schemas._Out):
    score: float
    tier: schemas.TierName
    theme: str | None = None
    why: str | None = None


class TierChange(schemas._Out):
    id: str
    text: str
    before: VerdictPublic
    after: VerdictPublic


class OverrideRequest(schemas._In):
    tier: schemas.TierName
    reason: Annotated[str, schemas.Field(min_length=1, max_length=2_000)]


class IdeaWithVerdict(schemas.IdeaPublic):
    score: float | None = None
    tier: schemas.TierName | None = None
    theme: str | None = None
    why: str | None = None
    mission_version: int | None = None
    effective_tier: schemas.TierName | None = None
    decided_by_example: bool | None = Field(
        None, description="Whether reviewers' labelled ideas decided the tier (not the engine alone)."
    )
    example_id: str | None = Field(None, description="The labelled idea that decided it, when one did.")


@api.get("/ideas", response_model=list[IdeaWithVerdict], tags=["ideas"], summary="List ideas")
def list_ideas(
    ctx: Annotated[Context, Depends(permit("idea.read"))],
    limit: Limit = 100,
    offset: Offset = 0,
    tier: Annotated[
        schemas.TierName | None, Query(description="Effective tier (override, else engine).")
    ] = None,
    theme: Annotated[str | None, Query(max_length=300, description="The verdict's theme.")] = None,
    status: Annotated[schemas.IdeaStatus | None, Query(description="Funnel status.")] = None,
    unit: Annotated[str | None, Query(max_length=64, description="A unit and its sub-units.")] = None,
) -> list[dict[str, Any]]:
    """Ideas with their latest verdict (score, tier, theme, why) and any reviewer override, best first."""
    # Only the page is read whole with its `why`: a page costs the same at any inbox size.
    return list_inbox(
        ctx.store, ctx.org, tier=tier, theme=theme, status=status, unit=unit, limit=limit, offset=offset
    )


@api.post("/corridor/preview", response_model=list[TierChange], tags=["corridor"])
def corridor_preview(
    body: CorridorProposal, ctx: Annotated[Context, Depends(permit("mission.update"))]
) -> list[dict[str, Any]]:
    """The ideas whose tier would change if the corridor were these focus areas and exclusions.

    Nothing is saved: save the corridor with `PUT /api/v1/mission`."""
    return preview_corridor(ctx.store, ctx.org, get_aligner(ctx.request), body.focus_areas, body.exclusions)


@api.post("/ideas/{key}/override", response_model=IdeaWithVerdict, tags=["ideas"])
def post_idea_override(
    key: str, body: OverrideRequest, ctx: Annotated[Context, Depends(permit("idea.status"))]
) -> dict[str, Any]:
    """Keep a reviewer's tier and reason next to the engine's verdict (strategists, admins, and the
    unit manager of the idea's unit). It teaches the corridor: every idea is re-scored with it."""
    ctx.check("idea.status", reads.record(ctx.store, ctx.org, "ideas", key))
    aligner = get_aligner(ctx.request)
    return override_tier(ctx.store, ctx.org, key, body.tier, body.reason, ctx.user.username, aligner)


@api.post("/ideas/{key}/status", response_model=schemas.IdeaPublic, tags=["ideas"])
def post_idea_status(
    key: str, body: schemas.IdeaStatusChange, ctx: Annotated[Context, Depends(permit("idea.status"))]
) -> dict[str, Any]:
    """Move an idea through the funnel (optionally overriding its tier, with a reason)."""
    return editing.change_idea_status(
        ctx.store, ctx.user, key, body.status, body.override_tier, body.override_reason
    )


def _filter(request: Request, name: str) -> str | None:
    value = request.query_params.get(name, "").strip()
    return value or None


INBOX_PAGE_SIZE = 100


def _page_number(request: Request) -> int:
    """The `page` query parameter (1 when absent); InputError names a bad one."""
    raw = request.query_params.get("page", "").strip()
    if not raw:
        return 1
    if not raw.isdigit() or int(raw) < 1:
        raise InputError(f"page must be a whole number from 1 on, not {raw!r}")
    return int(raw)


@pages.get("/ideas", response_class=HTMLResponse)
def ideas_page(request: Request, ctx: Annotated[Context, Depends(permit("idea.read"))]) -> HTMLResponse:
    filters = {name: _filter(request, name) for name in ("tier", "theme", "status", "unit")}
    number = _page_number(request)
    # A page at a time: only its ideas are read whole and given their reasons, so the inbox of a
    # million ideas opens as fast as that of a hundred.
    rows, matching = inbox_page(
        ctx.store, ctx.org, **filters, limit=INBOX_PAGE_SIZE, offset=(number - 1) * INBOX_PAGE_SIZE
    )
    pages = max(1, -(-matching // INBOX_PAGE_SIZE))
    for row in rows:
        scope = {"unit_id": row.get("unit_id")}
        row["_editable"] = can(ctx.user, "idea.update", scope)
        row["_overridable"] = can(ctx.user, "idea.status", scope)
    # The theme names only: no verdict's sentence is written for the filter list.
    themes = idea_themes(ctx.store, ctx.org)
    created = _created_idea(ctx, request.query_params.get("created"))
    return render(
        request,
        "corridor/ideas.html",
        {
            "created": created,
            "twins": _stored_twins(ctx, request, created),
            "rows": rows,
            "page": {
                "number": number,
                "pages": pages,
                "first": (number - 1) * INBOX_PAGE_SIZE + 1,
                "last": (number - 1) * INBOX_PAGE_SIZE + len(rows),
                "matching": matching,
            },
            "units": reads.unit_ids(ctx.store, ctx.org),
            "record": {},
            "can_create": can(ctx.user, "idea.create"),
            "can_teach": can(ctx.user, "idea.status"),
            "filters": filters,
            "themes": themes,
            "tiers": TIER_NAMES,
            "statuses": IDEA_STATUSES,
        },
    )


def _created_idea(ctx: Context, key: str | None) -> dict[str, Any] | None:
    """The idea just submitted with its verdict, for the notice at the top of the inbox."""
    if not key:
        return None
    try:
        return idea_row(ctx.store, ctx.org, key)
    except NotFoundError:  # deleted since, or a hand-edited address: no notice
        return None


# How many stored ideas the notice after a submission names as the new idea's nearest twins.
SHOWN_TWINS = 3


def _stored_twins(ctx: Context, request: Request, created: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The stored ideas closest to the one just submitted (itself left out), best first, each
    with `_editable` for the link to it; the same search as the form's as-you-type twins."""
    if created is None:
        return []
    found = similar_ideas(ctx.store, ctx.org, get_aligner(request), created["text"], SHOWN_TWINS + 1)
    twins = [t for t in found if t["id"] != created["id"]][:SHOWN_TWINS]
    stored = reads.by_ids(ctx.store, ctx.org, "ideas", [t["id"] for t in twins])
    for twin in twins:
        scope = {"unit_id": stored.get(twin["id"], {}).get("unit_id")}
        twin["_editable"] = can(ctx.user, "idea.update", scope)
    return twins


@pages.post("/ideas/{key}/override")
async def idea_override(
    key: str, request: Request, ctx: Annotated[Context, Depends(permit("idea.status"))]
) -> RedirectResponse:
    form = await request.form()
    ctx.check("idea.status", reads.record(ctx.store, ctx.org, "ideas", key))
    tier, reason = form.get("tier"), form.get("reason")
    override_tier(
        ctx.store,
        ctx.org,
        key,
        tier if isinstance(tier, str) else "",
        reason if isinstance(reason, str) else "",
        ctx.user.username,
        get_aligner(request),
    )
    return RedirectResponse("/ideas?overridden=" + quote(key), status_code=303)


@pages.post("/ideas")
async def ideas_create(
    request: Request, ctx: Annotated[Context, Depends(permit("idea.create"))]
) -> RedirectResponse:
    values = form_values(await request.form(), IDEA_FIELDS)
    if "id" not in values:  # nobody should have to invent an id to hand in an idea
        values["id"] = new_idea_id(ctx.store, ctx.org)
    values = checked(schemas.IdeaCreate, values)
    editing.submit_idea(ctx.store, ctx.user, values, get_aligner(request), mission_of(ctx.store, ctx.org))
    # The inbox then shows the new idea's verdict above everything else (see ideas_page).
    return RedirectResponse("/ideas?created=" + quote(values["id"]), status_code=303)


@pages.get("/ideas/{key}/edit", response_class=HTMLResponse)
def idea_edit(
    key: str, request: Request, ctx: Annotated[Context, Depends(permit("idea.update"))]
) -> HTMLResponse:
    record = reads.record(ctx.store, ctx.org, "ideas", key)
    ctx.check("idea.update", record)
    units = reads.unit_ids(ctx.store, ctx.org)
    return render(request, "corridor/idea_edit.html", {"record": record, "units": units})


@pages.post("/ideas/{key}")
async def idea_update(
    key: str, request: Request, ctx: Annotated[Context, Depends(permit("idea.update"))]
) -> RedirectResponse:
    values = form_values(await request.form(), IDEA_FIELDS[1:])
    values.setdefault("tags", [])
    editing.update(ctx.store, ctx.user, "ideas", key, checked(schemas.IdeaUpdate, values))
    return RedirectResponse("/ideas?updated=" + key, status_code=303)
