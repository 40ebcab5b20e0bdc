"""The goal cascade in the stateful app: progress roll-up, checks over stored goals, parent
suggestions, and the view models of the manager and strategist pages.

The checks themselves live in hoshin.service.cascade (the batch `cascade check`); here they run over
the organisation's stored goals, with the current mission version and its corridor. Each run also
stores one verdict per goal (record kind "goal"), which the strategy map and the coverage heatmap
read. Check results are kept in memory per organisation, keyed by a fingerprint of the goals and the
mission version, so page views do not re-run the checks while nothing has changed.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from hoshin.domain.goal_progress import Progress, metric_progress, roll_up
from hoshin.errors import InputError, NotFoundError, PermissionDenied, RowError
from hoshin.service.auth import Principal, subtree
from hoshin.service.batch import link_goals
from hoshin.service.cascade import Mentions, check_goals_against
from hoshin.service.missions import current_model
from hoshin.service.theme_lanes import with_theme_lanes
from hoshin.service.visibility import EVERYTHING, Sight

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = [
    "CascadeReport",
    "goal_progress",
    "goal_tree",
    "manager_unit",
    "manager_view",
    "run_checks",
    "strategy_view",
    "suggest_parents",
    "goal_checkins",
    "goal_units",
]

MAX_LEVEL = 3
MAX_ALONGSIDE = 50
MAX_CONCERNS = 200
_CACHE_SIZE = 16
_cache: OrderedDict[tuple[str, str], CascadeReport] = OrderedDict()
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class CascadeReport:
    """One run of the checks: issues and verdict per goal id, plus the organisation-wide summary."""

    issues: dict[str, list[dict[str, str]]]
    verdicts: dict[str, dict[str, Any]]
    summary: dict[str, Any]
    mission_version: int | None
    # for each goal, the issues of other goals that name it
    mentions: Mentions = field(default_factory=Mentions)

    def as_list(self) -> list[dict[str, Any]]:
        """The batch command's shape: `{id, issues}` per goal, then the `_uncovered` summary."""
        return [{"id": g, "issues": found} for g, found in self.issues.items()] + [self.summary]


# ---------------------------------------------------------------------------- progress
def goal_progress(
    repo: Repository, org_id: str, goals: Sequence[dict[str, Any]] | None = None
) -> dict[str, Progress]:
    """Every goal's progress; the latest check-in's value stands in for the stored `current`.
    `goals` saves reading them again when the caller already holds the organisation's goals."""
    goals = repo.rows("goals", org_id) if goals is None else goals
    latest: dict[str, float] = {}
    for checkin in repo.checkins(org_id):  # ordered by goal, then date: the last one wins
        latest[checkin["goal_id"]] = float(checkin["value"])
    own = {
        g["id"]: metric_progress(g.get("start"), g.get("target"), latest.get(g["id"], g.get("current")))
        for g in goals
    }
    return roll_up(own, {g["id"]: g.get("parent_ids") or [] for g in goals})


def goal_tree(repo: Repository, org_id: str, unit_ids: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """Goals as nested nodes `{goal fields..., progress, progress_source, children: [...]}` under the
    top goals. A goal with several parents appears under each. With `unit_ids`, only branches that
    hold a goal of those units are kept (their ancestors stay, for context)."""
    goals = {g["id"]: g for g in repo.rows("goals", org_id)}
    progress = goal_progress(repo, org_id)
    children: dict[str, list[str]] = {g: [] for g in goals}
    roots = []
    for g in goals.values():
        parents = [p for p in g.get("parent_ids") or [] if p in goals]
        for p in parents:
            children[p].append(g["id"])
        if not parents:
            roots.append(g["id"])

    def node(goal_id: str, seen: frozenset[str]) -> dict[str, Any] | None:
        kids = [
            n for c in sorted(children[goal_id]) if c not in seen and (n := node(c, seen | {c})) is not None
        ]
        goal = goals[goal_id]
        mine = unit_ids is None or goal.get("unit_id") in unit_ids
        if not mine and not kids:
            return None
        p = progress[goal_id]
        return {
            **goal,
            "progress": None if p.value is None else round(p.value, 4),
            "progress_source": p.source,
            "mine": mine,
            "children": kids,
        }

    return [n for r in sorted(roots, key=lambda i: (goals[i]["level"], i)) if (n := node(r, frozenset({r})))]


# ---------------------------------------------------------------------------- checks
def _rows_for_checks(goals: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "id": g["id"],
            "text": g["text"],
            "level": str(g["level"]),
            "parent_id": ";".join(g.get("parent_ids") or []),
            "unit": g.get("unit_id") or "",
        }
        for g in goals
    ]


