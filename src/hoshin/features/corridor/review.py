"""The innovation corridor's own routes: similar ideas, duplicate groups, merge and undo, the corridor
chart, theme counts over time, teaching the corridor, and export of each view.

REST under /api/v1 (`api`) and HTML pages (`pages`); both call hoshin.service.duplicates and
hoshin.service.corridor. Views take the inbox filters (tier, theme, status, unit) as query
parameters, and every export link carries the filters of the page it sits on.
(No `from __future__ import annotations`: FastAPI must see the real body classes.)
"""

import tempfile
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.api import schemas
from hoshin.api.deps import Context, get_aligner, permit
from hoshin.api.params import EXPORT_TYPES
from hoshin.api.rendering import render
from hoshin.api.security import CSRF_FIELD
from hoshin.errors import InputError
from hoshin.service import record_reads as reads
from hoshin.service.corridor import TIER_NAMES, idea_themes, list_inbox
from hoshin.service.corridor_teaching import teach, teach_page, undo_label
from hoshin.service.duplicates import (
    DEFAULT_THRESHOLD,
    MAX_MATCHES,
    find_duplicate_groups,
    group_members,
    merge_ideas,
    merged_groups,
    similar_ideas,
    unmerge_ideas,
)
from hoshin.service.records import IDEA_STATUSES

__all__ = ["api", "pages"]

api = APIRouter()
pages = APIRouter(include_in_schema=False)

FILTERS = ("tier", "theme", "status", "unit")
VIEWS = ("inbox", "themes", "duplicates")
INBOX_COLUMNS = (
    "id",
    "effective_tier",
    "score",
    "tier",
    "theme",
    "status",
    "unit_id",
    "submitted_at",
    "duplicate_group",
    "override_tier",
    "override_reason",
    "text",
    "why",
    "decided_by_example",
    "example_id",
)
# Translucent fills for the tier bands behind the points (Okabe-Ito hues, so the points stay legible).
BANDS = (
    ("off (below 0.40)", 0.4, "rgba(213, 94, 0, 0.10)", "origin"),
    ("adjacent (0.40 to 0.70)", 0.7, "rgba(230, 159, 0, 0.12)", "-1"),
    ("core (0.70 and above)", 1.0, "rgba(0, 158, 115, 0.12)", "-1"),
)
POINT_COLOURS = {"core": "#009E73", "adjacent": "#E69F00", "off": "#D55E00", "unscored": "#000000"}

Threshold = Annotated[
    float, Query(gt=0.0, le=1.0, description="Twin score from which two ideas count as one (0-1].")
]


# ---- shaping (the views' rows) ------------------------------------------------------------------


def _filters(request: Request) -> dict[str, str | None]:
    values = {}
    for name in FILTERS:
        value = request.query_params.get(name, "").strip()
        values[name] = value or None
    return values


def _inbox(ctx: Context, filters: dict[str, str | None]) -> list[dict[str, Any]]:
    rows = list_inbox(
        ctx.store,
        ctx.org,
        tier=filters["tier"],
        theme=filters["theme"],
        status=filters["status"],
        unit=filters["unit"],
    )
    return [{name: row.get(name) for name in INBOX_COLUMNS} for row in rows]


