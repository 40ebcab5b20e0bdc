"""The core bound of one batch: core means close to the batch's best texts, not only far above the
background.

The shipped bounds (data/thresholds.json) are standard deviations above the mission's background.
That scale says how much closer a text is to the mission than ordinary activities are, but not
where the mission's own field ends: texts from a neighbouring field (the mission's siblings in an
industry list, which a reviewer calls adjacent) also sit far above the background, often as high as
the mission's weaker core texts. The batch tells them apart better than the background does: its
best few texts (the same ones that define "on mission" for the feedback step of the engine) show
how high this mission's core reaches, and a text more than `core_margin` standard deviations
below them is, in this batch, nearer the neighbours than the core.

So, for a batch large enough to learn from, the core bound is the batch's best-texts mean less
the margin, never below the shipped core bound (the fixed bound stays the floor, so a batch of weak
texts gives no more core than before). The adjacent bound is unchanged. docs/calibration.md has the
measurements, chosen leave-one-source-out, and the mixes of ideas where the rule costs something.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from hoshin.domain.calibration import Thresholds

__all__ = ["batch_thresholds", "best_values"]


def best_values(z: np.ndarray, k: int) -> np.ndarray:
    """The `k` highest finite values of `z` (all of them when there are fewer), in no order."""
    values = np.asarray(z, dtype=np.float64)
    values = values[np.isfinite(values)]
    k = min(max(k, 0), len(values))
    if k == 0:
        return values[:0]
    return np.partition(values, len(values) - k)[-k:]


def batch_thresholds(best: np.ndarray, count: int, base: Thresholds, min_batch: int) -> Thresholds:
    """`base` with its core bound raised to the mean of `best` (the batch's highest z, as many as
    define its best texts) less `base.core_margin`, when the batch has at least `min_batch` texts
    (`count`) and `base` has a margin. The result has no margin: it is the batch's own pair of
    bounds, applied as they are, also to texts scored later as more lines of the batch."""
    fixed = replace(base, core_margin=None)
    if base.core_margin is None or count < max(min_batch, 1) or len(best) == 0:
        return fixed
    core = max(base.core, float(np.mean(best)) - base.core_margin)
    return replace(fixed, core=core)
