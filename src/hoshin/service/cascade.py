"""`cascade check`: score a file of goals against the mission and list what a manager should fix.

The output is one object per goal, `{id, issues: [{kind, detail}]}`, in input order, then one
summary object `{id: "_uncovered", uncovered_themes: [...], weak_units: [...], unit_scores: {...}}`.
Kinds: orphan, off-mission, duplicate, conflict, weak-parent (see hoshin.domain.cascade_checks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from hoshin.data.corpora import background_texts
from hoshin.domain.cascade_checks import (
    CheckLimits,
    Pair,
    ancestors,
    conflicting_pairs,
    cosine_blocks,
    duplicate_pairs,
    is_mission_neutral,
    is_weak_parent,
)
from hoshin.domain.cascade_link import LevelLinks, LinkWeights, WordVectors, level_links
from hoshin.domain.evidence_words import quotable_pairs, quotable_words, quote
from hoshin.domain.explain import quotable_shared_words, shared_words
from hoshin.domain.head_word import head_word
from hoshin.domain.lexical import IdfTable, stem_sets
from hoshin.domain.mission import MissionModel
from hoshin.domain.text import MISSION_FILLER, boilerplate_words, content_words, stem
from hoshin.domain.verdict import Tier, Verdict
from hoshin.embedding import ProgressFn
from hoshin.errors import RowError
from hoshin.service.alignment import Aligner, ScoredBatch
from hoshin.service.cascade_rivals import add_rivalries, rival_pairs
from hoshin.service.theme_lanes import with_theme_lanes

__all__ = [
    "CheckRun",
    "Mentions",
    "Goal",
    "check_goals",
    "check_goals_against",
    "link_reason",
    "link_table",
    "parse_goals",
]

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


# ---------------------------------------------------------------------------- parent links
def link_table(
    aligner: Aligner,
    texts: Sequence[str],
    levels: Sequence[int],
    units: Sequence[str] | None = None,
    raw: np.ndarray | None = None,
    weights: LinkWeights = LinkWeights(),
) -> list[LevelLinks]:
    """Link scores of every goal against the goals one level up, level by level (see
    hoshin.domain.cascade_link); `raw`: the texts' vectors when the caller has them already."""
    raw = aligner.embed(texts) if raw is None else raw
    word_lists = [link_words(t) for t in texts]
    # Word vectors only where words may match by meaning (not when they match by stem alone).
    vocabulary = sorted({w for ws in word_lists for w in ws}) if weights.word_floor < 1.0 else []
    vectors = aligner.embed(vocabulary) if vocabulary else np.zeros((0, raw.shape[1]), dtype=np.float32)
    words = WordVectors({w: i for i, w in enumerate(vocabulary)}, vectors)
    heads = [head_word(t) for t in texts] if weights.head else None
    rarity = general_word_rarity()
    return level_links(levels, raw, word_lists, words, rarity, units, weights, heads=heads)


# The checks read parents as written (not with the goals that lean to them), match words by stem
# alone and leave the head word out: their weak-parent and better-parent thresholds were set on
# these scores.
_AS_WRITTEN = LinkWeights(siblings=0.0, word_floor=1.0, head=0.0)


def link_words(text: str) -> list[str]:
    """The words of a goal that may link it to a parent: content words, each once, in order."""
    return list(dict.fromkeys(content_words(text, MISSION_FILLER)))


@lru_cache(maxsize=1)
def general_word_rarity() -> IdfTable:
    """How rare each word stem is in the packaged general corpus (everyday activities, products
    and jobs): a word common there ("services", "management") is weak evidence of a link."""
    return IdfTable(stem_sets(background_texts()))


