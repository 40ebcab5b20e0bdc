"""The goal cascade in the app: the goal tree with progress and checks, the manager view of one
unit, the strategist's strategy map and coverage heatmap, parent suggestions for the goal form,
the checks over stored goals, and import of OKR tool exports.

Every route is guarded by `permit`; a unit manager sees the tree and the manager view of their own
unit only (the policy's `managed_units`), while edits keep going through the goal form and
`hoshin.service.editing`, which refuse goals outside their unit, cycles and unknown parents.
(No `from __future__ import annotations`: FastAPI must see the real parameter types.)
"""

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from hoshin.api import schemas
from hoshin.api.deps import Context, get_aligner, permit
from hoshin.api.params import checked, form_values
from hoshin.api.rendering import render
from hoshin.errors import InputError, PermissionDenied
from hoshin.service import editing
from hoshin.service import goals as service
from hoshin.service import record_reads as reads
from hoshin.service.auth import Principal, can
from hoshin.service.missions import mission_of
from hoshin.service.visibility import sight_of

__all__ = ["api", "pages"]

api = APIRouter()
pages = APIRouter(include_in_schema=False)
GOAL_FIELDS = (
    "id",
    "text",
    "unit_id",
    "level",
    "parent_ids",
    "owner_id",
    "period",
    "metric",
    "start",
    "target",
    "current",
)
MAX_UPLOAD_BYTES = 20 * 2**20
UnitQuery = Annotated[str | None, Query(max_length=64, description="A unit id; default: your own unit.")]


def _visible_units(user: Principal) -> frozenset[str] | None:
    """None (everything) except for a unit manager, who sees their own unit and those below it."""
    return sight_of(user).units


def _checks(ctx: Context) -> tuple[service.CascadeReport | None, str | None]:
    """The checks and None, or None and the reason they cannot run (no mission yet, or a stored
    tree that breaks the level rule), so the tree page still shows the goals."""
    if mission_of(ctx.store, ctx.org) is None:
        return None, "No mission yet, so the goals are not checked. Save the mission first."
    try:
        return service.run_checks(ctx.store, ctx.org, get_aligner(ctx.request)), None
    except InputError as exc:
        return None, f"The checks cannot run: {exc}"


# ---- REST API -----------------------------------------------------------------------------------


@api.get("/goals/tree", tags=["cascade"], summary="The goal tree with progress roll-up")
def tree_api(ctx: Annotated[Context, Depends(permit("goal.read"))]) -> list[dict[str, Any]]:
    """Top goals with nested `children`; each node has `progress` (0..1 or null) and
    `progress_source` (metric, children or none). A unit manager gets the branches of their unit."""
    return service.goal_tree(ctx.store, ctx.org, _visible_units(ctx.user))


