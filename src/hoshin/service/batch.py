"""The batch contract (DESIGN.md): file rows in, verdict rows out, no database.

The CLI reads and validates the files and calls these; the REST API can call them on posted rows.
Every function returns plain dicts ready to be written as JSON, CSV or a table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hoshin.domain.alignment import MissionVectors, align
from hoshin.domain.calibration import score_from_z
from hoshin.domain.explain import shared_words
from hoshin.domain.text import boilerplate_words, strip_words, without_exceptions
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


def rank_knowledge(
    aligner: Aligner, mission: str, rows: Sequence[Row], progress: ProgressFn | None = None
) -> list[dict]:
    """`{id, name, score, why}` for every knowledge area, the ones the mission needs most first.

    An area ranks by its closeness to the whole statement, less half its closeness to everything
    (its hubness against the background corpus), calibrated against how the statement rates that
    background. Nothing else: a breadth prior and a concreteness penalty used to sit on top, and
    they fit one development list (generic skills, nDCG@5 0.81) while falling below plain cosine on
    knowledge concepts of another source (0.73 against 0.82); without them the rank beats plain
    cosine on both (eval/README.md).
    """
    texts = [_area_text(r) for r in rows]
    vectors = aligner.embed(texts, progress=progress)
    statement = without_exceptions(mission)
    mission_vectors = MissionVectors(
        names=("mission",),
        texts=(statement,),
        vectors=aligner.embed([statement]),
        penalties=np.zeros(1, dtype=np.float32),
        exclusion_names=(),
        exclusion_vectors=np.zeros((0, vectors.shape[1] if len(vectors) else 0), dtype=np.float32),
    )
    result = align(
        vectors,
        mission_vectors,
        aligner.background,
        aligner.params,
        use_feedback=False,
        background_hub=aligner.background_hub,
    )
    # Words most of the areas share ("knowledge", "principles") are how the list is written, not
    # evidence of a need.
    drop = boilerplate_words(texts + [mission])
    themes = aligner.mission_model(mission).themes or ()
    nearest = (vectors @ aligner.embed([t.text for t in themes]).T).argmax(axis=1) if themes else None
    out = []
    for i, row in enumerate(rows):
        z = float(result.z[i])
        theme = themes[int(nearest[i])] if nearest is not None else None
        serves = f"the theme '{theme.name}'" if theme else "the mission"
        words = shared_words(strip_words(texts[i], drop), statement)
        strength = f"{z:.1f} sd above generic activities"
        if words:
            why = f"Needed for {serves}: shares {_quoted(words)} with the mission ({strength})."
        else:
            why = f"Needed for {serves}: close in meaning, no shared words ({strength})."
        score = score_from_z(z, aligner.thresholds)
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