def link_reason(child: str, parent: str, evidence: Sequence[tuple[str, str]] | None = None) -> str:
    """Why a parent suits a goal, in words: the words they share, and, given the word pairs that
    matched (`LevelLinks.evidence`), the parent's words close in meaning to the goal's."""
    if evidence is None:
        words = quotable_shared_words(child, parent)
        return f"shares {quote(words)}" if words else NO_SHARED_WORDS
    shown = quotable_pairs(evidence)
    same = [mine for mine, theirs in shown if stem(mine) == stem(theirs)]
    near = [f"{mine!r} ~ {theirs!r}" for mine, theirs in shown if stem(mine) != stem(theirs)]
    parts = ([f"shares {quote(same)}"] if same else []) + ([f"close words {', '.join(near)}"] if near else [])
    return "; ".join(parts) if parts else NO_SHARED_WORDS


NO_SHARED_WORDS = "close in meaning, no shared words"


@dataclass(frozen=True)
class _Links:
    """What the checks read of one goal's link scores (all rounded as the suggestions show them)."""

    given: dict[int, float]  # each parent one level up -> its link score
    best: int  # the best candidate parent overall
    best_score: float
    home: int  # the best candidate where the goal's better parent is looked for (see _link_facts)
    home_score: float


def _link_facts(goals: list[Goal], tables: list[LevelLinks]) -> list[_Links | None]:
    """Per goal, its given parents' link scores and its best candidates; None for a goal with no
    candidate parents (a top goal, or nothing one level up).

    Where a goal hangs only under goals of its own unit, its better parent is looked for in that
    unit first (`home`): a unit's key results belong under the unit's own objectives.
    """
    facts: list[_Links | None] = [None] * len(goals)
    codes: dict[str, int] = {"": -1}
    unit = np.array([codes.setdefault(g.unit, len(codes)) for g in goals], dtype=np.int64)
    for table in tables:
        column = {int(p): c for c, p in enumerate(table.parents)}
        parent_unit = unit[table.parents]
        for offset, scores in table.blocks():
            rows = table.children[offset : offset + len(scores)]
            rounded = np.round(scores, 4)
            best = np.argmax(scores, axis=1)
            own = (parent_unit[None, :] == unit[rows][:, None]) & (unit[rows][:, None] >= 0)
            home = np.argmax(np.where(own, scores, -np.inf), axis=1)
            has_home = own.any(axis=1)
            for r, n in enumerate(rows.tolist()):
                goal = goals[n]
                in_unit = bool(goal.parents) and all(goals[p].unit == goal.unit for p in goal.parents)
                h = int(home[r]) if goal.unit and in_unit and has_home[r] else int(best[r])
                facts[n] = _Links(
                    given={p: float(rounded[r, column[p]]) for p in goal.parents if p in column},
                    best=int(table.parents[best[r]]),
                    best_score=float(rounded[r, best[r]]),
                    home=int(table.parents[h]),
                    home_score=float(rounded[r, h]),
                )
    return facts


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
) -> list[dict[str, Any]]:
    """One `{id, issues}` object per goal in input order, then the `_uncovered` summary object."""
    model = aligner.mission_model(mission, focus_areas, exclusions)
    return check_goals_against(aligner, model, rows, source, limits, progress).results


class Mentions:
    """For each goal, the issues of other goals that name it ("Says much the same as G-7"), so a
    unit's view finds other units' issues about its goals without a scan. Kept as two flat lists
    per goal, not a tuple per entry: a tree of templated goals can make two million entries, and
    as tuples they would cost Python's cycle collector seconds on every full pass."""

    def __init__(self) -> None:
        self._by_goal: dict[str, tuple[list[str], list[dict[str, str]]]] = {}

    def add(self, named: str, goal_id: str, issue: dict[str, str]) -> None:
        ids, issues = self._by_goal.setdefault(named, ([], []))
        ids.append(goal_id)
        issues.append(issue)

    def of(self, goal_id: str) -> list[tuple[str, dict[str, str]]]:
        """(other goal's id, its issue) for every issue of another goal that names `goal_id`."""
        ids, issues = self._by_goal.get(goal_id, ([], []))
        return list(zip(ids, issues, strict=True))

    def named(self) -> list[str]:
        """The goals some other goal's issue names."""
        return list(self._by_goal)


