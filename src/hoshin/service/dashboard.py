"""The mission dashboard and the board report's numbers, read from stored verdicts.

`build_dashboard` never embeds text: it reads records and the latest verdicts from the store, so
the page stays fast however large the organisation. Verdicts that are missing are filled in by
`refresh_verdicts` (run from the dashboard's "Score missing records" button, after loading the
demo, and by `hoshin report`):

- goals and knowledge areas are scored by the Aligner against the current mission version
  (record kinds "goal" and "knowledge_area"); ideas are scored on arrival by the corridor;
- own-voice communications are checked against the mission's principles and the outcome cached
  as a verdict of record kind "brand": tier "off" with the principle as theme when the text
  contradicts it, tier "core" otherwise.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from hoshin.domain import dashboard as calc
from hoshin.domain.mission import build_mission_model
from hoshin.errors import InputError
from hoshin.service.missions import current_model, themes_from_json

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = [
    "Filters",
    "build_dashboard",
    "load_demo_records",
    "missing_verdicts",
    "refresh_verdicts",
    "table",
    "table_csv",
    "top_issues",
    "TABLES",
]

BRAND_KIND = "brand"
TABLES = ("units", "heatmap", "corridor", "issues")
_ISSUE_LINKS = {
    "goal": "/goals/{}/edit",
    "theme": "/mission",
    "knowledge_area": "/knowledge#{}",
    "communication": "/brand#{}",
}


@dataclass(frozen=True)
class Filters:
    """What the dashboard or report covers: a unit (and the units below it) and a date range.

    Dates are ISO "YYYY-MM-DD" and bound ideas (by arrival) and communications (by date); goals have
    no date and are always included.
    """

    unit: str | None = None
    start: str | None = None
    end: str | None = None

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None and not _is_date(value):
                raise InputError(f"{name} date {value!r} is not a date; write it as YYYY-MM-DD")
        if self.start and self.end and self.start > self.end:
            raise InputError(f"the start date {self.start} is after the end date {self.end}")

    def dated(self, value: str | None) -> bool:
        if not value:
            return self.start is None and self.end is None
        return (self.start is None or value[:10] >= self.start) and (
            self.end is None or value[:10] <= self.end
        )


def _is_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return len(value) == 10


def mission_themes(mission: dict[str, Any] | None) -> list[str]:
    """Theme names of a stored mission version, as verdicts name them (themes, then focus areas)."""
    if mission is None:
        return []
    model = build_mission_model(
        mission["text"],
        [f for f in mission.get("focus_areas") or [] if isinstance(f, str)],
        [e for e in mission.get("exclusions") or [] if isinstance(e, str)],
        themes_from_json(mission.get("themes")) or None,
    )
    return list(dict.fromkeys(t.name for t in model.all_themes))


def _latest(repo: Repository, org_id: str, kind: str) -> dict[str, dict[str, Any]]:
    """record id -> its newest verdict {score, tier, theme, mission_version}."""
    return _latest_of(repo, org_id, (kind,))[kind]


def _latest_of(repo: Repository, org_id: str, kinds: Sequence[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """kind -> record id -> newest verdict, for several kinds in one pass over the verdicts table."""
    return repo.verdict_summaries(org_id, kinds)


def build_dashboard(repo: Repository, org_id: str, filters: Filters | None = None) -> dict[str, Any]:
    """Everything the dashboard page and the board report show, as plain JSON-ready values."""
    filters = filters or Filters()
    organisation = repo.organisation(org_id)
    mission = repo.mission(org_id)
    themes = mission_themes(mission)
    names = dict(sorted(repo.columns("units", org_id, ("id", "name"))))
    unit_ids = repo.unit_subtree(org_id, filters.unit) if filters.unit else list(names)
    in_scope = set(unit_ids)

    def scoped(unit: str | None) -> bool:
        return not filters.unit or unit in in_scope

    goal_rows = sorted(r for r in repo.columns("goals", org_id, ("id", "unit_id", "text")) if scoped(r[1]))
    idea_rows = sorted(
        r
        for r in repo.columns("ideas", org_id, ("id", "unit_id", "submitted_at", "override_tier"))
        if scoped(r[1]) and filters.dated(r[2])
    )
    latest = _latest_of(repo, org_id, ("goal", "idea", "knowledge_area", BRAND_KIND))
    goal_verdicts, idea_verdicts = latest["goal"], latest["idea"]
    goals = [_scored("goal", gid, unit, goal_verdicts.get(gid)) for gid, unit, _ in goal_rows]
    ideas = [
        _scored("idea", iid, unit, idea_verdicts.get(iid), (day or "")[:7] or None, override)
        for iid, unit, day, override in idea_rows
    ]
    goals_scored = [g for g in goals if g is not None]
    ideas_scored = [i for i in ideas if i is not None]
    items = goals_scored + ideas_scored

    people = {
        pid: (unit, name) for pid, unit, name in repo.columns("people", org_id, ("id", "unit_id", "name"))
    }
    skills = repo.columns("skills", org_id, ("person_id", "area_id"))
    area_verdicts = latest["knowledge_area"]
    area_theme = {a: v["theme"] for a, v in area_verdicts.items() if v["tier"] != "off"}
    knowledge = calc.knowledge_by_unit_theme(skills, {p: u for p, (u, _) in people.items()}, area_theme)
    cells = calc.heatmap(items, unit_ids, themes, knowledge)

    series, delta = calc.trend(ideas_scored)
    units = [
        {
            "id": u.unit_id,
            "name": names.get(u.unit_id, u.unit_id),
            "score": u.score,
            "items": u.items,
            "trend": u.trend,
        }
        for u in calc.unit_scores(items, unit_ids)
    ]
    areas = dict(repo.columns("knowledge_areas", org_id, ("id", "name")))
    comms = sorted(repo.columns("communications", org_id, ("id", "title", "text", "date", "voice")))
    checks = latest[BRAND_KIND]
    goal_text = {g[0]: g[2] for g in goal_rows}
    context = _IssueContext(filters, themes, skills, people, in_scope, areas, goal_text, comms, checks)
    version = mission["version"] if mission else None

    def unscored(ids: Any, verdicts: dict[str, dict[str, Any]]) -> int:
        return (
            0 if version is None else sum(verdicts.get(i, {}).get("mission_version") != version for i in ids)
        )

    return {
        "organisation": {"id": organisation["id"], "name": organisation["name"]},
        "filters": asdict(filters),
        "unit_name": names.get(filters.unit) if filters.unit else None,
        "mission": None
        if mission is None
        else {"text": mission["text"], "version": mission["version"], "themes": themes},
        "overall": {"score": calc.alignment(items), "trend": delta, "series": [list(p) for p in series]},
        "units": units,
        "heatmap": {
            "themes": themes,
            "rows": [
                {"unit_id": u, "name": names.get(u, u), "cells": row}
                for u, row in zip(unit_ids, cells, strict=True)
            ],
        },
        "corridor": [list(row) for row in calc.corridor_by_month(ideas_scored)],
        "issues": _issues(goals_scored, context),
        "counts": {
            "units": len(unit_ids),
            "goals": len(goal_rows),
            "ideas": len(idea_rows),
            "knowledge_areas": len(areas),
            "people": len(people),
        },
        # Records without a verdict for the current mission version (the dashboard offers to score them).
        "missing": {
            "goals": unscored(goal_text, goal_verdicts),
            "knowledge_areas": unscored(areas, area_verdicts),
            "communications": unscored((c[0] for c in comms if c[4] != "external"), checks),
            "ideas": sum(i is None for i in ideas),
        },
    }


def _scored(
    kind: str,
    record_id: str,
    unit: str | None,
    verdict: dict[str, Any] | None,
    month: str | None = None,
    override: str | None = None,
) -> calc.Scored | None:
    if verdict is None:
        return None
    # A reviewer's override is the idea's tier from then on; the engine's score stays.
    tier = override or verdict["tier"]
    return calc.Scored(kind, record_id, unit, float(verdict["score"]), tier, verdict["theme"], month)


@dataclass(frozen=True)
class _IssueContext:
    filters: Filters
    themes: list[str]
    skills: list[tuple[Any, ...]]
    people: dict[str, tuple[str | None, str]]  # id -> (unit, name)
    in_scope: set[str]
    areas: dict[str, str]  # id -> name
    goal_text: dict[str, str]
    comms: list[tuple[Any, ...]]  # (id, title, text, date, voice)
    checks: dict[str, dict[str, Any]]  # communication id -> its principle check


def _issues(goals: list[calc.Scored], ctx: _IssueContext) -> list[dict[str, Any]]:
    """Every issue to act on, worst first within each kind, each with a link to its record."""
    found: list[calc.Issue] = []
    for goal in sorted((g for g in goals if g.tier == "off"), key=lambda g: (g.score, g.id)):
        detail = f"score {goal.score:.2f}, unit {goal.unit_id or '-'}"
        found.append(calc.Issue("off-mission goal", "goal", goal.id, ctx.goal_text[goal.id], detail))
    if goals:  # with no scored goals every theme would read as uncovered, which says nothing
        for theme in calc.uncovered_themes(goals, ctx.themes):
            found.append(
                calc.Issue("uncovered theme", "theme", theme, theme, "no on-mission goal serves this theme")
            )
    for area, person in calc.single_points_of_failure(ctx.skills).items():
        unit, name = ctx.people.get(person, (None, person))
        if ctx.filters.unit and unit not in ctx.in_scope:
            continue
        found.append(
            calc.Issue(
                "knowledge single point of failure",
                "knowledge_area",
                area,
                ctx.areas.get(area, area),
                f"only {name} holds it",
            )
        )
    if not ctx.filters.unit:  # communications belong to the organisation, not to a unit
        for cid, title, text, day, _ in ctx.comms:
            verdict = ctx.checks.get(cid)
            if verdict is None or verdict["tier"] != "off" or not ctx.filters.dated(day):
                continue
            found.append(
                calc.Issue(
                    "brand contradiction",
                    "communication",
                    cid,
                    title or text[:80],
                    f"goes against: {verdict['theme']}",
                )
            )
    return [
        {
            "kind": i.kind,
            "record_kind": i.record_kind,
            "record_id": i.record_id,
            "title": i.title,
            "detail": i.detail,
            "href": _ISSUE_LINKS[i.record_kind].format(i.record_id),
        }
        for i in found
    ]


def top_issues(issues: list[dict[str, Any]], per_kind: int) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The first `per_kind` issues of each kind (they come worst first), and how many each kind has."""
    shown: list[dict[str, Any]] = []
    totals: dict[str, int] = {}
    for issue in issues:
        totals[issue["kind"]] = totals.get(issue["kind"], 0) + 1
        if totals[issue["kind"]] <= per_kind:
            shown.append(issue)
    return shown, totals


