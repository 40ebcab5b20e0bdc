"""Learning from reviewer overrides, so that ideas like an overridden one land better next time.

Two ways an organisation's overrides adjust the engine's tiers (pure numpy, no I/O):

- `OverrideVote`: the overridden ideas nearest to a new idea vote on its tier, each with its
  cosine as weight, against the engine's own tier (weight `engine_weight`). Only neighbours at
  least `min_similarity` close take part, so an idea unlike anything reviewed keeps the engine's
  tier. This follows the reviewers' local judgement ("spare parts for our own fridges are core").
- `fit_cuts`: the score cut points between tiers shifted to agree best with the overrides (a
  global correction: "this organisation is stricter than the shipped thresholds").

eval/eval_overrides.py measures both on held-back overrides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Cuts", "OverrideVote", "VoteResult", "fit_cuts", "tier_for"]

TIER_ORDER = ("core", "adjacent", "off")


@dataclass(frozen=True)
class VoteResult:
    tier: str
    changed: bool
    neighbour: int | None  # index of the strongest override that voted for the winning tier


@dataclass(frozen=True)
class OverrideVote:
    """Reviewer overrides (unit vectors and the tier the reviewer chose) as nearest-neighbour votes."""

    vectors: np.ndarray  # (m, d)
    tiers: tuple[str, ...]
    k: int = 5
    min_similarity: float = 0.45
    engine_weight: float = 0.75  # one override at least this close outweighs the engine

    def __post_init__(self) -> None:
        if len(self.vectors) != len(self.tiers):
            raise ValueError(f"{len(self.tiers)} tiers for {len(self.vectors)} override vectors")
        unknown = sorted(set(self.tiers) - set(TIER_ORDER))
        if unknown:
            raise ValueError(f"unknown tier {unknown[0]!r} in the overrides")

    def apply(
        self, vectors: np.ndarray, engine_tiers: Sequence[str], exclude: Sequence[int | None] = ()
    ) -> list[VoteResult]:
        """The tier of each row of `vectors` after the vote, in input order.

        `exclude[i]` is the index of an override to leave out for row i (the row's own override:
        an idea must not vote for itself).
        """
        n = len(engine_tiers)
        if len(self.tiers) == 0 or n == 0:
            return [VoteResult(t, False, None) for t in engine_tiers]
        sims = np.asarray(vectors, dtype=np.float32) @ np.asarray(self.vectors, dtype=np.float32).T
        for i, own in enumerate(exclude):
            if own is not None:
                sims[i, own] = -np.inf
        k = min(self.k, sims.shape[1])
        results = []
        for i in range(n):
            row = sims[i]
            nearest = np.argpartition(-row, k - 1)[:k] if k < len(row) else np.arange(len(row))
            weights = {t: 0.0 for t in TIER_ORDER}
            weights[engine_tiers[i]] += self.engine_weight
            strongest: dict[str, tuple[float, int]] = {}
            for j in nearest.tolist():
                sim = float(row[j])
                if sim < self.min_similarity:
                    continue
                tier = self.tiers[j]
                weights[tier] += sim
                if sim > strongest.get(tier, (-np.inf, -1))[0]:
                    strongest[tier] = (sim, j)
            # Ties go to the engine's tier, then to the order core > adjacent > off.
            winner = max(TIER_ORDER, key=lambda t: (weights[t], t == engine_tiers[i], -TIER_ORDER.index(t)))
            changed = winner != engine_tiers[i]
            results.append(VoteResult(winner, changed, strongest[winner][1] if changed else None))
        return results


@dataclass(frozen=True)
class Cuts:
    """Score cut points: core at or above `core`, adjacent at or above `adjacent`, else off."""

    core: float = 0.7
    adjacent: float = 0.4


def tier_for(score: float, cuts: Cuts) -> str:
    if score >= cuts.core:
        return "core"
    return "adjacent" if score >= cuts.adjacent else "off"


def fit_cuts(
    scores: Sequence[float], tiers: Sequence[str], base: Cuts = Cuts(), min_overrides: int = 5
) -> Cuts:
    """Cut points that agree with as many reviewer tiers as possible; `base` when there are too few.

    Candidates are the base cuts and midpoints between neighbouring override scores; among equally
    good pairs the one closest to `base` wins, so a handful of overrides moves the cuts little.
    """
    if len(scores) != len(tiers):
        raise ValueError(f"{len(tiers)} tiers for {len(scores)} scores")
    if len(scores) < min_overrides:
        return base
    values = np.asarray(scores, dtype=np.float64)
    rank = np.array([TIER_ORDER.index(t) for t in tiers])
    ordered = np.unique(values)
    candidates = np.unique(
        np.r_[
            (ordered[:-1] + ordered[1:]) / 2, ordered[0] - 1e-6, ordered[-1] + 1e-6, base.core, base.adjacent
        ]
    )
    best: tuple[int, float, Cuts] | None = None
    for hi in candidates:
        for lo in candidates[candidates <= hi]:
            predicted = np.where(values >= hi, 0, np.where(values >= lo, 1, 2))
            hits = int((predicted == rank).sum())
            distance = abs(hi - base.core) + abs(lo - base.adjacent)
            if best is None or (hits, -distance) > (best[0], -best[1]):
                best = (hits, distance, Cuts(float(hi), float(lo)))
    assert best is not None
    return best[2]