@dataclass(frozen=True)
class CheckRun:
    """One run of the checks: the batch command's output, each goal's verdict, and which goals
    each issue names."""

    results: list[dict[str, Any]]  # `{id, issues}` per goal in input order, then the `_uncovered` summary
    verdicts: list[Verdict]
    mentions: Mentions


# An issue as the output shows it, and the ids of the goals it names ("Says much the same as G-7").
_Found = tuple[dict[str, str], tuple[str, ...]]


def _issue(kind: str, detail: str, *names: str) -> _Found:
    return {"kind": kind, "detail": detail}, names


class _Findings:
    """Each goal's issues as the output shows them and, beside each, the goal ids it names: one id
    as a plain string, several as a tuple. (A million findings kept as pairs of tuples would be
    millions of objects for Python's cycle collector to walk; strings it never looks at.)"""

    def __init__(self, size: int) -> None:
        self.issues: list[list[dict[str, str]]] = [[] for _ in range(size)]
        self.names: list[list[str | tuple[str, ...]]] = [[] for _ in range(size)]

    def add(self, n: int, found: _Found) -> None:
        issue, names = found
        self.issues[n].append(issue)
        self.names[n].append(names[0] if len(names) == 1 else names)


def check_goals_against(
    aligner: Aligner,
    model: MissionModel,
    rows: Sequence[Row],
    source: str = "input",
    limits: CheckLimits | None = None,
    progress: ProgressFn | None = None,
) -> CheckRun:
    """`check_goals` against a mission model already built, with each goal's verdict (the stateful
    app stores them, and need not score the goals a second time) and the goals each issue names."""
    limits = limits or CheckLimits()
    goals = parse_goals(rows, source)
    texts = [g.text for g in goals]
    batch = aligner.score_batch(model, texts, progress=progress)
    vectors = aligner.embed(texts)
    similarity = cosine_blocks(vectors)
    # The batch command's link scores, without the same-unit bonus: the checks judge the links
    # themselves and look in the goal's own unit where that is the question. Parents are read by
    # their own text here, and words count only where they share a stem: the checks raise alarms
    # on the gap between a given link and the best alternative, and a parent drawn towards the
    # goals that lean to it, or a loose word match ("refrigerant" and "electricity"), makes
    # alternatives look stronger than they are (on the demo tree: one false weak-parent alarm).
    # Matching by stem also spares the checks the product of word vectors.
    tables = link_table(aligner, texts, [g.level for g in goals], raw=vectors, weights=_AS_WRITTEN)
    links = _link_facts(goals, tables)
    tree = {n: g.parents for n, g in enumerate(goals)}
    above = [ancestors(tree, n) for n in range(len(goals))]
    # Words most goals of the file share ("refrigerators") are no evidence of a shared subject.
    common = boilerplate_words(texts, share=0.3, min_texts=10)

    found = _Findings(len(goals))
    suggested = _weak_parents(goals, links, limits, found)
    _orphans(goals, batch, links, found)
    _off_mission(goals, batch, links, suggested, above, vectors, limits, aligner, found)
    rivals = rival_pairs(texts, similarity, above, limits)
    opposed = [(r.first, r.second) for r in rivals]  # read alike, pull apart: no duplicates
    _duplicates(goals, duplicate_pairs(texts, similarity, above, limits, common, opposed), vectors, found)
    traded = conflicting_pairs(texts, similarity, above, limits, common)
    for pair in traded:
        cost, quality = goals[pair.first], goals[pair.second]
        found.add(pair.first, _conflict(quality, pair.words, this_cuts=True))
        found.add(pair.second, _conflict(cost, pair.words, this_cuts=False))
    add_rivalries(goals, rivals, {frozenset((p.first, p.second)) for p in traded}, found.add)

    results: list[dict[str, Any]] = []
    mentions = Mentions()
    for goal, listed, named in zip(goals, found.issues, found.names, strict=True):
        results.append({"id": goal.id, "issues": listed})
        for issue, names in zip(listed, named, strict=True):
            for other in (names,) if isinstance(names, str) else dict.fromkeys(names):
                if other != goal.id:
                    mentions.add(other, goal.id, issue)
    verdicts = with_theme_lanes(aligner, texts, batch)
    results.append(_summary(goals, batch, verdicts, vectors, limits))
    return CheckRun(results, verdicts, mentions)