def _fingerprint(goals: Sequence[dict[str, Any]], mission: dict[str, Any], model_id: str) -> str:
    """A digest of everything the checks read: each goal's id, text, level, parents and unit (in
    order), the mission version and the model. Made straight from the goals, so a page view whose
    checks are cached builds no check rows at all."""
    digest = hashlib.sha256(f"{mission.get('version')}\x1f{model_id}".encode())
    for g in goals:  # the fields in a fixed order, separated by characters no text holds
        fields = (
            g["id"],
            g["text"],
            str(g["level"]),
            ";".join(g.get("parent_ids") or []),
            g.get("unit_id") or "",
        )
        digest.update("\x1f".join(fields).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()


def run_checks(
    repo: Repository,
    org_id: str,
    aligner: Aligner,
    refresh: bool = False,
    goals: Sequence[dict[str, Any]] | None = None,
) -> CascadeReport:
    """The cascade checks over all stored goals of the organisation, against the current mission
    (`goals`: the organisation's goals when the caller has just read them).

    Stores one verdict per goal when the goals or the mission changed since the last run.
    NotFoundError without a mission; InputError when the stored tree breaks the level rule (a
    parent that does not sit above its goal), naming the goal.
    """
    mission = repo.mission(org_id)
    if mission is None:
        raise NotFoundError(f"organisation {org_id!r} has no mission yet; save one before checking goals")
    goals = list(repo.rows("goals", org_id) if goals is None else goals)
    key = (org_id, _fingerprint(goals, mission, aligner.embedder.model_id))
    with _cache_lock:
        if not refresh and key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    rows = _rows_for_checks(goals)
    model = current_model(repo, org_id, aligner)
    issues: dict[str, list[dict[str, str]]] = {}
    summary: dict[str, Any] = {
        "id": "_uncovered",
        "uncovered_themes": [],
        "weak_units": [],
        "unit_scores": {},
    }
    verdicts: dict[str, dict[str, Any]] = {}
    mentions = Mentions()
    if goals:
        # The checks read the mission as the batch command does (its text and corridor); the stored
        # verdicts use the stored themes. Usually the two models are the same, and one scoring does.
        checked = aligner.mission_model(model.text, model.focus_areas, model.exclusions)
        checked = replace(checked, removed_parts=model.removed_parts)
        try:
            run = check_goals_against(aligner, checked, rows, source="stored goals")
        except RowError as exc:
            goal = rows[(exc.row or 2) - 2]["id"]
            raise InputError(f"goal {goal!r}: {exc.problem}" + (f"; {exc.fix}" if exc.fix else "")) from None
        summary = run.results[-1]
        issues = {row["id"]: row["issues"] for row in run.results[:-1]}
        mentions = run.mentions
        scored = run.verdicts
        if replace(checked, version=model.version) != model:
            texts = [g["text"] for g in goals]
            scored = with_theme_lanes(aligner, texts, aligner.score_batch(model, texts))
        verdicts = {g["id"]: v.as_dict() for g, v in zip(goals, scored, strict=True)}
        _store_changed_verdicts(repo, org_id, verdicts, aligner.embedder.model_id, mission.get("version"))
    report = CascadeReport(issues, verdicts, summary, mission.get("version"), mentions)
    with _cache_lock:
        _cache[key] = report
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return report


def _store_changed_verdicts(
    repo: Repository, org_id: str, verdicts: dict[str, dict[str, Any]], model_id: str, version: int | None
) -> int:
    """Store the verdicts that differ from each goal's latest stored one (score, tier, theme, why,
    model or mission version): editing one goal must not copy thousands of unchanged verdicts."""
    latest = {v["record_id"]: v for v in repo.verdicts(org_id, "goal")}

    def same(goal_id: str, verdict: dict[str, Any]) -> bool:
        old = latest.get(goal_id)
        return (
            old is not None
            and old.get("model_id") == model_id
            and old.get("mission_version") == version
            and abs(float(old["score"]) - float(verdict["score"])) < 1e-4
            and all(old.get(k) == verdict.get(k) for k in ("tier", "theme", "why"))
        )

    changed = [(g, v) for g, v in verdicts.items() if not same(g, v)]
    return repo.save_verdicts(org_id, "goal", changed, model_id=model_id, mission_version=version)


# ---------------------------------------------------------------------------- parent suggestions
def _below(goals: dict[str, dict[str, Any]], *goal_ids: str) -> set[str]:
    """The goals `goal_ids` and every goal under them (none of them may become a parent of the
    first: a cycle; their progress rolls up from nothing else)."""
    children: dict[str, list[str]] = {}
    for g in goals.values():
        for p in g.get("parent_ids") or []:
            children.setdefault(p, []).append(g["id"])
    found, todo = set(goal_ids), list(goal_ids)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def suggest_parents(
    repo: Repository,
    org_id: str,
    aligner: Aligner,
    text: str,
    level: int,
    unit_id: str | None = None,
    goal_id: str | None = None,
    limit: int = 5,
    sight: Sight = EVERYTHING,
) -> list[dict[str, Any]]:
    """Stored goals one level up that a goal with this text could serve, best first:
    `{id, text, unit_id, level, score, why}`. Empty for a level-1 goal (it has no parents).

    With `goal_id` (editing a stored goal) the goal and its sub-goals are never offered, since
    linking to them would make a cycle. Candidates of the goal's own unit say so in `why`. Only
    goals in the reader's `sight` are offered, with the objectives above them.
    """
    text = (text or "").strip()
    if not text:
        raise InputError("write the goal's text first: suggestions are found by what it says")
    if not 1 <= level <= MAX_LEVEL:
        raise InputError(f"level {level} is not between 1 and {MAX_LEVEL}")
    if not 1 <= limit <= 50:
        raise InputError("limit must be between 1 and 50")
    if level == 1:
        return []
    goals = {g["id"]: g for g in repo.rows("goals", org_id)}
    banned = _below(goals, goal_id) if goal_id and goal_id in goals else set()
    shown = sight.in_context(goals)
    candidates = [
        g for g in goals.values() if g["level"] == level - 1 and g["id"] not in banned and g["id"] in shown
    ]
    if not candidates:
        return []
    new_id = "\x00new"  # cannot clash with a stored id (ids are printable)
    rows = [{"id": c["id"], "text": c["text"], "level": "1", "parent_id": ""} for c in candidates]
    rows.append({"id": new_id, "text": text, "level": "2", "parent_id": ""})
    found = link_goals(aligner, rows, source="suggestions")
    ranked = next(r["suggestions"] for r in found if r["id"] == new_id)
    out = []
    for s in ranked[:limit]:
        parent = goals[s["id"]]
        why = s["why"]
        if unit_id and parent.get("unit_id") == unit_id:
            why += "; a goal of the same unit"
        out.append(
            {
                "id": parent["id"],
                "text": parent["text"],
                "unit_id": parent.get("unit_id"),
                "level": parent["level"],
                "score": s["score"],
                "why": why,
            }
        )
    return out


# ---------------------------------------------------------------------------- manager view
def manager_unit(user: Principal, repo: Repository, requested: str | None) -> str:
    """The unit whose view `user` may see: a unit manager only their own unit or one below it;
    strategists, admins, contributors and viewers any unit (their own, else the top unit)."""
    units = {u["id"]: u for u in repo.rows("units", user.organisation_id)}
    if requested:
        if requested not in units:
            raise NotFoundError(f"no unit {requested!r}")
        if user.role == "unit_manager" and requested not in user.managed_units:
            raise PermissionDenied(
                "a unit manager sees the view of their own unit only "
                f"(you manage {user.unit_id or 'no unit'})"
            )
        return requested
    if user.unit_id and user.unit_id in units:
        return user.unit_id
    if user.role == "unit_manager":
        raise PermissionDenied("your user has no unit; ask an admin to set one")
    top: list[str] = sorted(u["id"] for u in units.values() if not u.get("parent_id"))
    if not top:
        raise NotFoundError("the organisation has no units yet")
    return top[0]


def _ancestors(goals: dict[str, dict[str, Any]], goal_id: str) -> list[str]:
    found: list[str] = []
    todo = list(goals[goal_id].get("parent_ids") or [])
    while todo:
        p = todo.pop(0)
        if p in goals and p not in found:
            found.append(p)
            todo.extend(goals[p].get("parent_ids") or [])
    return found


# What the checks, the progress roll-up and the manager view read of every goal.
_LIGHT_COLUMNS = ("id", "text", "level", "unit_id", "start", "target", "current")


def _light_goals(repo: Repository, org_id: str) -> list[dict[str, Any]]:
    """Every goal with only `_LIGHT_COLUMNS` and its parent_ids, sorted by id like `rows`: for
    10,000 goals a tenth of the time of building every record in full."""
    parents = repo.goal_parent_ids(org_id)
    return [
        {**dict(zip(_LIGHT_COLUMNS, row, strict=True)), "parent_ids": parents.get(row[0], [])}
        for row in repo.columns("goals", org_id, _LIGHT_COLUMNS)
    ]


def manager_view(repo: Repository, org_id: str, unit_id: str, aligner: Aligner) -> dict[str, Any]:
    """What a unit manager needs on one page: the unit's goals (its sub-units included) with their
    progress, verdict, issues and the company objectives they serve; goals of sibling units on the
    same themes; and every issue that concerns the unit (its own, and other goals' issues that name
    one of its goals)."""
    units = {u["id"]: u for u in repo.rows("units", org_id)}
    if unit_id not in units:
        raise NotFoundError(f"no unit {unit_id!r}")
    pairs = [(u, row.get("parent_id")) for u, row in units.items()]
    scope = subtree(unit_id, pairs)
    stored = _light_goals(repo, org_id)  # read once: the org may hold thousands of goals
    goals = {g["id"]: g for g in stored}
    report = run_checks(repo, org_id, aligner, goals=stored)
    mine_ids = [g["id"] for g in stored if g.get("unit_id") in scope]
    # A goal's progress rolls up from the goals below it only: those are all the roll-up needs.
    progress = goal_progress(repo, org_id, [goals[g] for g in sorted(_below(goals, *mine_ids))])
    # Only the unit's own goals are shown with every field: read just those in full.
    full = repo.by_ids("goals", org_id, mine_ids)
    mine = sorted(full.values(), key=lambda g: (g["level"], g["id"]))
    rows = []
    for g in mine:
        verdict = report.verdicts.get(g["id"], {})
        p = progress[g["id"]]
        rows.append(
            {
                **g,
                "progress": None if p.value is None else round(p.value, 4),
                "progress_source": p.source,
                "verdict": verdict,
                "serves": [
                    {"id": a, "text": goals[a]["text"]}
                    for a in _ancestors(goals, g["id"])
                    if goals[a]["level"] == 1
                ],
                "issues": report.issues.get(g["id"], []),
            }
        )
    themes = {r["verdict"].get("theme") for r in rows if r["verdict"].get("theme")}
    parent = units[unit_id].get("parent_id")
    siblings = {u for u, row in units.items() if parent and row.get("parent_id") == parent and u != unit_id}
    in_sibling = set().union(*(subtree(s, pairs) for s in siblings))
    alongside = []
    for g in sorted(goals.values(), key=lambda g: g["id"]):
        theme = report.verdicts.get(g["id"], {}).get("theme")
        if g.get("unit_id") in in_sibling and theme in themes:
            alongside.append({"id": g["id"], "text": g["text"], "unit_id": g.get("unit_id"), "theme": theme})
    concerns, concerns_total = _concerns(rows, report, {g["id"] for g in mine})
    return {
        "unit": units[unit_id],
        "units": sorted(units),
        "goals": rows,
        "themes": sorted(themes),
        "siblings": sorted(siblings),
        # Hundreds of sibling goals would bury the page; the first ones and the count say enough.
        "alongside": alongside[:MAX_ALONGSIDE],
        "alongside_total": len(alongside),
        # Likewise the issues: a unit whose goals each echo hundreds of others gets the first ones.
        "concerns": concerns,
        "concerns_total": concerns_total,
        "summary": report.summary,
    }


def _concerns(
    rows: list[dict[str, Any]], report: CascadeReport, mine: set[str]
) -> tuple[list[dict[str, Any]], int]:
    """The issues that concern a unit, the first MAX_CONCERNS of them, and how many there are: its
    own goals' issues, then each issue of another goal that names one of its goals (once)."""
    shown: list[dict[str, Any]] = []
    total = 0
    for r in rows:
        for issue in r["issues"]:
            total += 1
            if len(shown) < MAX_CONCERNS:
                shown.append({"goal_id": r["id"], **issue, "yours": True})
    seen: set[tuple[str, str, str]] = set()
    for mine_id in sorted(mine):
        for other, issue in report.mentions.of(mine_id):
            key = (other, issue["kind"], issue["detail"])
            if other not in mine and key not in seen:  # one issue may name two of our goals
                seen.add(key)
                total += 1
                if len(shown) < MAX_CONCERNS:
                    shown.append({"goal_id": other, **issue, "yours": False})
    return shown, total


# ---------------------------------------------------------------------------- strategy view
def strategy_view(
    repo: Repository, org_id: str, aligner: Aligner, sight: Sight = EVERYTHING
) -> dict[str, Any]:
    """The strategy map (mission -> themes -> objectives -> unit goals) and the units x themes
    coverage: how many of each unit's goals serve each theme (tier core or adjacent). Over the
    goals in the reader's `sight` and the objectives above them."""
    mission = repo.mission(org_id)
    if mission is None:
        raise NotFoundError(f"organisation {org_id!r} has no mission yet")
    report = run_checks(repo, org_id, aligner)
    goals = {g["id"]: g for g in repo.rows("goals", org_id)}
    visible = sight.in_context(goals)
    goals = {g: goal for g, goal in goals.items() if g in visible}
    progress = goal_progress(repo, org_id)
    theme_names = [t["name"] for t in mission.get("themes") or [] if isinstance(t, dict) and t.get("name")]
    model = current_model(repo, org_id, aligner)
    for t in model.themes:
        if t.name not in theme_names:
            theme_names.append(t.name)
    off = "(off mission)"
    other = "(mission as a whole)"

    def theme_of(goal_id: str) -> str:
        verdict = report.verdicts.get(goal_id, {})
        if verdict.get("tier") == "off":
            return off
        theme = verdict.get("theme")
        return theme if isinstance(theme, str) and theme in theme_names else other

    def child_nodes(goal_id: str) -> list[dict[str, Any]]:
        return [
            _map_node(goals[c], progress, report)
            for c in sorted(goals)
            if goal_id in (goals[c].get("parent_ids") or [])
        ]

    lanes: dict[str, list[dict[str, Any]]] = {}
    for g in sorted(goals.values(), key=lambda g: g["id"]):
        if g["level"] == 1:
            node = _map_node(g, progress, report)
            node["children"] = child_nodes(g["id"])
            lanes.setdefault(theme_of(g["id"]), []).append(node)
    columns = [*theme_names, other, off]
    themes = [
        {"name": name, "objectives": lanes.get(name, [])}
        for name in columns
        if name in theme_names or lanes.get(name)
    ]
    unit_ids = sorted({g.get("unit_id") or "(no unit)" for g in goals.values()})
    counts = {u: dict.fromkeys(columns, 0) for u in unit_ids}
    for g in goals.values():
        counts[g.get("unit_id") or "(no unit)"][theme_of(g["id"])] += 1
    shown = [c for c in columns if c in theme_names or any(counts[u][c] for u in unit_ids)]
    return {
        "mission": {"text": mission["text"], "version": mission.get("version")},
        "themes": themes,
        "coverage": {
            "units": unit_ids,
            "themes": shown,
            "counts": [[counts[u][c] for c in shown] for u in unit_ids],
            "max": max((counts[u][c] for u in unit_ids for c in shown), default=0),
        },
        "uncovered": report.summary.get("uncovered_themes", []),
    }


def _map_node(goal: dict[str, Any], progress: dict[str, Progress], report: CascadeReport) -> dict[str, Any]:
    p = progress[goal["id"]]
    return {
        "id": goal["id"],
        "text": goal["text"],
        "unit_id": goal.get("unit_id"),
        "level": goal["level"],
        "progress": None if p.value is None else round(p.value, 4),
        "tier": report.verdicts.get(goal["id"], {}).get("tier"),
        "issues": len(report.issues.get(goal["id"], [])),
    }


def goal_checkins(repo: Repository, org_id: str, user: Principal, goal_id: str) -> list[dict[str, Any]]:
    """A goal's check-ins, oldest first; a goal outside the user's sight answers as one that does
    not exist (NotFoundError)."""
    from hoshin.service.visibility import sight_of

    sight_of(user).get(repo, org_id, "goals", goal_id)
    return repo.checkins(org_id, goal_id)


def goal_units(repo: Repository, org_id: str) -> dict[str, str | None]:
    """Each goal's unit: goal id -> unit id (None for an organisation-wide goal)."""
    return {g["id"]: g.get("unit_id") for g in repo.rows("goals", org_id)}