# ---------------------------------------------------------------------------- filling verdicts


def missing_verdicts(repo: Repository, org_id: str) -> dict[str, int]:
    """How many goals and knowledge areas lack a verdict for the current mission version, and how
    many own-voice communications have not been checked against the principles."""
    mission = repo.mission(org_id)
    if mission is None:
        return {"goals": 0, "knowledge_areas": 0, "communications": 0}
    version = mission["version"]
    out = {}
    for kind, table in (("goal", "goals"), ("knowledge_area", "knowledge_areas")):
        current = {k for k, v in _latest(repo, org_id, kind).items() if v["mission_version"] == version}
        out[table] = len(repo.keys(table, org_id) - current)
    checked = {k for k, v in _latest(repo, org_id, BRAND_KIND).items() if v["mission_version"] == version}
    own = {
        cid for cid, voice in repo.columns("communications", org_id, ("id", "voice")) if voice != "external"
    }
    out["communications"] = len(own - checked)
    return out


def refresh_verdicts(repo: Repository, org_id: str, aligner: Aligner) -> dict[str, int]:
    """Score goals and knowledge areas without a current verdict and check unchecked communications;
    returns how many verdicts were stored per kind. Nothing to do without a mission."""
    mission = repo.mission(org_id)
    stored = {"goals": 0, "knowledge_areas": 0, "communications": 0}
    if mission is None:
        return stored
    from hoshin.service.corridor import _on_store

    aligner = _on_store(repo, aligner)
    model = current_model(repo, org_id, aligner)
    version = model.version
    for kind, table, field_ in (
        ("goal", "goals", "text"),
        ("knowledge_area", "knowledge_areas", "description"),
    ):
        rows = repo.rows(table, org_id)
        current = {k for k, v in _latest(repo, org_id, kind).items() if v["mission_version"] == version}
        wanted = [r for r in rows if r["id"] not in current]
        if not wanted:
            continue
        # The whole kind is scored as one batch (the engine judges a text partly against its batch).
        texts = [_text(r, field_) for r in rows]
        verdicts = dict(zip((r["id"] for r in rows), aligner.score(model, texts), strict=True))
        stored[table] = repo.save_verdicts(
            org_id,
            kind,
            [(r["id"], verdicts[r["id"]].as_dict()) for r in wanted],
            model_id=aligner.embedder.model_id,
            mission_version=version,
        )
    stored["communications"] = _check_brand(repo, org_id, mission, aligner)
    return stored


