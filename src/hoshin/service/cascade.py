"""`cascade check`: score a file of goals against the mission and list what a manager should fix.

The output is one object per goal, `{id, issues: [{kind, detail}]}`, in input order, then one
summary object `{id: "_uncovered", uncovered_themes: [...], weak_units: [...], unit_scores: {...}}`.
Kinds: orphan, off-mission, duplicate, conflict, weak-parent (see hoshin.domain.cascade_checks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hoshin.domain.cascade_checks import (
    CheckLimits,
    Issue,
    ancestors,
    conflicting_pairs,
    duplicate_pairs,
    is_mission_neutral,
    is_weak_parent,
)
from hoshin.domain.explain import shared_words
from hoshin.domain.text import boilerplate_words
from hoshin.domain.verdict import Tier
from hoshin.embedding import ProgressFn
from hoshin.errors import RowError
from hoshin.service.alignment import Aligner, ScoredBatch
from hoshin.service.batch import link_goals

__all__ = ["Goal", "check_goals", "parse_goals"]

Row = dict[str, str]
_SUMMARY_ID = "_uncovered"


@dataclass(frozen=True)
class Goal:
    id: str
    text: str
    level: int
    parents: tuple[int, ...]  # indexes of the parent goals in the input
    unit: str
    row: int  # row number as the user sees it in the file


# ---------------------------------------------------------------------------- input
def parse_goals(rows: Sequence[Row], source: str = "input") -> list[Goal]:
    """Validated goals; raises RowError naming the row and field for bad levels, unknown or
    circular parents, and parents that do not sit above their goal."""
    index = {r["id"]: n for n, r in enumerate(rows)}
    levels: list[int] = []
    parents: list[tuple[int, ...]] = []
    for n, row in enumerate(rows):
        number = n + 2
        raw = row.get("level", "")
        try:
            level = int(raw)
        except ValueError:
            raise RowError(
                source,
                number,
                "level",
                f"{raw!r} is not a whole number",
                "use 1 for top goals, 2 for the goals below them, and so on",
            ) from None
        if level < 1:
            raise RowError(source, number, "level", f"{level} is below 1", "use 1 for top goals")
        mine: list[int] = []
        for pid in (p.strip() for p in row.get("parent_id", "").split(";")):
            if not pid:
                continue
            if pid not in index:
                raise RowError(
                    source,
                    number,
                    "parent_id",
                    f"{pid!r} is not the id of any goal in the file",
                    "leave it blank or use ids from the id column, separated by ';'",
                )
            if pid == row["id"]:
                raise RowError(
                    source,
                    number,
                    "parent_id",
                    "the goal names itself as its parent",
                    "name the goal one level up that it serves",
                )
            mine.append(index[pid])
        levels.append(level)
        parents.append(tuple(dict.fromkeys(mine)))  # a parent named twice counts once
    _refuse_cycles(rows, parents, source)
    for n, above in enumerate(parents):
        for p in above:
            if levels[p] >= levels[n]:
                raise RowError(
                    source,
                    n + 2,
                    "level",
                    f"its parent {rows[p]['id']!r} is at level {levels[p]}, not above this goal's "
                    f"level {levels[n]}",
                    "a parent must sit at a lower level number than its goal",
                )
    return [
        Goal(r["id"], r["text"], levels[n], parents[n], r.get("unit", "").strip(), n + 2)
        for n, r in enumerate(rows)
    ]


def _refuse_cycles(rows: Sequence[Row], parents: list[tuple[int, ...]], source: str) -> None:
    state = [0] * len(rows)  # 0 unseen, 1 on the current path, 2 done
    for start in range(len(rows)):
        if state[start]:
            continue
        path = [(start, iter(parents[start]))]
        state[start] = 1
        while path:
            node, children = path[-1]
            nxt = next(children, None)
            if nxt is None:
                state[node] = 2
                path.pop()
            elif state[nxt] == 1:
                loop = [rows[i]["id"] for i, _ in path[[i for i, _ in path].index(nxt) :]] + [rows[nxt]["id"]]
                raise RowError(
                    source,
                    nxt + 2,
                    "parent_id",
                    f"parent links go round in a circle: {' -> '.join(loop)}",
                    "break the circle so that every chain ends at a top goal",
                )
            elif state[nxt] == 0:
                state[nxt] = 1
                path.append((nxt, iter(parents[nxt])))


# ---------------------------------------------------------------------------- the checks
def check_goals(
    aligner: Aligner,
    mission: str,
    rows: Sequence[Row],
    focus_areas: Sequence[str] = (),
    exclusions: Sequence[str] = (),
    source: str = "input",
    limits: CheckLimits | None = None,
    progress: ProgressFn | None = None,
) -> list[dict]:
    """One `{id, issues}` object per goal in input order, then the `_uncovered` summary object."""
    limits = limits or CheckLimits()
    goals = parse_goals(rows, source)
    texts = [g.text for g in goals]
    model = aligner.mission_model(mission, focus_areas, exclusions)
    batch = aligner.score_batch(model, texts, progress=progress)
    vectors = aligner.embed(texts)
    similarity = vectors @ vectors.T
    links = _link_table(aligner, goals, source)
    tree = {n: g.parents for n, g in enumerate(goals)}
    above = [ancestors(tree, n) for n in range(len(goals))]
    # Words most goals of the file share ("refrigerators") are no evidence of a shared subject.
    common = boilerplate_words(texts, share=0.3, min_texts=10)

    issues: list[list[Issue]] = [[] for _ in goals]
    suggested = _weak_parents(goals, links, limits, issues)
    _orphans(goals, batch, links, issues)
    _off_mission(goals, batch, links, suggested, above, similarity, limits, aligner, issues)
    for pair in duplicate_pairs(texts, similarity, above, limits, common):
        for me, other in ((pair.first, pair.second), (pair.second, pair.first)):
            issues[me].append(_duplicate(goals[other], float(similarity[me, other]), pair.words))
    for pair in conflicting_pairs(texts, similarity, above, limits, common):
        cost, quality = goals[pair.first], goals[pair.second]
        issues[pair.first].append(_conflict(quality, pair.words, this_cuts=True))
        issues[pair.second].append(_conflict(cost, pair.words, this_cuts=False))

    out: list[dict] = [
        {"id": g.id, "issues": [i.as_dict() for i in found]} for g, found in zip(goals, issues, strict=True)
    ]
    out.append(_summary(goals, batch, vectors, limits))
    return out


def _duplicate(other: Goal, similarity: float, shared: Sequence[str]) -> Issue:
    return Issue(
        "duplicate",
        f"Says much the same as {_name(other)}: '{other.text}' (similarity {similarity:.2f}; "
        f"both speak of {_quote(shared)}). Merge the two or agree which unit owns it.",
    )


def _conflict(other: Goal, subject: Sequence[str], this_cuts: bool) -> Issue:
    cuts, raises = ("this goal", f"'{other.text}'") if this_cuts else (f"'{other.text}'", "this goal")
    return Issue(
        "conflict",
        f"Pulls against {_name(other)} on {_quote(subject)}: {cuts} cuts cost or time, while {raises} "
        "raises quality, durability or safety. Agree the trade-off with its owner before either goes ahead.",
    )


def _name(goal: Goal) -> str:
    return f"{goal.id} ({goal.unit})" if goal.unit else goal.id


def _quote(words: Sequence[str]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _link_table(aligner: Aligner, goals: list[Goal], source: str) -> list[list[dict]]:
    """For each goal, the link suggestions over all goals one level up (best first)."""
    plain = [{"id": g.id, "text": g.text, "level": str(g.level), "parent_id": ""} for g in goals]
    by_id = {row["id"]: row["suggestions"] for row in link_goals(aligner, plain, source, explain=3)}
    return [by_id.get(g.id, []) for g in goals]


def _link(links: list[dict], parent_id: str) -> float | None:
    for s in links:
        if s["id"] == parent_id:
            return float(s["score"])
    return None


def _candidates(goal: Goal, goals: list[Goal], unit_of: dict[str, str], links: list[dict]) -> list[dict]:
    """Where a goal hangs under a goal of its own unit, its better parent is looked for in that unit
    first: a unit's key results belong under the unit's own objectives."""
    if goal.unit and goal.parents and all(goals[p].unit == goal.unit for p in goal.parents):
        same = [s for s in links if unit_of[s["id"]] == goal.unit]
        if same:
            return same
    return links


def _weak_parents(
    goals: list[Goal], links: list[list[dict]], limits: CheckLimits, issues: list[list[Issue]]
) -> dict[int, dict]:
    """Adds weak-parent issues; returns goal index -> the suggested parent's link row."""
    suggested: dict[int, dict] = {}
    index = {g.id: n for n, g in enumerate(goals)}
    unit_of = {g.id: g.unit for g in goals}
    for n, goal in enumerate(goals):
        if not goal.parents or not links[n]:
            continue
        # Parents more than one level up have no link score and are not compared.
        given = [(goals[p], s) for p in goal.parents if (s := _link(links[n], goals[p].id)) is not None]
        if not given:
            continue
        parent, score = max(given, key=lambda pair: pair[1])
        best = _candidates(goal, goals, unit_of, links[n])[0]
        if index[best["id"]] in goal.parents or not is_weak_parent(score, best["score"], limits):
            continue
        suggested[n] = best
        better = goals[index[best["id"]]]
        issues[n].append(
            Issue(
                "weak-parent",
                (
                    f"Its parent {_name(parent)} ('{parent.text}') fits it poorly (link {score:.2f}); "
                    f"{_name(better)} ('{better.text}') fits much better "
                    f"(link {best['score']:.2f}, {best['why']}). "
                    f"Consider moving it under {better.id}."
                ),
            )
        )
    return suggested


