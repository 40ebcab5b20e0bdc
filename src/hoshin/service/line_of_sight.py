"""Line of sight: how one person's (or one unit's) work leads up to the company objectives and the
mission.

For a person: their goals with the chain of parent goals above each, up to the level-1 company
objectives; their unit's place in the unit tree; the mission themes their skills serve; their ideas
that were accepted, and why. A unit gets the same over the unit and the units below it.

Only the goals a page shows are read: the person's (or unit's) own goals, then their parents level
by level until the top, by key. A page therefore stays fast in an organisation with tens of thousands
of goals (bench/bench_line_of_sight.py), where reading every goal would not.

Both go through the reader's sight (service/visibility.py): a unit manager asking for a person or
unit of another unit is answered as for one that does not exist, and sees only the goals of their
units with the objectives above them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from hoshin.errors import NotFoundError
from hoshin.service.visibility import EVERYTHING, Sight

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = ["person_view", "unit_view"]

_theme_cache: dict[tuple[str, int, str, tuple[tuple[str, str], ...]], dict[str, dict[str, Any]]] = {}
_theme_lock = threading.Lock()


def _with_ancestors(
    repo: Repository, org_id: str, goals: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """`goals` plus every goal above them, read level by level (a few small queries)."""
    known = dict(goals)
    frontier = {p for g in goals.values() for p in g["parent_ids"]} - set(known)
    while frontier:
        parents = repo.goals_by_ids(org_id, frontier)
        known.update(parents)
        frontier = {p for g in parents.values() for p in g["parent_ids"]} - set(known)
    return known


def _chain_up(goal_id: str, goals: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The goals above `goal_id`, nearest first (first parent at each step), cycles cut."""
    chain: list[dict[str, Any]] = []
    seen = {goal_id}
    current = goals.get(goal_id)
    while current is not None:
        parents = [p for p in current.get("parent_ids") or [] if p in goals and p not in seen]
        if not parents:
            break
        parent = goals[parents[0]]
        seen.add(parent["id"])
        chain.append(parent)
        current = parent
    return chain