def theme_counts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ideas per month and theme: {month, theme, ideas}, by month then theme (undated ideas skipped)."""
    counts = Counter(
        (str(r["submitted_at"])[:7], r.get("theme") or "(not scored)") for r in rows if r.get("submitted_at")
    )
    return [{"month": m, "theme": t, "ideas": n} for (m, t), n in sorted(counts.items())]


def _duplicate_rows(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "group": n,
            "id": idea["id"],
            "similarity": g["similarity"],
            "merged": g["merged"],
            "text": idea["text"],
        }
        for n, g in enumerate(groups, start=1)
        for idea in g["ideas"]
    ]


def _view_rows(
    ctx: Context, view: str, filters: dict[str, str | None], threshold: float
) -> list[dict[str, Any]]:
    if view == "duplicates":
        return _duplicate_rows(find_duplicate_groups(ctx.store, ctx.org, get_aligner(ctx.request), threshold))
    rows = _inbox(ctx, filters)
    return theme_counts(rows) if view == "themes" else rows


def export_link(view: str, fmt: str, filters: dict[str, Any]) -> str:
    query = {"view": view, "format": fmt, **{k: v for k, v in filters.items() if v not in (None, "")}}
    return "/api/v1/ideas/export?" + urlencode(query)


# ---- REST ---------------------------------------------------------------------------------------


class SimilarRequest(schemas._In):
    text: Annotated[str, schemas.Field(min_length=1, max_length=20_000)]
    k: Annotated[int, schemas.Field(ge=1, le=MAX_MATCHES)] = 5


class SimilarIdea(schemas._Out):
    id: str
    text: str
    score: float  # the twin score (sentence cosine where no rest could be compared)
    cosine: float
    status: str
    duplicate_group: str | None = None
    twin: bool
    # The shared words, whether what each says besides agrees, and close words where the server
    # already keeps both words' vectors (the search makes no model call for words).
    reason: str


class MergeRequest(schemas._In):
    primary: schemas.Id
    twins: list[schemas.Id] = schemas.Field(min_length=1, max_length=100)


class UnmergeRequest(schemas._In):
    group: schemas.Id


class MergeResult(schemas._Out):
    group: str
    ids: list[str]
    added_tags: list[str] = []
    added_links: list[str] = []


class DuplicateIdea(schemas._Out):
    id: str
    text: str
    status: str


class DuplicateLink(schemas._Out):
    ids: list[str]
    score: float
    cosine: float
    reason: str


class DuplicateGroup(schemas._Out):
    ids: list[str]
    similarity: float
    merged: bool
    ideas: list[DuplicateIdea]
    links: list[DuplicateLink] = []


@api.post("/ideas/similar", response_model=list[SimilarIdea], tags=["ideas"])
def post_similar(body: SimilarRequest, ctx: Annotated[Context, Depends(permit("idea.read"))]) -> Any:
    """The stored ideas closest to a text not saved yet (best first); `twin` marks likely duplicates."""
    return similar_ideas(ctx.store, ctx.org, get_aligner(ctx.request), body.text, body.k)


@api.get("/ideas/duplicates", response_model=list[DuplicateGroup], tags=["ideas"])
def get_duplicates(
    ctx: Annotated[Context, Depends(permit("idea.read"))], threshold: Threshold = DEFAULT_THRESHOLD
) -> Any:
    """Candidate groups of near-duplicate stored ideas, largest first."""
    return find_duplicate_groups(ctx.store, ctx.org, get_aligner(ctx.request), threshold)


def _check_all(ctx: Context, ids: list[str]) -> None:
    for idea_id in ids:
        ctx.check("idea.update", reads.record(ctx.store, ctx.org, "ideas", idea_id))


@api.post("/ideas/merge", response_model=MergeResult, tags=["ideas"])
def post_merge(body: MergeRequest, ctx: Annotated[Context, Depends(permit("idea.update"))]) -> Any:
    """Group twins under a primary idea, which takes the union of their tags and links (undo: unmerge)."""
    _check_all(ctx, [body.primary, *body.twins])
    return merge_ideas(ctx.store, ctx.org, body.primary, body.twins, ctx.user.username)


@api.post("/ideas/unmerge", response_model=MergeResult, tags=["ideas"])
def post_unmerge(body: UnmergeRequest, ctx: Annotated[Context, Depends(permit("idea.update"))]) -> Any:
    """Undo the latest merge into `group` (the primary's id)."""
    members = group_members(ctx.store, ctx.org, body.group)
    _check_all(ctx, members or [body.group])
    return unmerge_ideas(ctx.store, ctx.org, body.group, ctx.user.username)


@api.get("/ideas/export", tags=["import/export"], response_class=Response)
def export_view(
    request: Request,
    ctx: Annotated[Context, Depends(permit("idea.export"))],
    view: Literal["inbox", "themes", "duplicates"] = "inbox",
    format: Literal["csv", "xlsx", "json"] = "csv",
    tier: Annotated[schemas.TierName | None, Query()] = None,
    theme: Annotated[str | None, Query(max_length=300)] = None,
    status: Annotated[schemas.IdeaStatus | None, Query()] = None,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    threshold: Threshold = DEFAULT_THRESHOLD,
) -> Response:
    """A corridor view (inbox rows, theme counts per month, duplicate groups) as a CSV/XLSX/JSON file,
    with the same filters as the page it was downloaded from."""
    from hoshin.io.tables import write_table

    filters = {"tier": tier, "theme": theme, "status": status, "unit": unit}
    rows = _view_rows(ctx, view, filters, threshold)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"ideas-{view}.{format}"
        write_table(rows, format, path)
        body = path.read_bytes()
    headers = {"Content-Disposition": f'attachment; filename="ideas-{view}.{format}"'}
    return Response(body, media_type=EXPORT_TYPES[format], headers=headers)


# ---- pages --------------------------------------------------------------------------------------


def _scatter(rows: list[dict[str, Any]], themes: list[str]) -> dict[str, Any]:
    """A Chart.js scatter: one point per idea (x: theme, y: score), tiers as filled bands behind."""
    edges = [themes[0], themes[-1]] if themes else []
    datasets: list[dict[str, Any]] = [
        {
            "type": "line",
            "label": f"band: {label}",
            "data": [{"x": x, "y": top} for x in edges],
            "fill": fill,
            "backgroundColor": colour,
            "borderColor": "rgba(0, 0, 0, 0.25)",
            "borderWidth": 1,
            "pointRadius": 0,
            "order": 2,
        }
        for label, top, colour, fill in BANDS
    ]
    for tier in (*TIER_NAMES, "unscored"):
        points = [
            {"x": r["theme"], "y": r["score"], "id": r["id"]}
            for r in rows
            if r["score"] is not None and (r["effective_tier"] or "unscored") == tier
        ]
        if points:
            colour = POINT_COLOURS[tier]
            datasets.append(
                {
                    "label": f"{tier} ideas",
                    "data": points,
                    "backgroundColor": colour,
                    "borderColor": colour,
                    "order": 1,
                }
            )
    return {
        "type": "scatter",
        "data": {"labels": themes, "datasets": datasets},
        "options": {
            "scales": {
                "x": {"type": "category", "labels": themes, "title": {"display": True, "text": "theme"}},
                "y": {"min": 0, "max": 1, "title": {"display": True, "text": "score"}},
            },
            "plugins": {"legend": {"position": "bottom"}},
        },
    }


def _counts_chart(counts: list[dict[str, Any]]) -> dict[str, Any]:
    months = sorted({c["month"] for c in counts})
    themes = sorted({c["theme"] for c in counts})
    cell = {(c["month"], c["theme"]): c["ideas"] for c in counts}
    return {
        "type": "bar",
        "data": {
            "labels": months,
            "datasets": [{"label": t, "data": [cell.get((m, t), 0) for m in months]} for t in themes],
        },
        "options": {
            "scales": {
                "x": {"stacked": True, "title": {"display": True, "text": "month submitted"}},
                "y": {"stacked": True, "beginAtZero": True, "title": {"display": True, "text": "ideas"}},
            },
            "plugins": {"legend": {"position": "bottom"}},
        },
    }


@pages.get("/ideas/chart", response_class=HTMLResponse)
def chart_page(request: Request, ctx: Annotated[Context, Depends(permit("idea.read"))]) -> HTMLResponse:
    filters = _filters(request)
    rows = _inbox(ctx, filters)
    scored = [r for r in rows if r["score"] is not None]
    themes = sorted({r["theme"] for r in scored if r["theme"]})
    counts = theme_counts(rows)
    all_themes = idea_themes(ctx.store, ctx.org)
    return render(
        request,
        "corridor/chart.html",
        {
            "filters": filters,
            "scatter": _scatter(scored, themes),
            "scatter_rows": [
                [r["id"], r["theme"], f"{r['score']:.2f}", r["effective_tier"], r["text"]] for r in scored
            ],
            "counts_chart": _counts_chart(counts),
            "count_rows": [[c["month"], c["theme"], c["ideas"]] for c in counts],
            "unscored": len(rows) - len(scored),
            "links": {
                (view, fmt): export_link(view, fmt, filters)
                for view in ("inbox", "themes")
                for fmt in ("csv", "xlsx")
            },
            "themes": all_themes,
            "can_teach": _can_teach(ctx),
            "tiers": TIER_NAMES,
            "statuses": IDEA_STATUSES,
            "units": reads.unit_ids(ctx.store, ctx.org),
        },
    )


def _threshold(request: Request) -> float:
    raw = request.query_params.get("threshold", "").strip()
    if not raw:
        return DEFAULT_THRESHOLD
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"the threshold {raw!r} is not a number; use a twin score such as 0.42") from None
    return value