def _orphans(
    goals: list[Goal], batch: ScoredBatch, links: list[list[dict]], issues: list[list[Issue]]
) -> None:
    for n, goal in enumerate(goals):
        verdict = batch.verdicts[n]
        if goal.level == 1 or goal.parents or verdict.tier is Tier.CORE:
            continue
        hint = ""
        if links[n]:
            best = links[n][0]
            hint = (
                f" The closest goal one level up is {best['id']} (link {best['score']:.2f}, {best['why']})."
            )
        issues[n].append(
            Issue(
                "orphan",
                (
                    f"A level-{goal.level} goal with no parent, and not core to the mission "
                    f"({verdict.tier.value}, score {verdict.score:.2f}): "
                    "link it to the goal it serves or drop it." + hint
                ),
            )
        )


def _off_mission(
    goals: list[Goal],
    batch: ScoredBatch,
    links: list[list[dict]],
    suggested: dict[int, dict],
    above: list[set[int]],
    similarity: np.ndarray,
    limits: CheckLimits,
    aligner: Aligner,
    issues: list[list[Issue]],
) -> None:
    """Off-tier goals, except those the cascade vouches for.

    A goal below the top can read as off on its own ("Sign forty kitchen-studio partners") and still
    serve an on-mission parent; it is flagged only when no on-mission parent carries it and its score
    is clearly off, or when it matches an exclusion word for word. Sub-goals of a flagged goal are
    named in their parent's issue instead of being flagged one by one.
    """
    result = batch.result
    index = {g.id: n for n, g in enumerate(goals)}
    aligned = [False] * len(goals)
    flagged = [False] * len(goals)
    for n in sorted(range(len(goals)), key=lambda k: goals[k].level):
        goal, verdict = goals[n], batch.verdicts[n]
        if verdict.tier is not Tier.OFF:
            aligned[n] = True
            continue
        if any(flagged[p] for p in goal.parents):
            continue  # inherits its parent's issue
        if _excluded_by_words(n, goal.text, batch, aligner):
            flagged[n] = True  # word-for-word evidence against it outweighs any parent's support
            continue
        # A parent more than one level up has no link score; plain closeness in meaning stands in.
        carriers: list[tuple[int, float]] = []
        for p in goal.parents:
            link = _link(links[n], goals[p].id)
            carriers.append((p, float(similarity[n, p]) if link is None else link))
        if n in suggested:
            carriers.append((index[suggested[n]["id"]], float(suggested[n]["score"])))
        carried = any(aligned[p] and s >= limits.carry_link for p, s in carriers)
        if carried:
            aligned[n] = True
            continue
        if result.z[n] < limits.clearly_off_z and not is_mission_neutral(goal.text):
            flagged[n] = True
    for n in range(len(goals)):
        if not flagged[n]:
            continue
        below = [g.id for m, g in enumerate(goals) if n in above[m]]
        tail = f" Its sub-goals {', '.join(below)} go with it." if below else ""
        issues[n].append(
            Issue(
                "off-mission",
                (f"{batch.verdicts[n].why} Rework it so that it serves the mission, or drop it.{tail}"),
            )
        )