@api.get("/goals/suggest-parents", tags=["cascade"], summary="Parent suggestions for a new or orphan goal")
def suggest_api(
    ctx: Annotated[Context, Depends(permit("goal.read"))],
    text: Annotated[str, Query(min_length=1, max_length=20_000, description="The goal's text.")],
    level: Annotated[int, Query(ge=1, le=3, description="The goal's level (2 or 3 have parents).")],
    unit_id: UnitQuery = None,
    goal_id: Annotated[str | None, Query(max_length=64, description="The goal being edited.")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> list[dict[str, Any]]:
    """Stored goals one level up, best first: `{id, text, unit_id, level, score, why}`."""
    return service.suggest_parents(
        ctx.store, ctx.org, get_aligner(ctx.request), text, level, unit_id, goal_id, limit, sight_of(ctx.user)
    )


@api.post("/cascade/check", tags=["cascade"], summary="Run the cascade checks over the stored goals")
def check_api(
    ctx: Annotated[Context, Depends(permit("goal.read"))],
    refresh: Annotated[bool, Query(description="Run again even if nothing changed.")] = False,
) -> dict[str, Any]:
    """`{mission_version, goals: [{id, verdict, issues: [{kind, detail}]}], summary}`; issue kinds are
    orphan, off-mission, duplicate, conflict and weak-parent. Stores one verdict per goal."""
    if refresh and not can(ctx.user, "goal.update"):
        # A refresh re-scores every goal and stores the verdicts even when nothing changed: a
        # write, so it takes a role that may change goals. A plain check stays open to every reader.
        raise PermissionDenied(
            f"a {ctx.user.role} may not refresh the cascade checks (it stores new verdicts); "
            "run the check without refresh"
        )
    report = service.run_checks(ctx.store, ctx.org, get_aligner(ctx.request), refresh=refresh)
    visible = _visible_units(ctx.user)
    units = service.goal_units(ctx.store, ctx.org)
    return {
        "mission_version": report.mission_version,
        "goals": [
            {"id": g, "verdict": report.verdicts.get(g), "issues": found}
            for g, found in report.issues.items()
            if visible is None or units.get(g) in visible
        ],
        "summary": report.summary,
    }


@api.get("/goals/manager", tags=["cascade"], summary="The manager view of one unit")
def manager_api(
    ctx: Annotated[Context, Depends(permit("goal.read"))], unit: UnitQuery = None
) -> dict[str, Any]:
    """The unit's goals with progress, verdict, issues and the company objectives they serve; sibling
    units' goals on the same themes; the issues that concern the unit."""
    unit_id = service.manager_unit(ctx.user, ctx.store, unit)
    return service.manager_view(ctx.store, ctx.org, unit_id, get_aligner(ctx.request))


@api.get("/goals/strategy", tags=["cascade"], summary="The strategy map and the units x themes coverage")
def strategy_api(ctx: Annotated[Context, Depends(permit("goal.read"))]) -> dict[str, Any]:
    """Mission -> themes -> objectives -> unit goals, and goal counts per unit and theme."""
    return service.strategy_view(ctx.store, ctx.org, get_aligner(ctx.request), sight_of(ctx.user))


@api.post("/goals/import-okr", tags=["cascade"], summary="Import goals from an OKR tool's CSV or XLSX export")
def import_okr_api(
    file: Annotated[UploadFile, File(description="CSV or XLSX exported from an OKR tool")],
    ctx: Annotated[Context, Depends(permit("goal.import"))],
) -> dict[str, Any]:
    """All or nothing: a row that cannot be resolved (unknown team, owner or parent, a cycle, a tree
    deeper than three levels) rejects the file with the row and column named."""
    from hoshin.service.okr_import import import_okr_file

    name = Path(file.filename or "upload.csv").name
    if Path(name).suffix.lower() not in (".csv", ".xlsx"):
        raise InputError(f"{name}: an OKR export must be a .csv or .xlsx file")
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"{name}: larger than {MAX_UPLOAD_BYTES // 2**20} MiB")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name  # keep the user's file name: errors name the file they sent
        path.write_bytes(data)
        return import_okr_file(ctx.store, ctx.org, path, ctx.user.username).as_dict()


# ---- pages --------------------------------------------------------------------------------------


@pages.get("/goals/tree", response_class=HTMLResponse)
def tree_page(request: Request, ctx: Annotated[Context, Depends(permit("goal.read"))]) -> HTMLResponse:
    report, problem = _checks(ctx)
    return render(
        request,
        "cascade/tree.html",
        {
            "problem": problem,
            "tree": service.goal_tree(ctx.store, ctx.org, _visible_units(ctx.user)),
            "issues": report.issues if report else {},
            "verdicts": report.verdicts if report else {},
            "summary": report.summary if report else None,
            "scoped": ctx.user.role == "unit_manager",
        },
    )


@pages.get("/goals/manager", response_class=HTMLResponse)
def manager_page(
    request: Request, ctx: Annotated[Context, Depends(permit("goal.read"))], unit: UnitQuery = None
) -> HTMLResponse:
    unit_id = service.manager_unit(ctx.user, ctx.store, unit)
    view = service.manager_view(ctx.store, ctx.org, unit_id, get_aligner(request))
    for goal in view["goals"]:
        goal["_editable"] = can(ctx.user, "goal.update", {"unit_id": goal.get("unit_id")})
    choices = view["units"] if ctx.user.role != "unit_manager" else sorted(ctx.user.managed_units)
    return render(request, "cascade/manager.html", {"view": view, "choices": choices})


@pages.get("/goals/strategy", response_class=HTMLResponse)
def strategy_page(request: Request, ctx: Annotated[Context, Depends(permit("goal.read"))]) -> HTMLResponse:
    view = service.strategy_view(ctx.store, ctx.org, get_aligner(request), sight_of(ctx.user))
    coverage = view["coverage"]
    spec = {
        "type": "bar",
        "data": {
            "labels": coverage["units"],
            "datasets": [
                {"label": theme, "data": [row[n] for row in coverage["counts"]]}
                for n, theme in enumerate(coverage["themes"])
            ],
        },
        "options": {
            "indexAxis": "y",
            "scales": {
                "x": {"stacked": True, "title": {"display": True, "text": "goals"}},
                "y": {"stacked": True},
            },
        },
    }
    rows = [[unit, *counts] for unit, counts in zip(coverage["units"], coverage["counts"], strict=True)]
    return render(
        request,
        "cascade/strategy.html",
        {"view": view, "spec": spec, "columns": ["unit", *coverage["themes"]], "rows": rows},
    )


# ---- goal records: check-ins and the goal list and forms ----


@api.get("/goals/{key}/checkins", response_model=list[schemas.CheckinPublic], tags=["goals"])
def list_checkins(key: str, ctx: Annotated[Context, Depends(permit("goal.read"))]) -> list[dict[str, Any]]:
    """A goal's check-ins, oldest first."""
    return service.goal_checkins(ctx.store, ctx.org, ctx.user, key)


@api.post("/goals/{key}/checkins", response_model=schemas.CheckinPublic, status_code=201, tags=["goals"])
def post_checkin(
    key: str, body: schemas.CheckinCreate, ctx: Annotated[Context, Depends(permit("checkin.create"))]
) -> dict[str, Any]:
    """Record progress on a goal."""
    _real_date(body.date)
    return editing.add_checkin(ctx.store, ctx.user, key, body.date, body.value, body.note)


def _real_date(text: str) -> None:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a real date; write YYYY-MM-DD, e.g. 2026-03-14") from None


def _list_page(
    request: Request, ctx: Context, kind: str, template: str, rows: list[dict[str, Any]]
) -> HTMLResponse:
    noun = editing.policy_kind(kind)
    for row in rows:
        row["_editable"] = can(ctx.user, f"{noun}.update", {"unit_id": row.get("unit_id")})
    units = reads.unit_ids(ctx.store, ctx.org)
    return render(
        request,
        template,
        {"rows": rows, "units": units, "record": {}, "can_create": can(ctx.user, f"{noun}.create")},
    )


@pages.get("/goals", response_class=HTMLResponse)
def goals_page(request: Request, ctx: Annotated[Context, Depends(permit("goal.read"))]) -> HTMLResponse:
    # A unit manager sees the goals of their own unit and the units below it, as in the API.
    rows = reads.visible_rows(ctx.store, ctx.org, ctx.user, "goals")
    return _list_page(request, ctx, "goals", "cascade/goals.html", rows)


@pages.post("/goals")
async def goals_create(
    request: Request, ctx: Annotated[Context, Depends(permit("goal.create"))]
) -> RedirectResponse:
    values = checked(schemas.GoalCreate, form_values(await request.form(), GOAL_FIELDS))
    editing.create(ctx.store, ctx.user, "goals", values)
    return RedirectResponse("/goals?created=" + values["id"], status_code=303)


@pages.get("/goals/{key}/edit", response_class=HTMLResponse)
def goal_edit(
    key: str, request: Request, ctx: Annotated[Context, Depends(permit("goal.update"))]
) -> HTMLResponse:
    record = sight_of(ctx.user).get(ctx.store, ctx.org, "goals", key)  # another unit's: as missing
    ctx.check("goal.update", record)
    units = reads.unit_ids(ctx.store, ctx.org)
    return render(request, "cascade/goal_edit.html", {"record": record, "units": units})


@pages.post("/goals/{key}")
async def goal_update(
    key: str, request: Request, ctx: Annotated[Context, Depends(permit("goal.update"))]
) -> RedirectResponse:
    values = form_values(await request.form(), GOAL_FIELDS[1:])
    values.setdefault("parent_ids", [])  # an emptied field means "no parents"
    editing.update(ctx.store, ctx.user, "goals", key, checked(schemas.GoalUpdate, values))
    return RedirectResponse("/goals?updated=" + key, status_code=303)