def _goal_lines(own: Iterable[dict[str, Any]], goals: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each goal with the chain of goals above it and whether that chain reaches a company objective."""
    lines = []
    for goal in sorted(own, key=lambda g: (g.get("level") or 0, g["id"])):
        chain = _chain_up(goal["id"], goals)
        top = chain[-1] if chain else goal
        lines.append(
            {
                "goal": _goal_brief(goal),
                "chain": [_goal_brief(g) for g in chain],
                "reaches_objective": (top.get("level") or 0) == 1,
            }
        )
    return lines


def _goal_brief(goal: dict[str, Any]) -> dict[str, Any]:
    return {k: goal.get(k) for k in ("id", "text", "level", "unit_id", "owner_id")}


def _unit_chain(repo: Repository, org_id: str, unit_id: str | None) -> list[dict[str, str]]:
    if not unit_id:
        return []
    names = {u["id"]: u["name"] for u in repo.rows("units", org_id)}
    return [{"id": u, "name": names.get(u, u)} for u in repo.unit_path(org_id, unit_id)]


def _skill_themes(
    repo: Repository, org_id: str, skills: list[dict[str, Any]], aligner: Aligner | None
) -> list[dict[str, Any]]:
    """Each skill with the mission theme its knowledge area serves (None when there is no mission)."""
    areas = {a["id"]: a for a in repo.rows("knowledge_areas", org_id)}
    mission = repo.mission(org_id)
    themes: dict[str, dict[str, Any]] = {}
    wanted = sorted({s["area_id"] for s in skills if s["area_id"] in areas})
    if mission is not None and aligner is not None and wanted:
        texts = tuple((a, f"{areas[a]['name']}. {areas[a].get('description') or ''}") for a in wanted)
        key = (org_id, int(mission["version"]), aligner.embedder.model_id, texts)
        with _theme_lock:
            cached = _theme_cache.get(key)
        if cached is None:
            from hoshin.service.missions import current_model

            model = current_model(repo, org_id, aligner)
            verdicts = aligner.score(model, [t for _, t in texts], use_feedback=False)
            cached = {a: v.as_dict() for (a, _), v in zip(texts, verdicts, strict=True)}
            with _theme_lock:
                _theme_cache[key] = cached
                while len(_theme_cache) > 256:
                    _theme_cache.pop(next(iter(_theme_cache)))
        themes = cached
    out = []
    for skill in sorted(skills, key=lambda s: (-(s.get("level") or 0), s["area_id"])):
        area = areas.get(skill["area_id"], {})
        verdict = themes.get(skill["area_id"], {})
        out.append(
            {
                "area_id": skill["area_id"],
                "area": area.get("name", skill["area_id"]),
                "level": skill.get("level"),
                "person_id": skill.get("person_id"),
                "theme": verdict.get("theme"),
                "tier": verdict.get("tier"),
            }
        )
    return out


def _theme_summary(skills: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_theme: dict[str, list[str]] = {}
    for s in skills:
        if s["theme"] and s["tier"] != "off":
            by_theme.setdefault(s["theme"], []).append(s["area"])
    return [{"theme": t, "areas": sorted(set(a))} for t, a in sorted(by_theme.items())]


def _accepted_ideas(repo: Repository, org_id: str, ideas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    accepted = [i for i in ideas if i.get("status") == "accepted"]
    if not accepted:
        return []
    verdicts = {v["record_id"]: v for v in repo.verdicts(org_id, "idea")}
    out = []
    for idea in sorted(accepted, key=lambda i: i["id"]):
        verdict = verdicts.get(idea["id"]) or {}
        why = idea.get("override_reason") or verdict.get("why") or "accepted without a recorded reason"
        out.append(
            {
                "id": idea["id"],
                "text": idea["text"],
                "theme": verdict.get("theme"),
                "tier": idea.get("override_tier") or verdict.get("tier"),
                "why": why,
                "reviewer": idea.get("reviewer"),
            }
        )
    return out


def person_view(
    repo: Repository, org_id: str, person_id: str, aligner: Aligner | None, sight: Sight = EVERYTHING
) -> dict[str, Any]:
    """The line of sight of one person: `{person, units, mission, goals: [{goal, chain,
    reaches_objective}], skills, themes, accepted_ideas, ideas_total}`.
    NotFoundError for an unknown person, or one outside `sight`."""
    person = sight.get(repo, org_id, "people", person_id)
    owned = repo.goals_of(org_id, owner=person_id)
    own_goals = {g: goal for g, goal in owned.items() if sight.sees("goals", goal)}
    goals = _with_ancestors(repo, org_id, own_goals)
    own = list(own_goals.values())
    skills = repo.skills_of(org_id, [person_id])
    ideas = [i for i in repo.rows("ideas", org_id) if i.get("author_id") == person_id]
    return {
        "person": person,
        "units": _unit_chain(repo, org_id, person.get("unit_id")),
        **_sight(repo, org_id, own, goals, skills, ideas, aligner),
    }


def unit_view(
    repo: Repository, org_id: str, unit_id: str, aligner: Aligner | None, sight: Sight = EVERYTHING
) -> dict[str, Any]:
    """The line of sight of a unit and the units below it: the same keys as `person_view` with
    `unit`, `subunits` and `people` instead of `person`. NotFoundError for an unknown unit, or one
    outside `sight` (in the same words)."""
    try:
        unit = sight.get(repo, org_id, "units", unit_id)
    except NotFoundError:
        raise NotFoundError(f"no unit {unit_id!r}; see the units on the goals page") from None
    scope = set(repo.unit_subtree(org_id, unit_id))
    own_goals = repo.goals_of(org_id, units=scope)
    goals = _with_ancestors(repo, org_id, own_goals)
    own = list(own_goals.values())
    people = [p for p in repo.rows("people", org_id) if p.get("unit_id") in scope]
    members = {p["id"] for p in people}
    skills = repo.skills_of(org_id, members)
    ideas = [i for i in repo.rows("ideas", org_id) if i.get("unit_id") in scope]
    names = {u["id"]: u["name"] for u in repo.rows("units", org_id)}
    return {
        "unit": unit,
        "units": _unit_chain(repo, org_id, unit_id),
        "subunits": [{"id": u, "name": names.get(u, u)} for u in sorted(scope - {unit_id})],
        "people": [{"id": p["id"], "name": p["name"], "title": p.get("title")} for p in people],
        **_sight(repo, org_id, own, goals, skills, ideas, aligner),
    }


def _sight(
    repo: Repository,
    org_id: str,
    own: list[dict[str, Any]],
    goals: dict[str, dict[str, Any]],
    skills: list[dict[str, Any]],
    ideas: list[dict[str, Any]],
    aligner: Aligner | None,
) -> dict[str, Any]:
    """What a person's and a unit's line of sight share: the mission, the goals leading up to it,
    the skills and their themes, the accepted ideas."""
    skill_rows = _skill_themes(repo, org_id, skills, aligner)
    mission = repo.mission(org_id)
    return {
        "mission": mission["text"] if mission else None,
        "goals": _goal_lines(own, goals),
        "skills": skill_rows,
        "themes": _theme_summary(skill_rows),
        "accepted_ideas": _accepted_ideas(repo, org_id, ideas),
        "ideas_total": len(ideas),
    }
