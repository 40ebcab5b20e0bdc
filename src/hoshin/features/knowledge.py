"""Knowledge management: REST routes under /api/v1/knowledge and the /knowledge pages.

Both call hoshin.service.knowledge; every route is guarded by `permit`. Reading needs
`knowledge_area.read` (needs), `skill.read` (coverage, gaps) or `document.read`; confirming needs
`knowledge_area.update`, importing an HR file `skill.import`, adding documents `document.create`.
(No `from __future__ import annotations`: FastAPI must see the real body classes.)
"""

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import Field

from hoshin.api import schemas
from hoshin.api.deps import Context, get_aligner, permit
from hoshin.api.rendering import render
from hoshin.errors import InputError
from hoshin.service import knowledge as svc
from hoshin.service import record_reads as reads
from hoshin.service.auth import can
from hoshin.service.missions import mission_of
from hoshin.service.visibility import sight_of

__all__ = ["api", "pages"]

api = APIRouter(prefix="/knowledge", tags=["knowledge"])
pages = APIRouter(include_in_schema=False)
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
GAP_VIEWS = {"spof": "single_points_of_failure", "uncovered": "uncovered", "undocumented": "undocumented"}

# Request bodies share the API's base model, so they refuse what every body does (a NUL in a
# text, NaN and Infinity) naming the field; a base of their own let a NUL reach PostgreSQL (503).
_In = schemas.RequestModel
Id = schemas.Id


class NeedIn(_In):
    id: Id
    name: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    description: Annotated[str, Field(max_length=20_000)] | None = None
    weight: Annotated[float, Field(ge=0, le=100)] = 1.0
    origin: Annotated[str, Field(pattern="^(own|catalogue)$")] | None = None


class SkillMappingIn(_In):
    person_id: Id
    area_id: Id
    level: Annotated[int, Field(ge=1, le=5)]
    skill_text: Annotated[str, Field(max_length=20_000)] | None = None
    unit_id: Id | None = None


class DocumentIn(_In):
    id: Id | None = None
    title: Annotated[str, Field(min_length=1, max_length=300)]
    text: Annotated[str, Field(min_length=1, max_length=20_000)]
    area_ids: list[Id] | None = Field(
        default=None, max_length=100, description="Leave out to take the suggested areas."
    )


class TextIn(_In):
    text: Annotated[str, Field(min_length=1, max_length=20_000)]


# ---- shared steps ---------------------------------------------------------------------------------


