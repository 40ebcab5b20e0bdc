"""The mission dashboard (the home page), its CSV tables, the board report download, and the
buttons that fill in missing verdicts and load the demo organisation into an empty one.

Every number comes from hoshin.service.dashboard, which reads stored verdicts only: a page view
never embeds text. Scoring happens on the two POST buttons.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from hoshin.api.deps import Context, get_aligner, permit
from hoshin.api.rendering import render
from hoshin.service.auth import can
from hoshin.service.dashboard import (
    Filters,
    build_dashboard,
    load_demo_records,
    refresh_verdicts,
    table,
    table_csv,
    top_issues,
    unit_choices,
)
from hoshin.service.palette import SERIES_COLOURS
from hoshin.service.visibility import sight_of

__all__ = ["api", "pages"]

api = APIRouter(tags=["dashboard"])
pages = APIRouter(include_in_schema=False)

DateQuery = Annotated[str | None, Query(max_length=10, pattern=r"^(\d{4}-\d{2}-\d{2})?$")]
UnitQuery = Annotated[str | None, Query(max_length=64)]
ISSUES_SHOWN = 10  # per kind on the page; the CSV download lists them all


def _filters(unit: str | None, start: str | None, end: str | None) -> Filters:
    # An empty form field means "no filter", not an empty unit id or date.
    return Filters(unit=unit or None, start=start or None, end=end or None)


def _query(filters: Filters) -> str:
    given = {k: v for k, v in (("unit", filters.unit), ("start", filters.start), ("end", filters.end)) if v}
    return "?" + urlencode(given) if given else ""


# ---- REST ---------------------------------------------------------------------------------------


FreshQuery = Annotated[
    bool,
    Query(description="Read the store now instead of numbers built up to HOSHIN_DASHBOARD_MAX_AGE_S ago."),
]


@api.get("/dashboard", summary="The dashboard's numbers")
def dashboard_data(
    ctx: Annotated[Context, Depends(permit("organisation.read"))],
    unit: UnitQuery = None,
    start: DateQuery = None,
    end: DateQuery = None,
    fresh: FreshQuery = False,
) -> dict[str, Any]:
    """Unit scores, the units x themes heatmap, the corridor by month and the issues to act on.

    `as_of` says when the numbers were read. Numbers built for an earlier view are shown again for
    up to HOSHIN_DASHBOARD_MAX_AGE_S seconds (default 2); an edit made through the app shows at
    once, a new idea within that time. `fresh=true` reads the store now."""
    return _numbers(ctx, _filters(unit, start, end), fresh=fresh)


def _numbers(ctx: Context, filters: Filters, *, fresh: bool = False) -> dict[str, Any]:
    """The dashboard's numbers, built by this view or shared with a recent one (read, never change),
    as the signed-in user may see them (a unit manager: the issues of their units' goals only)."""
    snapshots = ctx.request.app.state.dashboards
    data = snapshots.get(ctx.store, ctx.org, filters, fresh=fresh)
    return sight_of(ctx.user).dashboard(ctx.store, ctx.org, data)


@api.get("/dashboard/tables/{name}", summary="One dashboard table as CSV", response_class=Response)
def dashboard_table_api(
    name: str,
    ctx: Annotated[Context, Depends(permit("organisation.read"))],
    unit: UnitQuery = None,
    start: DateQuery = None,
    end: DateQuery = None,
) -> Response:
    return _csv(ctx, name, _filters(unit, start, end))


def _csv(ctx: Context, name: str, filters: Filters) -> Response:
    data = _numbers(ctx, filters)  # the numbers the page beside it shows
    body = table_csv(data, name)  # InputError (422) for an unknown table
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{ctx.org}-{name}.csv"'},
    )


# ---- pages --------------------------------------------------------------------------------------


@pages.get("/", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    ctx: Annotated[Context, Depends(permit("organisation.read"))],
    unit: UnitQuery = None,
    start: DateQuery = None,
    end: DateQuery = None,
    done: str | None = None,
    fresh: bool = False,
) -> HTMLResponse:
    filters = _filters(unit, start, end)
    data = _numbers(ctx, filters, fresh=fresh)
    issues, totals = top_issues(data["issues"], ISSUES_SHOWN)
    empty = data["mission"] is None and not any(data["counts"][k] for k in ("units", "goals", "ideas"))
    return render(
        request,
        "dashboard/index.html",
        {
            "data": data,
            "empty": empty,
            "query": _query(filters),
            "units_choice": unit_choices(ctx.store, ctx.org),
            "missing": data["missing"],
            "issues": issues,
            "issue_totals": totals,
            "ISSUES_SHOWN": ISSUES_SHOWN,
            "can_refresh": can(ctx.user, "mission.update"),
            "can_load_demo": can(ctx.user, "organisation.import"),
            "charts": _charts(data),
            "heat_cells": [_heat_cells(row) for row in data["heatmap"]["rows"]],
            "tables": {name: table(data, name) for name in ("units", "corridor")},  # the charts' tables
            "message": {
                "scored": "Missing verdicts are scored.",
                "demo": "The demo organisation is loaded.",
            }.get(done or ""),
        },
    )


