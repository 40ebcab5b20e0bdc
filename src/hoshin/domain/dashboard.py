"""The numbers behind the dashboard and the board report, from records and their stored verdicts.

Pure functions over plain values: the service reads the store and hands in `Scored` items (a goal
or an idea with its latest verdict), skills as (person, area) pairs and the mission's theme names;
these functions return the unit scores, the units x themes heatmap, the corridor over time and the
issues to act on. Nothing here embeds text or touches a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "Issue",
    "Scored",
    "UnitScore",
    "alignment",
    "corridor_by_month",
    "heatmap",
    "knowledge_by_unit_theme",
    "single_points_of_failure",
    "trend",
    "uncovered_themes",
    "unit_scores",
]

TIERS = ("core", "adjacent", "off")


@dataclass(frozen=True)
class Scored:
    """A goal or idea with its latest verdict. `month` is "YYYY-MM" when the record is dated."""

    kind: str  # "goal" | "idea"
    id: str
    unit_id: str | None
    score: float
    tier: str
    theme: str | None
    month: str | None = None


@dataclass(frozen=True)
class UnitScore:
    unit_id: str
    score: float | None  # mean verdict score of its goals and ideas; None when it has none
    items: int
    trend: float | None  # change of the monthly score, last month with data minus the one before
    series: tuple[tuple[str, float], ...] = field(default=())


@dataclass(frozen=True)
class Issue:
    kind: str  # off-mission-goal | uncovered-theme | knowledge-spof | brand-contradiction
    record_kind: str
    record_id: str
    title: str
    detail: str


def alignment(items: Iterable[Scored]) -> float | None:
    """Mean score; None for no items (a new unit has no score, not a score of zero)."""
    scores = [i.score for i in items]
    return round(sum(scores) / len(scores), 4) if scores else None


def trend(items: Iterable[Scored]) -> tuple[tuple[tuple[str, float], ...], float | None]:
    """Monthly mean scores of dated items, oldest first, and the change between the last two months."""
    by_month: dict[str, list[float]] = defaultdict(list)
    for item in items:
        if item.month:
            by_month[item.month].append(item.score)
    series = tuple((m, round(sum(s) / len(s), 4)) for m, s in sorted(by_month.items()))
    delta = round(series[-1][1] - series[-2][1], 4) if len(series) >= 2 else None
    return series, delta


def unit_scores(items: Sequence[Scored], unit_ids: Sequence[str]) -> list[UnitScore]:
    """One UnitScore per unit in `unit_ids` order, from the items filed under that unit."""
    grouped: dict[str | None, list[Scored]] = defaultdict(list)
    for item in items:
        grouped[item.unit_id].append(item)
    out = []
    for unit in unit_ids:
        mine = grouped.get(unit, [])
        series, delta = trend(mine)
        out.append(UnitScore(unit, alignment(mine), len(mine), delta, series))
    return out


def heatmap(
    items: Sequence[Scored],
    unit_ids: Sequence[str],
    themes: Sequence[str],
    knowledge: Mapping[tuple[str, str], int] | None = None,
) -> list[list[dict[str, int]]]:
    """cells[u][t] = {goals, ideas, knowledge}: how many on-mission (core or adjacent) goals and
    ideas of unit u serve theme t, and how many of its people hold knowledge on that theme
    (`knowledge` maps (unit, theme) to a head count). Off items serve no theme, so they count nowhere."""
    unit_index = {u: n for n, u in enumerate(unit_ids)}
    theme_index = {t: n for n, t in enumerate(themes)}
    cells = [[{"goals": 0, "ideas": 0, "knowledge": 0} for _ in themes] for _ in unit_ids]
    for item in items:
        if item.tier == "off" or item.unit_id not in unit_index or item.theme not in theme_index:
            continue
        cells[unit_index[item.unit_id]][theme_index[item.theme]][item.kind + "s"] += 1
    for (unit, theme), count in (knowledge or {}).items():
        if unit in unit_index and theme in theme_index:
            cells[unit_index[unit]][theme_index[theme]]["knowledge"] = count
    return cells


def corridor_by_month(ideas: Iterable[Scored]) -> list[tuple[str, int, int, int]]:
    """(month, core, adjacent, off) idea counts per month of arrival, oldest first; undated skipped."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TIERS, 0))
    for idea in ideas:
        if idea.month and idea.tier in TIERS:
            counts[idea.month][idea.tier] += 1
    return [(m, c["core"], c["adjacent"], c["off"]) for m, c in sorted(counts.items())]


def uncovered_themes(goals: Iterable[Scored], themes: Sequence[str]) -> list[str]:
    """Mission themes that no on-mission goal serves, in mission order."""
    served = {g.theme for g in goals if g.tier != "off"}
    return [t for t in themes if t not in served]


def single_points_of_failure(skills: Iterable[tuple[str, str]]) -> dict[str, str]:
    """area id -> the one person who holds it, for areas exactly one person holds."""
    holders: dict[str, set[str]] = defaultdict(set)
    for person, area in skills:
        holders[area].add(person)
    return {area: next(iter(people)) for area, people in sorted(holders.items()) if len(people) == 1}


def knowledge_by_unit_theme(
    skills: Iterable[tuple[str, str]],
    person_unit: Mapping[str, str | None],
    area_theme: Mapping[str, str | None],
) -> dict[tuple[str, str], int]:
    """(unit, theme) -> how many distinct people of the unit hold an area that serves the theme."""
    people: dict[tuple[str, str], set[str]] = defaultdict(set)
    for person, area in skills:
        unit, theme = person_unit.get(person), area_theme.get(area)
        if unit and theme:
            people[(unit, theme)].add(person)
    return {key: len(found) for key, found in people.items()}
