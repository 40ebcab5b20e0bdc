"""Knowledge coverage: who holds which knowledge area how deeply, and where the mission is exposed.

Pure numpy over plain ids and numbers; the service layer loads skills and weights from the store.

Terms used throughout:
- *depth* of an area in a unit: the highest level (1..5) anyone in that unit holds it at, 0 when
  nobody does;
- *coverage* of an area across the organisation: how close it comes to the target of
  `Targets.people` people at `Targets.level` or above (levels above the target count as the target,
  so one expert does not make a second person unnecessary);
- *dependence*: how much of the mission rests on the area, from its confirmed weight, how strongly
  the mission asks for it and how many goals and accepted ideas draw on it;
- *gap*: dependence times what is missing of coverage. Gaps are ranked by that product.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hoshin.domain.evidence_words import quotable_words, quote

__all__ = [
    "Action",
    "Coverage",
    "Gap",
    "Targets",
    "area_text",
    "coverage",
    "dependence",
    "gaps",
    "quoted",
]

MAX_LEVEL = 5


def area_text(area: Mapping[str, Any]) -> str:
    """What an area is embedded and compared as: its name, and its description where it has one."""
    description = area.get("description") or ""
    return f"{area['name']}: {description}" if description else str(area["name"])


def quoted(words: Sequence[str]) -> str:
    """The words a reason may quote (domain/evidence_words.py), quoted: 'a', 'b' ('' when none may
    be: the caller then says the match is one of meaning)."""
    return quote(quotable_words(words))


@dataclass(frozen=True)
class Targets:
    """What "covered" means: this many people at this level or above."""

    people: int = 2
    level: int = 3


@dataclass(frozen=True)
class Coverage:
    """The areas × units matrix and the per-area totals behind it."""

    area_ids: tuple[str, ...]
    unit_ids: tuple[str, ...]
    depth: np.ndarray  # (areas, units) int: highest level held in the unit, 0 for none
    holders_by_unit: np.ndarray  # (areas, units) int: people in the unit holding the area
    holders: np.ndarray  # (areas,) int: people holding the area anywhere
    coverage: np.ndarray  # (areas,) float 0..1 against the targets
    best_level: np.ndarray  # (areas,) int: highest level anyone holds
    sole_holder: tuple[str | None, ...]  # the one person holding an area, where exactly one does


def coverage(
    area_ids: Sequence[str],
    unit_ids: Sequence[str],
    skills: Sequence[tuple[str, str | None, str, int]],
    targets: Targets = Targets(),
) -> Coverage:
    """Coverage from skills given as (person_id, unit_id or None, area_id, level).

    Skills for areas or units not listed are ignored (a person without a unit counts towards the
    organisation-wide totals only). A person holds an area once; a repeated pair keeps its highest level.
    """
    area_index = {a: i for i, a in enumerate(area_ids)}
    unit_index = {u: j for j, u in enumerate(unit_ids)}
    best: dict[tuple[str, int], tuple[int, int]] = {}  # (person, area) -> (level, unit or -1)
    for person, unit, area, level in skills:
        i = area_index.get(area)
        if i is None or level < 1:
            continue
        j = unit_index.get(unit, -1) if unit is not None else -1
        known = best.get((person, i))
        if known is None or level > known[0]:
            best[(person, i)] = (min(int(level), MAX_LEVEL), j)
    n_areas, n_units = len(area_ids), len(unit_ids)
    depth = np.zeros((n_areas, n_units), dtype=np.int64)
    by_unit = np.zeros((n_areas, n_units), dtype=np.int64)
    holders = np.zeros(n_areas, dtype=np.int64)
    credit = np.zeros(n_areas, dtype=np.float64)
    best_level = np.zeros(n_areas, dtype=np.int64)
    sole: list[str | None] = [None] * n_areas
    if best:
        people = [p for p, _ in best]
        areas = np.fromiter((i for _, i in best), dtype=np.int64, count=len(best))
        levels = np.fromiter((v[0] for v in best.values()), dtype=np.int64, count=len(best))
        units = np.fromiter((v[1] for v in best.values()), dtype=np.int64, count=len(best))
        np.add.at(holders, areas, 1)
        np.add.at(credit, areas, np.minimum(levels, targets.level))
        np.maximum.at(best_level, areas, levels)
        placed = units >= 0
        np.maximum.at(depth, (areas[placed], units[placed]), levels[placed])
        np.add.at(by_unit, (areas[placed], units[placed]), 1)
        for person, area in zip(people, areas.tolist(), strict=True):
            if holders[area] == 1:
                sole[area] = person
    full = float(max(targets.people, 1) * max(targets.level, 1))
    return Coverage(
        area_ids=tuple(area_ids),
        unit_ids=tuple(unit_ids),
        depth=depth,
        holders_by_unit=by_unit,
        holders=holders,
        coverage=np.minimum(credit / full, 1.0),
        best_level=best_level,
        sole_holder=tuple(sole),
    )


def dependence(weights: np.ndarray, mission_need: np.ndarray, demand_share: np.ndarray) -> np.ndarray:
    """How much of the mission rests on each area.

    `weights`: the confirmed weight (1 is ordinary); `mission_need`: 0..1, how strongly the mission
    text asks for the area; `demand_share`: 0..1, the share of goals and accepted ideas that draw on
    it. Weight scales the rest, so an area people weighted at 0 never shows up as a gap.
    """
    weights = np.clip(np.asarray(weights, dtype=np.float64), 0.0, None)
    need = np.clip(np.asarray(mission_need, dtype=np.float64), 0.0, 1.0)
    demand = np.clip(np.asarray(demand_share, dtype=np.float64), 0.0, 1.0)
    return weights * (0.5 + 0.5 * need + demand)


@dataclass(frozen=True)
class Action:
    """One thing to do about an area: hire, train or document, and why."""

    kind: str
    why: str


@dataclass(frozen=True)
class Gap:
    area_id: str
    gap: float
    dependence: float
    coverage: float
    holders: int
    best_level: int
    sole_holder: str | None
    documented: bool
    actions: tuple[Action, ...] = field(default_factory=tuple)

    @property
    def single_point_of_failure(self) -> bool:
        return self.holders == 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "area_id": self.area_id,
            "gap": round(self.gap, 4),
            "dependence": round(self.dependence, 4),
            "coverage": round(self.coverage, 4),
            "holders": self.holders,
            "best_level": self.best_level,
            "single_point_of_failure": self.single_point_of_failure,
            "sole_holder": self.sole_holder,
            "documented": self.documented,
            "actions": [{"kind": a.kind, "why": a.why} for a in self.actions],
        }


def _actions(holders: int, best_level: int, documented: bool, targets: Targets) -> tuple[Action, ...]:
    out: list[Action] = []
    if holders == 0:
        out.append(Action("hire", "nobody holds this area; bring the knowledge in (hire or contract)"))
    elif holders == 1:
        out.append(
            Action("train", "only one person holds this area; train a second person before they leave")
        )
    elif holders < targets.people or best_level < targets.level:
        out.append(
            Action(
                "train",
                f"fewer than {targets.people} people hold it at level {targets.level} or above",
            )
        )
    if not documented:
        if holders:
            out.append(
                Action("document", "no document covers it; have its holders write down what they know")
            )
        else:
            out.append(Action("document", "no document covers it either; start a knowledge-base page"))
    return tuple(out)


def gaps(
    cov: Coverage,
    dependence_by_area: np.ndarray,
    documented: Sequence[bool],
    targets: Targets = Targets(),
) -> list[Gap]:
    """Every area with its gap and what to do, the largest gap first (ties: more dependence first)."""
    out = []
    for i, area in enumerate(cov.area_ids):
        dep = float(dependence_by_area[i])
        missing = 1.0 - float(cov.coverage[i])
        holders = int(cov.holders[i])
        best = int(cov.best_level[i])
        out.append(
            Gap(
                area_id=area,
                gap=dep * missing,
                dependence=dep,
                coverage=float(cov.coverage[i]),
                holders=holders,
                best_level=best,
                sole_holder=cov.sole_holder[i],
                documented=bool(documented[i]),
                actions=_actions(holders, best, bool(documented[i]), targets) if dep > 0 else (),
            )
        )
    out.sort(key=lambda g: (-g.gap, -g.dependence, g.area_id))
    return out