def _duplicates(goals: list[Goal], pairs: Sequence[Pair], vectors: np.ndarray, found: _Findings) -> None:
    """Both goals of each duplicate pair get an issue naming the other and the evidence: the
    words both speak of, the figures both state."""
    label = [f"Says much the same as {_name(g)}: '{g.text}' (similarity " for g in goals]
    for pair in pairs:
        i, j = pair.first, pair.second
        said = _speak_of(pair.words) if pair.words or not pair.figures else ""
        said += f"; both state {quote(pair.figures)}" if pair.figures else ""
        tail = f"{float(vectors[i] @ vectors[j]):.2f}{said}). Merge the two or agree which unit owns it."
        found.issues[i].append({"kind": "duplicate", "detail": label[j] + tail})
        found.names[i].append(goals[j].id)
        found.issues[j].append({"kind": "duplicate", "detail": label[i] + tail})
        found.names[j].append(goals[i].id)


def _conflict(other: Goal, subject: tuple[str, ...], this_cuts: bool) -> _Found:
    cuts, raises = ("this goal", f"'{other.text}'") if this_cuts else (f"'{other.text}'", "this goal")
    return _issue(
        "conflict",
        f"Pulls against {_name(other)} on {_quote(subject) or 'the same subject'}: {cuts} cuts cost or time, "
        f"while {raises} "
        "raises quality, durability or safety. Agree the trade-off with its owner before either goes ahead.",
        other.id,
    )


def _name(goal: Goal) -> str:
    return f"{goal.id} ({goal.unit})" if goal.unit else goal.id


@lru_cache(maxsize=4096)
def _quote(words: tuple[str, ...]) -> str:
    """The words of a finding a reason may quote, quoted ('' when none may be); cached: in a large
    tree the same few shared words back thousands of findings."""
    return quote(quotable_words(words))


def _speak_of(words: tuple[str, ...]) -> str:
    shown = _quote(words)
    return f"; both speak of {shown}" if shown else "; close in meaning"


def _weak_parents(
    goals: list[Goal], links: list[_Links | None], limits: CheckLimits, found: _Findings
) -> dict[int, tuple[int, float]]:
    """Adds weak-parent issues; returns goal index -> (the suggested parent, its link score)."""
    suggested: dict[int, tuple[int, float]] = {}
    for n, goal in enumerate(goals):
        facts = links[n]
        if not goal.parents or facts is None or not facts.given:
            continue  # parents more than one level up have no link score and are not compared
        p, score = max(facts.given.items(), key=lambda pair: pair[1])
        parent = goals[p]
        if facts.home in goal.parents or not is_weak_parent(score, facts.home_score, limits):
            continue
        suggested[n] = (facts.home, facts.home_score)
        better = goals[facts.home]
        found.add(
            n,
            _issue(
                "weak-parent",
                (
                    f"Its parent {_name(parent)} ('{parent.text}') fits it poorly (link {score:.2f}); "
                    f"{_name(better)} ('{better.text}') fits much better "
                    f"(link {facts.home_score:.2f}, {link_reason(goal.text, better.text)}). "
                    f"Consider moving it under {better.id}."
                ),
                parent.id,
                better.id,
            ),
        )
    return suggested