def _hr_rows(upload: UploadFile) -> tuple[list[tuple[int, dict[str, str]]], str]:
    name = Path(upload.filename or "upload.csv").name
    if Path(name).suffix.lower() not in (".csv", ".xlsx", ".json", ".jsonl"):
        raise InputError(f"{name}: name the HR file .csv, .xlsx, .json or .jsonl")
    data = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(
            f"{name}: larger than {MAX_UPLOAD_BYTES // 2**20} MiB; use `hoshin knowledge map-skills`"
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name  # keep the user's file name so errors name the file they sent
        path.write_bytes(data)
        return svc.read_hr(path), name


def _new_document(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Store a document; without area_ids it takes the suggested areas. Returns the stored record."""
    return svc.add_document(ctx.store, ctx.org, get_aligner(ctx.request), body, ctx.user.username)


def _documents_view(ctx: Context) -> dict[str, Any]:
    return svc.documents_view(ctx.store, ctx.org)


def heatmap(report: dict[str, Any]) -> dict[str, Any]:
    """Chart.js spec and table of the areas x units matrix, areas in gap order.

    Chart.js has no heatmap type; square bubble points on two category axes draw one. Colour bands
    (not a continuous scale) keep the picture readable for colour-blind readers and in print.
    """
    order = [g["area_id"] for g in report["gaps"]]
    index = {a["id"]: i for i, a in enumerate(report["areas"])}
    units = [u["id"] for u in report["units"]]
    bands = [
        ("level 1-2", (1, 2), "#E69F00"),
        ("level 3", (3, 3), "#56B4E9"),
        ("level 4-5", (4, 5), "#0072B2"),
    ]
    datasets = []
    for label, (low, high), colour in bands:
        points = [
            {"x": units[j], "y": area, "r": 9}
            for area in order
            for j, depth in enumerate(report["depth"][index[area]])
            if low <= depth <= high
        ]
        datasets.append(
            {
                "label": label,
                "data": points,
                "backgroundColor": colour,
                "borderColor": colour,
                "pointStyle": "rect",
            }
        )
    nobody = [{"x": "nobody", "y": g["area_id"], "r": 9} for g in report["gaps"] if g["holders"] == 0]
    datasets.append(
        {
            "label": "held by nobody",
            "data": nobody,
            "backgroundColor": "#D55E00",
            "borderColor": "#D55E00",
            "pointStyle": "triangle",
        }
    )
    spec = {
        "type": "bubble",
        "data": {"datasets": datasets},
        "options": {
            "scales": {
                "x": {
                    "type": "category",
                    "labels": [*units, "nobody"],
                    "title": {"display": True, "text": "unit"},
                },
                "y": {
                    "type": "category",
                    "labels": order,
                    "title": {"display": True, "text": "knowledge area (largest gap first)"},
                },
            },
            "plugins": {"legend": {"position": "bottom"}},
        },
    }
    rows = [[area, *report["depth"][index[area]]] for area in order]
    return {"spec": spec, "columns": ["area", *units], "rows": rows, "height": 120 + 22 * len(order)}


# ---- REST API -------------------------------------------------------------------------------------


@api.get("/needs")
def get_needs(
    request: Request,
    ctx: Annotated[Context, Depends(permit("knowledge_area.read"))],
    limit: Annotated[int, Query(ge=0, le=500, description="Catalogue areas to propose.")] = 30,
) -> list[dict[str, Any]]:
    """Own areas and the best catalogue areas, the most needed first, each with its reason."""
    return svc.propose_needs(ctx.store, ctx.org, get_aligner(request), limit=limit)


@api.put("/needs")
def put_needs(
    body: Annotated[list[NeedIn], Field(min_length=1, max_length=1000)],
    ctx: Annotated[Context, Depends(permit("knowledge_area.update"))],
) -> dict[str, int]:
    """Confirm, edit or re-weight areas (all or nothing)."""
    return svc.save_needs(
        ctx.store, ctx.org, [b.model_dump(exclude_none=True) for b in body], ctx.user.username
    )


@api.get("/skills")
def get_skills(ctx: Annotated[Context, Depends(permit("skill.read"))]) -> list[dict[str, Any]]:
    """The stored skills: person, skill text, knowledge area, level and the reason for the area."""
    return svc.mapped_skills(ctx.store, ctx.org, sight_of(ctx.user))


@api.post("/skills/map")
def post_skill_map(
    request: Request,
    file: Annotated[UploadFile, File(description="HR export: person, unit, skill, profile, level")],
    ctx: Annotated[Context, Depends(permit("skill.import"))],
) -> list[dict[str, Any]]:
    """Proposed knowledge areas for an HR file's skills and profiles; nothing is stored."""
    rows, name = _hr_rows(file)
    return svc.map_skills(ctx.store, ctx.org, get_aligner(request), rows, source=name)


@api.post("/skills")
def post_skills(
    body: Annotated[list[SkillMappingIn], Field(min_length=1, max_length=200_000)],
    ctx: Annotated[Context, Depends(permit("skill.import"))],
) -> dict[str, int]:
    """Store a (corrected) mapping as skills, in one transaction."""
    return svc.apply_skills(ctx.store, ctx.org, [b.model_dump() for b in body], ctx.user.username)


@api.get("/coverage")
def get_coverage(request: Request, ctx: Annotated[Context, Depends(permit("skill.read"))]) -> dict[str, Any]:
    """Areas × units (depth and holders), gaps, single points of failure, undocumented areas."""
    return svc.coverage_report(ctx.store, ctx.org, get_aligner(request), sight=sight_of(ctx.user))


@api.get("/gaps")
def get_gaps(
    request: Request,
    ctx: Annotated[Context, Depends(permit("skill.read"))],
    only: Annotated[str | None, Query(pattern="^(spof|uncovered|undocumented)$")] = None,
) -> list[dict[str, Any]]:
    """Gaps the mission depends on, largest first, with recommended actions."""
    report = svc.coverage_report(ctx.store, ctx.org, get_aligner(request), sight=sight_of(ctx.user))
    if only:
        return report[GAP_VIEWS[only]]
    return [g for g in report["gaps"] if g["dependence"] > 0]


@api.get("/documents")
def get_documents(ctx: Annotated[Context, Depends(permit("document.read"))]) -> dict[str, Any]:
    """Documents with their areas, and the weighted areas no document covers."""
    return _documents_view(ctx)


@api.post("/documents", status_code=201)
def post_document(
    body: DocumentIn, ctx: Annotated[Context, Depends(permit("document.create"))]
) -> dict[str, Any]:
    """Add (or replace) a document; without area_ids the suggested areas are stored."""
    return _new_document(ctx, body.model_dump())


@api.post("/documents/suggest")
def suggest_areas(
    body: TextIn, request: Request, ctx: Annotated[Context, Depends(permit("document.read"))]
) -> list[dict[str, Any]]:
    """The areas a text is most likely about, each with the words that say so."""
    return svc.suggest_document_areas(ctx.store, ctx.org, get_aligner(request), body.text)


# ---- pages ----------------------------------------------------------------------------------------


@pages.get("/knowledge", response_class=HTMLResponse)
def needs_page(
    request: Request,
    ctx: Annotated[Context, Depends(permit("knowledge_area.read"))],
    limit: Annotated[int, Query(ge=0, le=200)] = 20,
) -> HTMLResponse:
    has_mission = mission_of(ctx.store, ctx.org) is not None
    rows = svc.propose_needs(ctx.store, ctx.org, get_aligner(request), limit=limit) if has_mission else []
    return render(
        request,
        "knowledge/needs.html",
        {
            "rows": rows,
            "can_edit": can(ctx.user, "knowledge_area.update"),
            "limit": limit,
            "has_mission": has_mission,
            "own": sum(1 for r in rows if r["stored"]),
        },
    )


@pages.post("/knowledge/needs", response_model=None)
async def needs_submit(
    request: Request, ctx: Annotated[Context, Depends(permit("knowledge_area.update"))]
) -> RedirectResponse:
    """Confirmed rows (checkbox `confirm`) are stored with the weight typed next to them."""
    form = await request.form()
    chosen = [str(v) for v in form.getlist("confirm")]
    if not chosen:
        raise InputError("tick at least one knowledge area to confirm or re-weight")
    items = []
    for area_id in chosen:
        raw = str(form.get(f"weight-{area_id}") or "1").strip()
        try:
            weight = float(raw)
        except ValueError:
            raise InputError(f"weight of {area_id}: {raw!r} is not a number (write e.g. 1.2)") from None
        item: dict[str, Any] = {"id": area_id, "weight": weight}
        for name in ("name", "description", "origin"):
            value = form.get(f"{name}-{area_id}")
            if isinstance(value, str) and value.strip():
                item[name] = value.strip()
        items.append(item)
    counts = svc.save_needs(ctx.store, ctx.org, items, ctx.user.username)
    return RedirectResponse(f"/knowledge?saved={counts['created'] + counts['updated']}", status_code=303)


@pages.get("/knowledge/coverage", response_class=HTMLResponse)
def coverage_page(request: Request, ctx: Annotated[Context, Depends(permit("skill.read"))]) -> HTMLResponse:
    report = svc.coverage_report(ctx.store, ctx.org, get_aligner(request), sight=sight_of(ctx.user))
    return render(request, "knowledge/coverage.html", {"report": report, "heatmap": heatmap(report)})


@pages.get("/knowledge/skills", response_class=HTMLResponse)
def skills_page(request: Request, ctx: Annotated[Context, Depends(permit("skill.read"))]) -> HTMLResponse:
    return render(
        request,
        "knowledge/skills.html",
        {
            "proposals": None,
            "can_import": can(ctx.user, "skill.import"),
            "areas": [],
            "file": None,
            "skills": svc.mapped_skills(ctx.store, ctx.org, sight_of(ctx.user)),
        },
    )


@pages.post("/knowledge/skills/preview", response_class=HTMLResponse)
def skills_preview(
    request: Request,
    file: Annotated[UploadFile, File()],
    ctx: Annotated[Context, Depends(permit("skill.import"))],
) -> HTMLResponse:
    rows, name = _hr_rows(file)
    proposals = svc.map_skills(ctx.store, ctx.org, get_aligner(request), rows, source=name)
    for p in proposals:
        p["confidence_label"] = svc.confidence_label(p["confidence"])
    return render(
        request,
        "knowledge/skills.html",
        {
            "proposals": proposals,
            "can_import": True,
            "areas": reads.rows(ctx.store, ctx.org, "knowledge_areas"),
            "file": name,
        },
    )


@pages.post("/knowledge/skills/apply", response_model=None)
async def skills_apply(
    request: Request, ctx: Annotated[Context, Depends(permit("skill.import"))]
) -> RedirectResponse:
    form = await request.form()
    try:
        count = int(str(form.get("count") or "0"))
    except ValueError:
        raise InputError("the mapping form is damaged; upload the file again") from None
    proposals = []
    for i in range(min(count, 200_000)):
        if form.get(f"skip-{i}"):
            continue  # the reviewer unticked "keep": this mapping is wrong and has no right area
        proposals.append(
            {
                name: str(form.get(f"{name}-{i}") or "").strip() or None
                for name in ("person_id", "area_id", "level", "text", "unit_id")
            }
        )
    counts = svc.apply_skills(ctx.store, ctx.org, proposals, ctx.user.username)
    total = counts["skills_created"] + counts["skills_updated"]
    return RedirectResponse(f"/knowledge/coverage?skills={total}", status_code=303)


@pages.get("/knowledge/documents", response_class=HTMLResponse)
def documents_page(
    request: Request, ctx: Annotated[Context, Depends(permit("document.read"))]
) -> HTMLResponse:
    return render(
        request,
        "knowledge/documents.html",
        {**_documents_view(ctx), "can_create": can(ctx.user, "document.create")},
    )


@pages.post("/knowledge/documents", response_model=None)
def documents_upload(
    request: Request,
    file: Annotated[UploadFile, File()],
    ctx: Annotated[Context, Depends(permit("document.create"))],
    area_ids: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    if not file.filename:
        raise InputError("choose a .txt or .md file to upload")
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"{file.filename}: larger than {MAX_UPLOAD_BYTES // 2**20} MiB")
    body: dict[str, Any] = svc.document_from_upload(file.filename, data)
    chosen = [a.strip() for a in area_ids.split(";") if a.strip()]
    body["area_ids"] = chosen or None
    stored = _new_document(ctx, body)
    return RedirectResponse(f"/knowledge/documents?added={stored['id']}", status_code=303)