def _text(row: dict[str, Any], field_: str) -> str:
    # A knowledge area is judged by its name and description together: names alone are terse.
    if field_ == "description":
        return " ".join(p for p in (row.get("name"), row.get("description")) if p)
    return str(row[field_])


def _check_brand(repo: Repository, org_id: str, mission: dict[str, Any], aligner: Aligner) -> int:
    from hoshin.service.texts import check_principles

    version = mission["version"]
    principles = [
        {"id": str(p.get("id") or n), "text": p["text"]}
        for n, p in enumerate(mission.get("principles") or [], start=1)
        if isinstance(p, dict) and isinstance(p.get("text"), str) and p["text"].strip()
    ]
    checked = {k for k, v in _latest(repo, org_id, BRAND_KIND).items() if v["mission_version"] == version}
    wanted = [
        {"id": c["id"], "text": c["text"]}
        for c in repo.rows("communications", org_id)
        if c.get("voice") != "external" and c["id"] not in checked
    ]
    if not wanted:
        return 0
    text_of = {p["id"]: p["text"] for p in principles}
    against: dict[str, dict[str, Any]] = {}
    if principles:
        for result in check_principles(mission["text"], principles, wanted, aligner.embedder):
            if result["verdict"] == "contradicts" and result["id"] not in against:
                against[result["id"]] = result
    items = []
    for comm in wanted:
        hit = against.get(comm["id"])
        if hit is None:
            items.append(
                (comm["id"], {"score": 1.0, "tier": "core", "theme": None, "why": "contradicts no principle"})
            )
        else:
            principle = text_of[hit["principle"]]
            items.append(
                (comm["id"], {"score": 0.0, "tier": "off", "theme": principle, "why": hit.get("why")})
            )
    return repo.save_verdicts(
        org_id, BRAND_KIND, items, model_id=aligner.embedder.model_id, mission_version=version
    )