def _heat_cells(row: dict[str, Any]) -> Markup:
    """The <td> cells of one heatmap row. Built here rather than in the template because a large
    organisation has thousands of cells and Jinja's per-attribute lookups dominated the page time;
    every value is an int or one of four fixed class names, so nothing needs escaping."""
    parts = []
    for cell in row["cells"]:
        goals, ideas, people = int(cell["goals"]), int(cell["ideas"]), int(cell["knowledge"])
        n = goals + ideas
        shade = 0 if n == 0 else 1 if n < 2 else 2 if n < 4 else 3
        parts.append(
            f'<td class="h{shade}" data-goals="{goals}" data-ideas="{ideas}" data-knowledge="{people}">'
            f"{goals} / {ideas} / {people}</td>"
        )
    return Markup("".join(parts))


def _colour(series: str) -> dict[str, str]:
    return {"backgroundColor": SERIES_COLOURS[series], "borderColor": SERIES_COLOURS[series]}


def _charts(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Chart.js specs, each series in its own colour (service/palette.py, as in the board report)."""
    scored = [u for u in data["units"] if u["score"] is not None]
    corridor = data["corridor"]
    return {
        "units": {
            "type": "bar",
            "data": {
                "labels": [u["name"] for u in scored],
                "datasets": [
                    {"label": "alignment score", "data": [u["score"] for u in scored], **_colour("units")}
                ],
            },
            "options": {"indexAxis": "y", "scales": {"x": {"min": 0, "max": 1}}},
        },
        "trend": {
            "type": "line",
            "data": {
                "labels": [m for m, _ in data["overall"]["series"]],
                "datasets": [
                    {
                        "label": "mean idea score",
                        "data": [s for _, s in data["overall"]["series"]],
                        **_colour("trend"),
                    }
                ],
            },
            "options": {"scales": {"y": {"min": 0, "max": 1}}},
        },
        "corridor": {
            "type": "bar",
            "data": {
                "labels": [r[0] for r in corridor],
                "datasets": [
                    {"label": tier, "data": [r[n] for r in corridor], **_colour(tier)}
                    for n, tier in enumerate(("core", "adjacent", "off"), start=1)
                ],
            },
            "options": {"scales": {"x": {"stacked": True}, "y": {"stacked": True}}},
        },
    }


@pages.get("/dashboard/{name}.csv", response_class=Response)
def dashboard_table_page(
    name: str,
    ctx: Annotated[Context, Depends(permit("organisation.read"))],
    unit: UnitQuery = None,
    start: DateQuery = None,
    end: DateQuery = None,
) -> Response:
    return _csv(ctx, name, _filters(unit, start, end))


@pages.get("/dashboard/report.{fmt}", response_class=Response)
def report_download(
    fmt: str,
    ctx: Annotated[Context, Depends(permit("organisation.export"))],
    unit: UnitQuery = None,
    start: DateQuery = None,
    end: DateQuery = None,
) -> Response:
    """The board report, self-contained HTML or PDF, shown in the browser (saving it keeps the name)."""
    from hoshin.errors import InputError
    from hoshin.service.report import render_html, render_pdf

    if fmt not in ("html", "pdf"):
        raise InputError(f"no report format {fmt!r}; use html or pdf")
    data = build_dashboard(ctx.store, ctx.org, _filters(unit, start, end))
    html = render_html(sight_of(ctx.user).dashboard(ctx.store, ctx.org, data))
    # Inline: "Board report" opens the report to read; the browser's own save names the file.
    filename = f'inline; filename="{ctx.org}-board-report.{fmt}"'
    if fmt == "html":
        return Response(
            html, media_type="text/html; charset=utf-8", headers={"Content-Disposition": filename}
        )
    return Response(render_pdf(html), media_type="application/pdf", headers={"Content-Disposition": filename})


@pages.post("/dashboard/refresh")
def refresh(request: Request, ctx: Annotated[Context, Depends(permit("mission.update"))]) -> RedirectResponse:
    """Score goals and knowledge areas without a verdict and check communications (may take a while)."""

    refresh_verdicts(ctx.store, ctx.org, get_aligner(request))
    return RedirectResponse("/?done=scored", status_code=303)


@pages.post("/dashboard/demo")
def load_demo(
    request: Request, ctx: Annotated[Context, Depends(permit("organisation.import"))]
) -> RedirectResponse:
    """Load the demo organisation's records into this (empty) organisation and score them."""

    load_demo_records(ctx.store, ctx.org, ctx.user.username, get_aligner(request))
    return RedirectResponse("/?done=demo", status_code=303)
