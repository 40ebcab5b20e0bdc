"""The REST API under /api/v1: thin handlers that parse, call `editing` or the store, and shape.

Every route depends on `permit(action)` (see deps.py), so no handler runs for a user who is not
signed in or whose role can never perform the action; record-level checks happen in `editing`.
(No `from __future__ import annotations` here: FastAPI must see the real body classes that the
route factory closes over.)
"""

import tempfile
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, create_model

from hoshin.api import editing, schemas
from hoshin.api.deps import TOKEN_MAX_AGE_S, Context, client_address, get_store, permit
from hoshin.embedding import CachedEmbedder
from hoshin.errors import InputError, NotFoundError
from hoshin.service.alignment import Aligner
from hoshin.service.audit import list_events
from hoshin.service.corridor import (
    list_inbox,
    override_tier,
    preview_corridor,
    score_new_ideas,
)
from hoshin.service.missions import save_mission
from hoshin.service.visibility import sight_of
from hoshin.store.vectors import StoreVectorCache

__all__ = ["get_aligner", "router"]

router = APIRouter()
Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.")]
Offset = Annotated[int, Query(ge=0, description="Records to skip.")]
EXPORT_TYPES = {
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


_aligner_lock = threading.Lock()


def get_aligner(request: Request) -> Any:
    """The app's Aligner (vectors cached in the app's store), built on first use and then shared."""
    app = request.app
    aligner = getattr(app.state, "aligner", None)
    if aligner is None:
        store = get_store(request)
        with _aligner_lock:
            aligner = getattr(app.state, "aligner", None)
            if aligner is None:
                # Concurrent requests share model calls (embedding/coalescing.py); under
                # `hoshin serve` the model runs in a process of its own (subprocess_model.py).
                from hoshin.embedding import create_embedder
                from hoshin.embedding.coalescing import CoalescingEmbedder

                if getattr(app.state, "model_process", False):  # `hoshin serve`
                    from hoshin.embedding.subprocess_model import ProcessEmbedder

                    # Kept on the app so that its shutdown can end the child process.
                    app.state.model_runner = ProcessEmbedder(create_embedder)
                    embedder = CoalescingEmbedder(app.state.model_runner)
                else:
                    embedder = CoalescingEmbedder(create_embedder())
                # Vectors of new texts reach the store in one background write every moment,
                # not one write transaction per request; the principles' and the newest texts'
                # vectors stay in memory (store/vectors.py).
                app.state.vector_cache = StoreVectorCache(store, write_behind=True, recent=RECENT_VECTORS)
                aligner = app.state.aligner = Aligner(CachedEmbedder(embedder, app.state.vector_cache))
    return aligner


RECENT_VECTORS = 4096  # 6 MB of 384-dimensional float32 vectors


def warm_up(app: Any) -> None:
    """Load the model and the engine's calibration data now rather than on the first request."""
    aligner = get_aligner(Request({"type": "http", "app": app}))
    aligner.background_hub  # noqa: B018 - computed once, kept on the aligner
    embedder = aligner.embedder
    (getattr(embedder, "inner", None) or embedder).embed(["warm up"])  # not worth a cache row


# ---- who am I, tokens ---------------------------------------------------------------------------


class Credentials(schemas._In):
    username: schemas.Id
    password: Annotated[str, schemas.Field(min_length=1, max_length=1024)]
    organisation: schemas.Id | None = schemas.Field(
        default=None, description="Only needed when the same name and password fit several organisations."
    )


@router.post("/auth/token", response_model=schemas.TokenPublic, tags=["auth"])
def create_token(body: Credentials, request: Request) -> dict[str, Any]:
    """Exchange a user name and password for a bearer token (send it as `Authorization: Bearer ...`).

    The token stays valid until it expires or the user's password changes. Too many failed
    attempts for the name or from the client's address are answered 429 (with Retry-After)."""
    from hoshin.service.auth import token_for

    store = get_store(request)
    user, _ = request.app.state.sign_in.sign_in(
        store, body.username, body.password, client_address(request), body.organisation
    )
    return {"token": token_for(store, request.app.state.secret_key, user), "expires_in_s": TOKEN_MAX_AGE_S}


@router.get("/me", tags=["auth"])
def me(ctx: Annotated[Context, Depends(permit("organisation.read"))]) -> dict[str, Any]:
    """The signed-in user: name, role, organisation and unit."""
    user = ctx.user
    return {
        "username": user.username,
        "role": user.role,
        "organisation_id": user.organisation_id,
        "unit_id": user.unit_id,
        "person_id": user.person_id,
    }


# ---- organisation and mission -------------------------------------------------------------------


@router.get("/organisation", response_model=schemas.OrganisationPublic, tags=["organisation"])
def organisation(ctx: Annotated[Context, Depends(permit("organisation.read"))]) -> dict[str, Any]:
    return ctx.store.organisation(ctx.org)


@router.get("/mission", response_model=schemas.MissionPublic, tags=["mission"])
def current_mission(ctx: Annotated[Context, Depends(permit("mission.read"))]) -> dict[str, Any]:
    """The current mission version."""
    mission = ctx.store.mission(ctx.org)
    if mission is None:
        raise NotFoundError("no mission yet: POST one to /api/v1/mission or load the demo (`hoshin demo`)")
    return mission


@router.get("/mission/versions", response_model=list[schemas.MissionPublic], tags=["mission"])
def mission_versions(ctx: Annotated[Context, Depends(permit("mission.read"))]) -> list[dict[str, Any]]:
    """Every mission version, oldest first."""
    return ctx.store.mission_versions(ctx.org)


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
    score_new_ideas(ctx.store, ctx.org, sorted(ctx.store.keys("ideas", ctx.org)), aligner)
    return mission


@router.post("/mission", response_model=schemas.MissionPublic, status_code=201, tags=["mission"])
def post_mission(
    body: schemas.MissionCreate, ctx: Annotated[Context, Depends(permit("mission.create"))]
) -> dict[str, Any]:
    """Store a new mission version (themes extracted); it becomes the current one and ideas are re-scored."""
    return _save_mission(ctx, body)


@router.put("/mission", response_model=schemas.MissionPublic, tags=["mission"])
def put_mission(
    body: schemas.MissionCreate, ctx: Annotated[Context, Depends(permit("mission.update"))]
) -> dict[str, Any]:
    """Replace the mission (text and corridor) by saving a new version; every idea is re-scored.

    Principles and brand attributes left out of the body are carried over from the current version."""
    return _save_mission(ctx, body)


# ---- innovation corridor ------------------------------------------------------------------------


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


@router.get("/ideas", response_model=list[IdeaWithVerdict], tags=["ideas"], summary="List ideas")
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


@router.post("/corridor/preview", response_model=list[TierChange], tags=["corridor"])
def corridor_preview(
    body: CorridorProposal, ctx: Annotated[Context, Depends(permit("mission.update"))]
) -> list[dict[str, Any]]:
    """The ideas whose tier would change if the corridor were these focus areas and exclusions.

    Nothing is saved: save the corridor with `PUT /api/v1/mission`."""
    return preview_corridor(ctx.store, ctx.org, get_aligner(ctx.request), body.focus_areas, body.exclusions)


@router.post("/ideas/{key}/override", response_model=IdeaWithVerdict, tags=["ideas"])
def post_idea_override(
    key: str, body: OverrideRequest, ctx: Annotated[Context, Depends(permit("idea.status"))]
) -> dict[str, Any]:
    """Keep a reviewer's tier and reason next to the engine's verdict (strategists, admins, and the
    unit manager of the idea's unit). It teaches the corridor: every idea is re-scored with it."""
    ctx.check("idea.status", ctx.store.get("ideas", ctx.org, key))
    aligner = get_aligner(ctx.request)
    return override_tier(ctx.store, ctx.org, key, body.tier, body.reason, ctx.user.username, aligner)


# ---- records of every kind ----------------------------------------------------------------------


def _crud(
    path: str,
    kind: str,
    create: type[BaseModel],
    update: type[BaseModel],
    public: type[BaseModel],
    with_list: bool = True,
    store_new: Callable[[Context, dict[str, Any], dict[str, Any] | None], dict[str, Any]] | None = None,
    flag_principles: bool = False,
) -> None:
    """List (unless a richer list is defined elsewhere), get, create, update and delete routes for one
    record kind; `store_new(ctx, values, mission)` stores a new record in place of `editing.create`
    (given the current mission, read once per request). With `flag_principles` the
    create response carries `principle_flags`: the principles the new text contradicts. Reads go
    through the user's sight (service/visibility.py): the list shows only the records they may
    read, and GET of another answers as for a record that does not exist."""
    noun = editing.policy_kind(kind)
    tag = path.strip("/")
    created = (
        create_model(f"{public.__name__}Flagged", __base__=public, principle_flags=(list[dict[str, Any]], []))
        if flag_principles
        else public
    )

    def list_records(
        ctx: Annotated[Context, Depends(permit(f"{noun}.read"))], limit: Limit = 100, offset: Offset = 0
    ) -> list[dict[str, Any]]:
        # Filtered before paging, so pages stay full.
        rows = sight_of(ctx.user).only(kind, ctx.store.rows(kind, ctx.org))
        return rows[offset : offset + limit]

    def get_record(key: str, ctx: Annotated[Context, Depends(permit(f"{noun}.read"))]) -> dict[str, Any]:
        return sight_of(ctx.user).get(ctx.store, ctx.org, kind, key)

    # `create`, `update` and `public` are the kind's pydantic models, made at run time: FastAPI reads
    # them from these annotations, which mypy cannot check (a variable is no type to it).
    def create_record(
        body: create,  # type: ignore[valid-type]
        ctx: Annotated[Context, Depends(permit(f"{noun}.create"))],
    ) -> dict[str, Any]:
        values = body.model_dump()  # type: ignore[attr-defined]  # a pydantic model, see above
        # Scoring and the principle check judge against the same mission version, read once.
        mission = ctx.store.mission(ctx.org) if store_new or flag_principles else None
        if store_new is not None:
            record = store_new(ctx, values, mission)
        else:
            record = editing.create(ctx.store, ctx.user, kind, values)
        if flag_principles:
            flags = _principle_flags(ctx, kind, record, mission) if mission is not None else []
            record = {**record, "principle_flags": flags}
        return record

    def update_record(
        key: str,
        body: update,  # type: ignore[valid-type]
        ctx: Annotated[Context, Depends(permit(f"{noun}.update"))],
    ) -> dict[str, Any]:
        changes = body.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        if not changes:
            raise InputError("the request changes nothing: send at least one field")
        return editing.update(ctx.store, ctx.user, kind, key, changes)

    def delete_record(key: str, ctx: Annotated[Context, Depends(permit(f"{noun}.delete"))]) -> Response:
        editing.delete(ctx.store, ctx.user, kind, key)
        return Response(status_code=204)

    label = noun.replace("_", " ")
    if with_list:
        router.add_api_route(
            path,
            list_records,
            methods=["GET"],
            response_model=list[public],  # type: ignore[valid-type]
            tags=[tag],
            summary=f"List {label}s",
        )
    router.add_api_route(
        f"{path}/{{key}}",
        get_record,
        methods=["GET"],
        response_model=public,
        tags=[tag],
        summary=f"Get one {label}",
    )
    router.add_api_route(
        path,
        create_record,
        methods=["POST"],
        response_model=created,
        status_code=201,
        tags=[tag],
        summary=f"Create a {label}",
    )
    router.add_api_route(
        f"{path}/{{key}}",
        update_record,
        methods=["PATCH"],
        response_model=public,
        tags=[tag],
        summary=f"Change some fields of a {label}",
    )
    router.add_api_route(
        f"{path}/{{key}}",
        delete_record,
        methods=["DELETE"],
        status_code=204,
        tags=[tag],
        summary=f"Delete a {label}",
        response_class=Response,
    )


_crud("/units", "units", schemas.UnitCreate, schemas.UnitUpdate, schemas.UnitPublic)
_crud("/people", "people", schemas.PersonCreate, schemas.PersonUpdate, schemas.PersonPublic)


def _principle_flags(
    ctx: Context, kind: str, record: dict[str, Any], mission: dict[str, Any]
) -> list[dict[str, Any]]:
    """The principles a newly created text contradicts."""
    from hoshin.service.brand import principle_flags

    text = {"kind": kind, "id": record["id"], "text": record.get("text") or ""}
    return principle_flags(ctx.store, ctx.org, [text], get_aligner(ctx.request), mission)


_crud(
    "/goals",
    "goals",
    schemas.GoalCreate,
    schemas.GoalUpdate,
    schemas.GoalPublic,
    flag_principles=True,
)


def _submit_idea(ctx: Context, values: dict[str, Any], mission: dict[str, Any] | None) -> dict[str, Any]:
    # No mission yet: nothing to score against; `hoshin corridor rescore` does it once there is.
    return editing.submit_idea(ctx.store, ctx.user, values, get_aligner(ctx.request), mission)


_crud(
    "/ideas",
    "ideas",
    schemas.IdeaCreate,
    schemas.IdeaUpdate,
    schemas.IdeaPublic,
    with_list=False,
    store_new=_submit_idea,
    flag_principles=True,
)
_crud(
    "/knowledge-areas",
    "knowledge_areas",
    schemas.KnowledgeAreaCreate,
    schemas.KnowledgeAreaUpdate,
    schemas.KnowledgeAreaPublic,
)
_crud("/documents", "documents", schemas.DocumentCreate, schemas.DocumentUpdate, schemas.DocumentPublic)
_crud(
    "/communications",
    "communications",
    schemas.CommunicationCreate,
    schemas.CommunicationUpdate,
    schemas.CommunicationPublic,
    flag_principles=True,
)
_crud("/users", "users", schemas.UserCreate, schemas.UserUpdate, schemas.UserPublic)


@router.get("/goals/{key}/checkins", response_model=list[schemas.CheckinPublic], tags=["goals"])
def list_checkins(key: str, ctx: Annotated[Context, Depends(permit("goal.read"))]) -> list[dict[str, Any]]:
    """A goal's check-ins, oldest first."""
    sight_of(ctx.user).get(ctx.store, ctx.org, "goals", key)
    return ctx.store.checkins(ctx.org, key)


@router.post("/goals/{key}/checkins", response_model=schemas.CheckinPublic, status_code=201, tags=["goals"])
def post_checkin(
    key: str, body: schemas.CheckinCreate, ctx: Annotated[Context, Depends(permit("checkin.create"))]
) -> dict[str, Any]:
    """Record progress on a goal."""
    _real_date(body.date)
    return editing.add_checkin(ctx.store, ctx.user, key, body.date, body.value, body.note)


@router.post("/ideas/{key}/status", response_model=schemas.IdeaPublic, tags=["ideas"])
def post_idea_status(
    key: str, body: schemas.IdeaStatusChange, ctx: Annotated[Context, Depends(permit("idea.status"))]
) -> dict[str, Any]:
    """Move an idea through the funnel (optionally overriding its tier, with a reason)."""
    return editing.change_idea_status(
        ctx.store, ctx.user, key, body.status, body.override_tier, body.override_reason
    )


# ---- audit, import, export ----------------------------------------------------------------------


@router.get("/audit", response_model=list[schemas.AuditEventPublic], tags=["audit"])
def audit(
    ctx: Annotated[Context, Depends(permit("audit.read"))],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    record_kind: str | None = None,
    record_id: str | None = None,
    username: str | None = None,
) -> list[dict[str, Any]]:
    """Audit events, newest first, optionally for one record kind, record or user."""
    return list_events(
        ctx.store, ctx.org, record_kind=record_kind, record_id=record_id, username=username, limit=limit
    )


def _import_kind(kind: str) -> str:
    return "mission" if kind == "mission" else editing.policy_kind(kind)


async def _guard_import(request: Request) -> Context:
    return await permit(f"{_import_kind(request.path_params['kind'])}.import")(request)


_guard_import.hoshin_action = "<kind>.import"  # type: ignore[attr-defined]


async def _guard_export(request: Request) -> Context:
    return await permit(f"{_import_kind(request.path_params['kind'])}.export")(request)


_guard_export.hoshin_action = "<kind>.export"  # type: ignore[attr-defined]
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@router.post("/import/{kind}", response_model=schemas.ImportResultPublic, tags=["import/export"])
def import_records(
    kind: str,
    file: Annotated[UploadFile, File(description="CSV, XLSX, JSON or JSONL")],
    ctx: Annotated[Context, Depends(_guard_import)],
) -> dict[str, Any]:
    """Import one file of KIND (all or nothing: any bad row and nothing is stored)."""
    from hoshin.service.importing import import_file

    suffix = Path(file.filename or "").suffix.lower()
    if suffix not in (".csv", ".xlsx", ".json", ".jsonl"):
        raise InputError(f"{file.filename or 'the upload'}: name the file .csv, .xlsx, .json or .jsonl")
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"{file.filename}: larger than {MAX_UPLOAD_BYTES // 2**20} MiB; use `hoshin import`")
    with tempfile.TemporaryDirectory() as folder:
        # Keep the user's file name so error messages name the file they uploaded.
        path = Path(folder) / Path(file.filename or f"upload{suffix}").name
        path.write_bytes(data)
        result = import_file(ctx.store, ctx.org, kind, path, ctx.user.username)
    return result.as_dict()


@router.get("/export/{kind}", tags=["import/export"], response_class=Response)
def export_records(
    kind: str,
    ctx: Annotated[Context, Depends(_guard_export)],
    format: Annotated[str, Query(pattern="^(json|jsonl|csv|xlsx)$")] = "json",
) -> Response:
    """Every record of KIND as json, jsonl, csv or xlsx, with the same columns an import reads.
    A unit manager's export of goals, people or units holds their units' records only, as the lists do."""
    from hoshin.service.exporting import export_file

    sight = sight_of(ctx.user)
    visible = None if sight.everything else (lambda rows: sight.only(kind, rows))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind}.{format}"
        export_file(ctx.store, ctx.org, kind, format, path, visible)
        body = path.read_bytes()
    headers = {"Content-Disposition": f'attachment; filename="{kind}.{format}"'}
    return Response(body, media_type=EXPORT_TYPES[format], headers=headers)


def _real_date(text: str) -> None:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a real date; write YYYY-MM-DD, e.g. 2026-03-14") from None