@pages.get("/ideas/duplicates", response_class=HTMLResponse)
def duplicates_page(request: Request, ctx: Annotated[Context, Depends(permit("idea.read"))]) -> HTMLResponse:
    threshold = _threshold(request)
    groups = find_duplicate_groups(ctx.store, ctx.org, get_aligner(request), threshold)
    merged = merged_groups(ctx.store, ctx.org)
    return render(
        request,
        "corridor/duplicates.html",
        {
            "groups": groups,
            "threshold": threshold,
            "merged": merged,
            "can_merge": _can_update(ctx),
            "can_teach": _can_teach(ctx),
            "links": {
                fmt: export_link("duplicates", fmt, {"threshold": threshold}) for fmt in ("csv", "xlsx")
            },
        },
    )


def _can_update(ctx: Context) -> bool:
    from hoshin.service.auth import can

    return can(ctx.user, "idea.update")


@pages.post("/ideas/duplicates/merge")
def merge_form(
    request: Request,
    ctx: Annotated[Context, Depends(permit("idea.update"))],
    primary: Annotated[str, Form(max_length=64)] = "",
    ids: Annotated[list[str] | None, Form()] = None,
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> RedirectResponse:
    if not primary:
        raise InputError("choose the idea to keep as the primary")
    twins = [i for i in (ids or []) if i != primary]
    _check_all(ctx, [primary, *twins])
    merge_ideas(ctx.store, ctx.org, primary, twins, ctx.user.username)
    return RedirectResponse("/ideas/duplicates?merged=" + primary, status_code=303)


@pages.post("/ideas/duplicates/unmerge")
def unmerge_form(
    request: Request,
    ctx: Annotated[Context, Depends(permit("idea.update"))],
    group: Annotated[str, Form(max_length=64)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> RedirectResponse:
    members = group_members(ctx.store, ctx.org, group)
    _check_all(ctx, members or [group])
    unmerge_ideas(ctx.store, ctx.org, group, ctx.user.username)
    return RedirectResponse("/ideas/duplicates?unmerged=" + group, status_code=303)


# ---- teaching the corridor ------------------------------------------------------------------------
# Labelling is reviewing: whoever may override an idea's tier (idea.status) may teach with it.


def _can_teach(ctx: Context) -> bool:
    from hoshin.service.auth import can

    return can(ctx.user, "idea.status")


class TeachRequest(schemas._In):
    idea: schemas.Id
    tier: schemas.TierName


class UndoLabelRequest(schemas._In):
    idea: schemas.Id


class TeachSuggestion(schemas._Out):
    id: str
    text: str
    tier: schemas.TierName
    score: float
    theme: str
    why: str
    confidence: float | None = None
    asked: str


class LabelCounts(schemas._Out):
    core: int
    adjacent: int
    off: int
    earlier: int


class Relearned(schemas._Out):
    idea: str | None = None
    cause: str | None = None
    changed: int
    by: str | None = None
    at: str | None = None


class TeachPage(schemas._Out):
    suggestions: list[TeachSuggestion]
    labels: LabelCounts
    recent: list[Relearned]
    settled: bool
    learning: bool
    message: str


class TeachResult(schemas._Out):
    idea: dict[str, Any]
    changed: int
    changed_ids: list[str]


def _check_idea(ctx: Context, idea_id: str) -> None:
    ctx.check("idea.status", reads.record(ctx.store, ctx.org, "ideas", idea_id))


@api.get("/corridor/teach", response_model=TeachPage, tags=["ideas"])
def get_teach(
    ctx: Annotated[Context, Depends(permit("idea.status"))],
    limit: Annotated[int, Query(ge=1, le=50)] = 8,
) -> Any:
    """The ideas whose label would teach the corridor most (least certain verdicts; the most typical
    idea of each tier not labelled yet), the labels per tier, and how many other ideas each recent
    label changed. `settled` says the last labels changed nothing: the page stops asking then."""
    return teach_page(ctx.store, ctx.org, get_aligner(ctx.request), limit)


@api.post("/corridor/teach", response_model=TeachResult, tags=["ideas"])
def post_teach(body: TeachRequest, ctx: Annotated[Context, Depends(permit("idea.status"))]) -> Any:
    """Label an idea core, adjacent or off (the reviewer's tier for it, as an override). Every idea
    is re-scored with the labels; `changed` counts the other ideas whose tier changed."""
    _check_idea(ctx, body.idea)
    return teach(ctx.store, ctx.org, get_aligner(ctx.request), body.idea, body.tier, ctx.user.username)


@api.post("/corridor/teach/undo", response_model=TeachResult, tags=["ideas"])
def post_undo_label(body: UndoLabelRequest, ctx: Annotated[Context, Depends(permit("idea.status"))]) -> Any:
    """Take the reviewer's tier (a label or an override) off an idea and re-score every idea."""
    _check_idea(ctx, body.idea)
    return undo_label(ctx.store, ctx.org, get_aligner(ctx.request), body.idea, ctx.user.username)


@pages.get("/ideas/teach", response_class=HTMLResponse)
def teach_view(request: Request, ctx: Annotated[Context, Depends(permit("idea.status"))]) -> HTMLResponse:
    page = teach_page(ctx.store, ctx.org, get_aligner(request))
    last = None
    labelled = request.query_params.get("labelled", "").strip()
    if labelled:
        changed = request.query_params.get("changed", "")
        last = {
            "idea": labelled,
            "tier": request.query_params.get("tier", ""),
            "changed": int(changed) if changed.isdigit() else None,
            "undone": request.query_params.get("undone") == "1",
        }
    return render(request, "corridor/teach.html", {**page, "last": last, "tiers": TIER_NAMES})


@pages.post("/ideas/teach/label")
def teach_form(
    request: Request,
    ctx: Annotated[Context, Depends(permit("idea.status"))],
    idea: Annotated[str, Form(max_length=64)] = "",
    tier: Annotated[str, Form(max_length=16)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> RedirectResponse:
    _check_idea(ctx, idea)
    done = teach(ctx.store, ctx.org, get_aligner(request), idea, tier, ctx.user.username)
    query = urlencode({"labelled": idea, "tier": tier, "changed": done["changed"]})
    return RedirectResponse("/ideas/teach?" + query, status_code=303)


@pages.post("/ideas/teach/undo")
def undo_label_form(
    request: Request,
    ctx: Annotated[Context, Depends(permit("idea.status"))],
    idea: Annotated[str, Form(max_length=64)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> RedirectResponse:
    _check_idea(ctx, idea)
    done = undo_label(ctx.store, ctx.org, get_aligner(request), idea, ctx.user.username)
    query = urlencode({"labelled": idea, "undone": 1, "changed": done["changed"]})
    return RedirectResponse("/ideas/teach?" + query, status_code=303)
