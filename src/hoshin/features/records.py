"""Records of every kind over REST: list, get, create, update and delete for units, people, goals,
ideas, knowledge areas, documents, communications and users, and import and export of a whole
kind (`POST /api/v1/import/{kind}`, `GET /api/v1/export/{kind}`).

Every route depends on `permit(action)` (api/deps.py), so no handler runs for a user who is not
signed in or whose role can never perform the action; record-level checks happen in
`service/editing.py`. The richer views of a kind (the idea inbox, the goal tree) live in its
feature; this module is included after them, so their paths are matched first.
(No `from __future__ import annotations` here: FastAPI must see the real body classes that the
route factory closes over.)
"""

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, create_model

from hoshin.api import schemas
from hoshin.api.deps import Context, get_aligner, permit
from hoshin.api.params import EXPORT_TYPES, Limit, Offset
from hoshin.errors import InputError
from hoshin.service import editing
from hoshin.service import record_reads as reads
from hoshin.service.missions import mission_of
from hoshin.service.visibility import sight_of

__all__ = ["api"]

api = APIRouter()


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
        rows = reads.visible_rows(ctx.store, ctx.org, ctx.user, kind)
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
        mission = mission_of(ctx.store, ctx.org) if store_new or flag_principles else None
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
        api.add_api_route(
            path,
            list_records,
            methods=["GET"],
            response_model=list[public],  # type: ignore[valid-type]
            tags=[tag],
            summary=f"List {label}s",
        )
    api.add_api_route(
        f"{path}/{{key}}",
        get_record,
        methods=["GET"],
        response_model=public,
        tags=[tag],
        summary=f"Get one {label}",
    )
    api.add_api_route(
        path,
        create_record,
        methods=["POST"],
        response_model=created,
        status_code=201,
        tags=[tag],
        summary=f"Create a {label}",
    )
    api.add_api_route(
        f"{path}/{{key}}",
        update_record,
        methods=["PATCH"],
        response_model=public,
        tags=[tag],
        summary=f"Change some fields of a {label}",
    )
    api.add_api_route(
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


def _import_kind(kind: str) -> str:
    return "mission" if kind == "mission" else editing.policy_kind(kind)


async def _guard_import(request: Request) -> Context:
    return await permit(f"{_import_kind(request.path_params['kind'])}.import")(request)


_guard_import.hoshin_action = "<kind>.import"  # type: ignore[attr-defined]


async def _guard_export(request: Request) -> Context:
    return await permit(f"{_import_kind(request.path_params['kind'])}.export")(request)


_guard_export.hoshin_action = "<kind>.export"  # type: ignore[attr-defined]
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@api.post("/import/{kind}", response_model=schemas.ImportResultPublic, tags=["import/export"])
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


@api.get("/export/{kind}", tags=["import/export"], response_class=Response)
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