def _excluded_by_words(n: int, text: str, batch: ScoredBatch, aligner: Aligner) -> bool:
    """The goal is closer to an exclusion than to the mission and shares words with it."""
    result = batch.result
    k = int(result.exclusion[n])
    if k < 0:
        return False
    closer = result.exclusion_z[n] >= aligner.thresholds.adjacent and result.exclusion_z[n] > result.z[n]
    return bool(closer and shared_words(text, batch.mission.exclusion_names[k]))


def _summary(goals: list[Goal], batch: ScoredBatch, vectors: np.ndarray, limits: CheckLimits) -> dict:
    """Mission themes no goal serves, and units whose goals barely touch the mission."""
    mission = batch.mission
    served = {
        int(b) for b, v in zip(batch.result.best, batch.verdicts, strict=True) if v.tier is not Tier.OFF
    }
    closeness = vectors @ mission.vectors.T if len(goals) else np.zeros((0, len(mission.names)))
    # Several rows may carry one name (a theme split in parts); the name is served if any part is.
    covered: dict[str, bool] = {}
    for t in range(1, len(mission.names)):  # row 0 is the whole statement, not a theme
        hit = t in served or bool(len(goals) and float(closeness[:, t].max()) >= limits.theme_cover_cosine)
        covered[mission.names[t]] = covered.get(mission.names[t], False) or hit
    uncovered = [name for name, hit in covered.items() if not hit]
    scores: dict[str, list[float]] = {}
    for goal, verdict in zip(goals, batch.verdicts, strict=True):
        if goal.unit:
            scores.setdefault(goal.unit, []).append(verdict.score)
    means = {unit: round(float(np.mean(s)), 4) for unit, s in scores.items()}
    weak = sorted((u for u, m in means.items() if m < limits.weak_unit_score), key=lambda u: means[u])
    return {"id": _SUMMARY_ID, "uncovered_themes": uncovered, "weak_units": weak, "unit_scores": means}
