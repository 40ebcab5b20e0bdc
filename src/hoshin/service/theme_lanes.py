"""Goal verdicts told through the theme each goal stands out for (domain/theme_lanes.py).

The strategy map, the units x themes heatmaps and each goal's reason read the theme from the goal's
verdict. Scoring names the mission row closest to the goal, which for most goals of one organisation
is the same product theme; here a goal's verdict names instead the theme its closeness sets apart
from the organisation's other goals. Score and tier do not change, nor do off-mission verdicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from hoshin.domain.alignment import calibrated_rows
from hoshin.domain.theme_lanes import distinct_themes
from hoshin.domain.verdict import Tier, Verdict
from hoshin.service.alignment import Aligner, ScoredBatch

__all__ = ["with_theme_lanes"]


def with_theme_lanes(aligner: Aligner, texts: Sequence[str], batch: ScoredBatch) -> list[Verdict]:
    """`batch.verdicts`, each on-mission goal's told through its theme lane (the whole batch is one
    organisation's goals); goals no theme sets apart keep the row that scored them best."""
    mission = batch.mission
    themes = mission.names[1:]  # row 0 is the whole statement
    if len(set(themes)) < 2 or batch.vectors is None or not len(texts):
        return list(batch.verdicts)
    z = calibrated_rows(
        np.asarray(batch.vectors, dtype=np.float32),
        mission.vectors,
        aligner.background,
        aligner.params,
        aligner.background_hub,
    )
    lanes = distinct_themes(z[:, 1:], themes, whole="")
    out = list(batch.verdicts)
    for i, (verdict, lane) in enumerate(zip(batch.verdicts, lanes, strict=True)):
        if verdict.tier is Tier.OFF or not lane or lane == verdict.theme or i in batch.lifted:
            continue
        rows = [r for r, name in enumerate(mission.names) if r and name == lane]
        row = rows[int(np.argmax(z[i, rows]))]
        told = aligner.verdict_in_row(texts[i], i, batch.result, mission, row, batch.thresholds)
        out[i] = replace(verdict, theme=told.theme, why=told.why)
    return out
