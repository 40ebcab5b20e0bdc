"""The batch contract (DESIGN.md): file rows in, verdict rows out, no database.

The CLI reads and validates the files and calls these; the REST API can call them on posted rows.
Every function returns plain dicts ready to be written as JSON, CSV or a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from hoshin.domain.calibration import hubness
from hoshin.domain.explain import shared_words
from hoshin.domain.knowledge_rank import knowledge_scores
from hoshin.embedding import ProgressFn
from hoshin.errors import RowError
from hoshin.service.alignment import Aligner
from hoshin.service.cascade import link_reason, link_table
from hoshin.service.corridor_examples import LabelledExample, judge_by_examples

__all__ = ["link_goals", "rank_knowledge", "triage"]

Row = dict[str, str]


def triage(
    aligner: Aligner,
    mission: str,
    rows: Sequence[Row],
    focus_areas: Sequence[str] = (),
    exclusions: Sequence[str] = (),
    progress: ProgressFn | None = None,
    examples: Sequence[LabelledExample] = (),
) -> list[dict]:
    """`{id, text, score, tier, theme, why}` for every row, best first. With `examples` (ideas a
    reviewer placed in tiers), the examples decide the tiers and the `why` names them; the
    examples themselves are not in the output."""
    model = aligner.mission_model(mission, focus_areas, exclusions)
    texts = [r["text"] for r in rows]
    if examples:
        batch = aligner.score_batch(model, texts + [e.text for e in examples], progress=progress)
        verdicts = judge_by_examples(aligner, batch, texts, examples)
    else:
        verdicts = aligner.score(model, texts, progress=progress)
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
    `why`). A parent of the goal's own unit (when the rows name units) gets a small bonus.
    """
    levels = _levels(rows, source)
    texts = [r["text"] for r in rows]
    found: dict[int, list[dict]] = {}
    for table in link_table(aligner, texts, levels, [r.get("unit", "") for r in rows]):
        found.update((int(i), []) for i in table.children)
        parent_ids = [rows[j]["id"] for j in table.parents]
        for offset, scores in table.blocks():
            orders = np.argsort(-scores, axis=1, kind="stable").tolist()  # ties: input order
            rounded = np.round(scores, 4).tolist()
            for r, order in enumerate(orders):
                i = int(table.children[offset + r])
                values = rounded[r]
                suggestions = [{"id": parent_ids[j], "score": values[j], "why": ""} for j in order]
                shown = suggestions if explain is None else suggestions[:explain]
                for suggestion, j in zip(shown, order):
                    suggestion["why"] = link_reason(texts[i], texts[table.parents[j]])
                found[i] = suggestions
    return [{"id": rows[i]["id"], "suggestions": found[i]} for i in sorted(found)]


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