def _orphans(goals: list[Goal], batch: ScoredBatch, links: list[_Links | None], found: _Findings) -> None:
    for n, goal in enumerate(goals):
        verdict = batch.verdicts[n]
        if goal.level == 1 or goal.parents or verdict.tier is Tier.CORE:
            continue
        hint = ""
        named: tuple[str, ...] = ()
        facts = links[n]
        if facts is not None:
            best = goals[facts.best]
            named = (best.id,)
            hint = (
                f" The closest goal one level up is {best.id} (link {facts.best_score:.2f}, "
                f"{link_reason(goal.text, best.text)})."
            )
        found.add(
            n,
            _issue(
                "orphan",
                (
                    f"A level-{goal.level} goal with no parent, and not core to the mission "
                    f"({verdict.tier.value}, score {verdict.score:.2f}): "
                    "link it to the goal it serves or drop it." + hint
                ),
                *named,
            ),
        )


def _off_mission(
    goals: list[Goal],
    batch: ScoredBatch,
    links: list[_Links | None],
    suggested: dict[int, tuple[int, float]],
    above: list[set[int]],
    vectors: np.ndarray,
    limits: CheckLimits,
    aligner: Aligner,
    found: _Findings,
) -> None:
    """Off-tier goals, except those the cascade vouches for.

    A goal below the top can read as off on its own ("Sign forty new dealers") and still serve an
    on-mission parent: a goal is flagged when its score is clearly off and it is not written in plain
    commercial language, whatever its parent, or when it matches an exclusion word for word.
    Sub-goals of a flagged goal are named in their parent's issue instead of being flagged one by one.
    """
    result = batch.result
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
        if result.z[n] < limits.clearly_off_z and not is_mission_neutral(goal.text):
            # Clearly off and not plain enabling work (sales, hiring, cost): another business,
            # whatever goal it hangs under. Where the link to that parent is weak, that is a
            # finding of its own (weak-parent), not a reason to keep quiet about this one.
            flagged[n] = True
            continue
        # A parent more than one level up has no link score; plain closeness in meaning stands in.
        facts = links[n]
        given = facts.given if facts is not None else {}
        carriers = [(p, given[p] if p in given else float(vectors[n] @ vectors[p])) for p in goal.parents]
        if n in suggested:
            carriers.append(suggested[n])
        aligned[n] = any(aligned[p] and s >= limits.carry_link for p, s in carriers)
    if not any(flagged):
        return
    below: dict[int, list[str]] = {}
    for m, mine in enumerate(above):
        for n in mine:
            if flagged[n]:
                below.setdefault(n, []).append(goals[m].id)
    for n in range(len(goals)):
        if not flagged[n]:
            continue
        tail = f" Its sub-goals {', '.join(below[n])} go with it." if n in below else ""
        found.add(
            n,
            _issue(
                "off-mission",
                f"{batch.verdicts[n].why} Rework it so that it serves the mission, or drop it.{tail}",
                *below.get(n, ()),
            ),
        )


def _excluded_by_words(n: int, text: str, batch: ScoredBatch, aligner: Aligner) -> bool:
    """The goal is closer to an exclusion than to the mission and shares words with it."""
    result = batch.result
    k = int(result.exclusion[n])
    if k < 0:
        return False
    closer = result.exclusion_z[n] >= aligner.thresholds.adjacent and result.exclusion_z[n] > result.z[n]
    return bool(closer and shared_words(text, batch.mission.exclusion_names[k]))


def _summary(
    goals: list[Goal],
    batch: ScoredBatch,
    verdicts: list[Verdict],
    vectors: np.ndarray,
    limits: CheckLimits,
) -> dict[str, Any]:
    """Mission themes no goal serves, and units whose goals barely touch the mission. A theme is
    served by an on-mission goal it scored best or whose lane it is (`verdicts`, the theme each
    goal stands out for), so the map never shows a goal under a theme it calls unserved."""
    mission = batch.mission
    served = {
        int(b) for b, v in zip(batch.result.best, batch.verdicts, strict=True) if v.tier is not Tier.OFF
    }
    lanes = {v.theme for v in verdicts if v.tier is not Tier.OFF}
    served |= {t for t, name in enumerate(mission.names) if t and name in lanes}
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