def load_demo_records(repo: Repository, org_id: str, actor: str, aligner: Aligner) -> dict[str, int]:
    """Copy the demo organisation's records (not its users) into the empty organisation `org_id`,
    then score them; returns records created per kind. ConflictError unless the organisation is empty."""
    from hoshin.errors import ConflictError
    from hoshin.service.corridor import score_new_ideas
    from hoshin.service.demo import demo_path
    from hoshin.service.importing import import_batches
    from hoshin.service.records import KINDS, Batch

    if any(repo.count(kind, org_id) for kind in ("units", "goals", "ideas", "people")) or repo.mission(
        org_id
    ):
        raise ConflictError("the organisation already holds records; the demo loads only into an empty one")
    path = demo_path()
    data = json.loads(path.read_text(encoding="utf-8"))
    batches = []
    for kind in KINDS:
        items = data.get(kind)
        if items is None or kind == "users":
            continue
        items = [items] if isinstance(items, dict) else items
        batches.append(Batch(kind, f"{path.name} [{kind}]", list(enumerate(items, start=1))))
    with repo.transaction():
        results = import_batches(repo, org_id, batches, actor, action="demo", detail={"file": path.name})
    score_new_ideas(repo, org_id, [i["id"] for i in data.get("ideas", [])], aligner)
    refresh_verdicts(repo, org_id, aligner)
    return {r.kind: r.created for r in results}


# ---------------------------------------------------------------------------- tables


def table(dashboard: dict[str, Any], name: str) -> tuple[list[str], list[list[Any]]]:
    """The data behind one chart or list as (columns, rows), for the page's data tables and CSV."""
    if name == "units":
        return ["unit", "name", "alignment score", "goals and ideas scored", "trend"], [
            [u["id"], u["name"], _fmt(u["score"]), u["items"], _fmt(u["trend"])] for u in dashboard["units"]
        ]
    if name == "heatmap":
        rows = []
        for row in dashboard["heatmap"]["rows"]:
            for theme, cell in zip(dashboard["heatmap"]["themes"], row["cells"], strict=True):
                rows.append(
                    [row["unit_id"], row["name"], theme, cell["goals"], cell["ideas"], cell["knowledge"]]
                )
        return ["unit", "name", "theme", "goals", "ideas", "people with knowledge"], rows
    if name == "corridor":
        return ["month", "core", "adjacent", "off"], [list(r) for r in dashboard["corridor"]]
    if name == "issues":
        return ["kind", "record", "title", "detail"], [
            [i["kind"], i["record_id"], i["title"], i["detail"]] for i in dashboard["issues"]
        ]
    raise InputError(f"unknown table {name!r}; use one of: {', '.join(TABLES)}")


def table_csv(dashboard: dict[str, Any], name: str) -> str:
    from hoshin.io.tables import write_csv

    columns, rows = table(dashboard, name)
    out = io.StringIO()
    write_csv(columns, rows, out)  # unit names and issue titles are users' texts: made safe there
    return out.getvalue()


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def unit_choices(repo: Repository, org_id: str) -> Sequence[tuple[str, str]]:
    """(id, name) of every unit, for a unit picker."""
    return [(u["id"], u["name"]) for u in repo.rows("units", org_id)]
