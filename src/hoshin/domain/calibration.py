"""Calibration: turn raw similarities into numbers that mean the same for every mission.

A raw cosine of 0.45 is strong for one mission and weak for another. So every score is measured
against the mission's *background*: how the same scoring function rates a broad corpus of generic
activities from all walks of business. A text scoring 3 standard deviations above that background
is far more related to the mission than ordinary activities are, whatever the mission.

Two corrections, both against the same background corpus:
- **hubness**: some texts are close to everything; each text's mean similarity to its nearest
  background neighbours is subtracted (in part) from its similarities.
- **z-score**: the corrected similarity is expressed in standard deviations above the mission's
  background mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Thresholds", "hubness", "null_spread", "score_from_z", "zscore_against"]


@dataclass(frozen=True)
class Thresholds:
    """Tier boundaries on the calibrated scale (standard deviations above the background)."""

    core: float
    adjacent: float
    note: str = ""
    # With a batch to learn from, core also needs a z within this many sd of the batch's best texts
    # (domain/tier_bounds.py); None keeps the two bounds fixed.
    core_margin: float | None = None

    def __post_init__(self) -> None:
        if not self.core > self.adjacent:
            raise ValueError(f"core threshold {self.core} must be above adjacent threshold {self.adjacent}")
        if self.core_margin is not None and not self.core_margin > 0:
            raise ValueError(f"core margin {self.core_margin} must be above 0")


def hubness(
    vectors: np.ndarray, background: np.ndarray, k: int = 10, exclude_self: bool = False, chunk: int = 4096
) -> np.ndarray:
    """Mean cosine of each row to its k nearest background texts (its 'closeness to everything').

    Works in chunks so that scoring 100,000 texts never holds a 100,000 x background matrix.
    """
    out = np.zeros(len(vectors), dtype=np.float32)
    if len(background) == 0 or len(vectors) == 0:
        return out
    k = min(k, len(background))
    for start in range(0, len(vectors), chunk):
        sims = vectors[start : start + chunk] @ background.T
        if exclude_self:
            sims = np.where(sims > 0.9999, -1.0, sims)
        top = np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:]
        out[start : start + chunk] = top.mean(axis=1)
    return out


def zscore_against(values: np.ndarray, null: np.ndarray) -> np.ndarray:
    """`values` in standard deviations above the mean of the `null` distribution (last axis).

    An empty null (no background at all) leaves the values as they are rather than failing.
    """
    if null.shape[-1] == 0:
        return np.asarray(values, dtype=np.float64)
    mean, std = null_spread(null)
    z: np.ndarray = (values - mean) / std
    return z


def null_spread(null: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of a non-empty `null` along its last axis (kept as an axis of
    length 1), the deviation floored at 1e-6 so a flat null divides by something."""
    mean = null.mean(axis=-1, keepdims=True)
    std = null.std(axis=-1, keepdims=True)
    return mean, np.where(std < 1e-6, 1e-6, std)


def score_from_z(z: float, thresholds: Thresholds) -> float:
    """Map a calibrated z to 0..1 so that the adjacent threshold reads 0.4 and the core one 0.7."""
    lo, hi = thresholds.adjacent, thresholds.core
    slope = (math.log(0.7 / 0.3) - math.log(0.4 / 0.6)) / (hi - lo)
    centre = lo - math.log(0.4 / 0.6) / slope
    return 1.0 / (1.0 + math.exp(-slope * (z - centre)))
