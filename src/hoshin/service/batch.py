"""The batch contract (DESIGN.md): file rows in, verdict rows out, no database.

The CLI reads and validates the files and calls these; the REST API can call them on posted rows.
Every function returns plain dicts ready to be written as JSON, CSV or a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from hoshin.domain.calibration import hubness
from hoshin.domain.cascade_link import link_scores
from hoshin.domain.explain import shared_words
from hoshin.domain.knowledge_rank import knowledge_scores
from hoshin.domain.lexical import coverage_matrix
from hoshin.domain.text import boilerplate_words, strip_words
from hoshin.embedding import ProgressFn
from hoshin.errors import RowError
from hoshin.service.alignment import Aligner

__all__ = ["link_goals", "rank_knowledge", "triage"]

Row = dict[str, str]


def triage(
    aligner: Aligner,
    mission: str,
    rows: Sequence[Row],
    focus_areas: Sequence[str] = (),
    exclusions: Sequence[str] = (),
    progress: ProgressFn | None = None,
) -> list[dict]:
    """`{id, text, score, tier, theme, why}` for every row, best first."""
    model = aligner.mission_model(mission, focus_areas, exclusions)
    verdicts = aligner.score(model, [r["text"] for r in rows], progress=progress)
    out = [{"id": r["id"], "text": r["text"], **v.as_dict()} for r, v in zip(rows, verdicts)]
    out.sort(key=lambda row: -row["score"])
    return out


def _area_text(row: Row) -> str:
    name, description = row.get("name", ""), row.get("description", "")
    return f"{name}: {description}" if description else name


def _general_abilities(aligner: Aligner) -> np.ndarray:
    """Vectors of the catalogue's cross-cutting abilities (embedded once per aligner)."""
    cached = getattr(aligner, "_general_abilities", None)
    if cached is None:
        from hoshin.data.corpora import knowledge_catalogue

        texts = [_area_text(r) for r in knowledge_catalogue() if r["field"] == "general"]
        cached = aligner.embed(texts)
        aligner._general_abilities = cached  # type: ignore[attr-defined]
    return cached


def rank_knowledge(
    aligner: Aligner, mission: str, rows: Sequence[Row], progress: ProgressFn | None = None
) -> list[dict]:
    """`{id, name, score, why}` for every knowledge area, the ones the mission needs most first."""
    model = aligner.mission_model(mission)
    texts = [_area_text(r) for r in rows]
    batch = aligner.score_batch(model, texts, progress=progress, use_feedback=False)
    vectors = aligner.embed(texts)
    general = _general_abilities(aligner)
    breadth_sim = np.sort(vectors @ general.T, axis=1)[:, -3:].mean(axis=1)
    closeness = hubness(vectors, aligner.background, aligner.params.hub_k)
    combined, breadth, _ = knowledge_scores(batch.result.z, breadth_sim, closeness)
    out = []
    for i, row in enumerate(rows):
        verdict = batch.verdicts[i]
        words = shared_words(texts[i], model.text)
        if breadth[i] > 1.0 and batch.result.z[i] < aligner.thresholds.core:
            why = "A cross-cutting ability that most work draws on, needed even where the mission is silent"
            if words:
                why += f"; also shares {_quoted(words)} with the mission"
            why += "."
        elif words:
            why = f"Needed for the theme '{verdict.theme}': shares {_quoted(words)} with the mission."
        else:
            z = batch.result.z[i]
            why = f"Close in meaning to the theme '{verdict.theme}' ({z:.1f} sd above generic activities)."
        score = 1.0 / (1.0 + math.exp(-float(combined[i]) / 2.0))
        out.append({"id": row["id"], "name": row.get("name", ""), "score": round(score, 4), "why": why})
    out.sort(key=lambda r: -r["score"])
    return out


def _quoted(words: list[str]) -> str:
    return ", ".join(repr(w) for w in words)


def link_goals(
    aligner: Aligner, rows: Sequence[Row], source: str = "input", explain: int | None = None
) -> list[dict]:
    """For every goal of level > 1: `{id, suggestions: [{id, score, why}]}` over all goals one level up.

    `explain` limits the written reasons to each goal's best few suggestions (the rest get an empty
    `why`): checks over thousands of goals need every score but read only the top reasons.
    """
    levels = _levels(rows, source)
    texts = [r["text"] for r in rows]
    drop = boilerplate_words(texts)
    raw = aligner.embed(texts)
    stripped = aligner.embed([strip_words(t, drop) for t in texts]) if drop else raw
    out = []
    by_level: dict[int, list[int]] = {}
    for i, level in enumerate(levels):
        by_level.setdefault(level, []).append(i)
    for level in sorted(by_level):
        if level == 1:
            continue
        children = by_level[level]
        parents = by_level.get(level - 1, [])
        if not parents:
            out.extend({"id": rows[i]["id"], "suggestions": []} for i in children)
            continue
        coverage = coverage_matrix([texts[i] for i in children], [texts[j] for j in parents])
        scores = link_scores(raw[children], raw[parents], stripped[children], stripped[parents], coverage)
        scores = scores + SAME_UNIT_BONUS * _same_unit(rows, children, parents)
        parent_ids = [rows[j]["id"] for j in parents]
        orders = np.argsort(-scores, axis=1)
        rounded = np.round(scores, 4)
        for row_index, i in enumerate(children):
            order = orders[row_index].tolist()
            values = rounded[row_index].tolist()
            suggestions = [{"id": parent_ids[j], "score": values[j], "why": ""} for j in order]
            shown = suggestions if explain is None else suggestions[:explain]
            for suggestion, j in zip(shown, order):
                words = shared_words(texts[i], texts[parents[j]])
                suggestion["why"] = f"shares {_quoted(words)}" if words else NO_SHARED_WORDS
            out.append({"id": rows[i]["id"], "suggestions": suggestions})
    order = {r["id"]: n for n, r in enumerate(rows)}
    out.sort(key=lambda r: order[r["id"]])
    return out


NO_SHARED_WORDS = "close in meaning, no shared words"

# A key result usually serves a goal of its own unit; when the input names units, that counts.
SAME_UNIT_BONUS = 0.1


def _same_unit(rows: Sequence[Row], children: list[int], parents: list[int]) -> np.ndarray:
    units_c = [rows[i].get("unit", "") for i in children]
    units_p = [rows[j].get("unit", "") for j in parents]
    return np.array([[float(bool(c) and c == p) for p in units_p] for c in units_c], dtype=np.float32)


def _levels(rows: Sequence[Row], source: str) -> list[int]:
    ids = {r["id"] for r in rows}
    levels = []
    for number, row in enumerate(rows, start=2):
        raw = row.get("level", "")
        try:
            level = int(raw)
        except ValueError:
            raise RowError(
                source, number, "level", f"{raw!r} is not a whole number", "use 1 for top goals, 2 below"
            ) from None
        if level < 1:
            raise RowError(source, number, "level", f"{level} is below 1", "use 1 for top goals, 2 below")
        parent = row.get("parent_id", "")
        if parent and parent not in ids:
            raise RowError(
                source,
                number,
                "parent_id",
                f"{parent!r} is not the id of any goal in the file",
                "leave it blank or use an id from the id column",
            )
        levels.append(level)
    return levels
