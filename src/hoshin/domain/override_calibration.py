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

from hoshin.domain.quantised import Vectors, row_products

__all__ = ["CloseOverrides", "Cuts", "OverrideVote", "VoteResult", "fit_cuts", "tier_codes_for", "tier_for"]

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
        codes = np.array([TIER_ORDER.index(t) for t in engine_tiers], dtype=np.int8)
        own = np.array([-1 if j is None else j for j in exclude], dtype=np.int64) if len(exclude) else None
        won, neighbour = self.apply_codes(vectors, codes, own)
        return [
            VoteResult(TIER_ORDER[w], bool(w != c), int(j) if j >= 0 else None)
            for w, c, j in zip(won.tolist(), codes.tolist(), neighbour.tolist(), strict=True)
        ]

    def apply_codes(
        self, vectors: np.ndarray, engine: np.ndarray, exclude: np.ndarray | None = None, chunk: int = 65_536
    ) -> tuple[np.ndarray, np.ndarray]:
        """`apply` on arrays, for a million ideas at once: `engine` holds tier codes (indexes into
        TIER_ORDER), `exclude` each row's own override index or -1. Returns the winning codes and,
        where the tier changed, the strongest override that voted for the winner (else -1)."""
        return self.vote_on(engine, self.close_rows(vectors, exclude, chunk))

    def close_rows(
        self, vectors: Vectors, exclude: np.ndarray | None = None, chunk: int = 65_536
    ) -> CloseOverrides:
        """Who may vote on which idea: the rows some override is at least `min_similarity` close to
        (own override left out), each with its k nearest overrides. It depends on the ideas and the
        overrides only, so a re-score after a corridor change may keep it and pass it to `vote_on`,
        skipping the product with every idea and the search for the nearest."""
        n, m = len(vectors), len(self.tiers)
        k = min(self.k, m)
        if m == 0 or n == 0:
            return CloseOverrides(
                np.zeros(0, np.int64), np.zeros((0, k), np.int32), np.zeros((0, k), np.float32)
            )
        found_rows, found_index, found_sims = [], [], []
        for start, sims in row_products(vectors, self.vectors, chunk):
            if exclude is not None:
                own = np.asarray(exclude[start : start + chunk])
                mine = np.flatnonzero(own >= 0)
                sims[mine, own[mine]] = -np.inf
            rows = np.flatnonzero((sims >= self.min_similarity).any(axis=1))
            close = sims[rows]
            if k < m:
                nearest = np.argpartition(-close, k - 1, axis=1)[:, :k]
            else:
                nearest = np.broadcast_to(np.arange(m), (len(rows), m))
            near_sims = np.take_along_axis(close, nearest, axis=1)
            near_sims[near_sims < self.min_similarity] = -np.inf  # among the nearest, yet too far to vote
            found_rows.append(start + rows)
            found_index.append(nearest.astype(np.int32))
            found_sims.append(near_sims.astype(np.float32))
        return CloseOverrides(
            np.concatenate(found_rows), np.concatenate(found_index), np.concatenate(found_sims)
        )

    def vote_on(self, engine: np.ndarray, close: CloseOverrides) -> tuple[np.ndarray, np.ndarray]:
        """`apply_codes` from `close_rows` output (`engine`: every idea's tier code)."""
        engine = np.asarray(engine, dtype=np.int8)
        won = engine.copy()
        neighbour = np.full(len(engine), -1, dtype=np.int64)
        if not len(close.rows):
            return won, neighbour
        voter_tier = np.array([TIER_ORDER.index(t) for t in self.tiers], dtype=np.int8)
        own = engine[close.rows]
        counted = np.isfinite(close.sims)
        tiers = voter_tier[close.index]
        weights = np.zeros((len(own), len(TIER_ORDER)), dtype=np.float64)
        for code in range(len(TIER_ORDER)):
            weights[:, code] = np.where(counted & (tiers == code), close.sims, 0.0).sum(axis=1)
        at = np.arange(len(own))
        weights[at, own] += self.engine_weight
        # Ties go to the engine's tier, then to the order core > adjacent > off (argmax takes the
        # first of equals, so the engine's tier is looked at before the others).
        engine_wins = weights[at, own] == weights.max(axis=1)
        winner = np.where(engine_wins, own, weights.argmax(axis=1)).astype(np.int8)
        # The strongest counted override of the winning tier names the reason.
        of_winner = counted & (tiers == winner[:, None])
        strongest = close.index[at, np.where(of_winner, close.sims, -np.inf).argmax(axis=1)]
        won[close.rows] = winner
        neighbour[close.rows] = np.where(winner != own, strongest, -1)
        return won, neighbour


@dataclass(frozen=True)
class CloseOverrides:
    """`OverrideVote.close_rows`: for each idea some override is close to (`rows`), its k nearest
    overrides (`index`) and their cosines (`sims`; -inf where one is too far to vote)."""

    rows: np.ndarray  # (c,) int64
    index: np.ndarray  # (c, k) int32
    sims: np.ndarray  # (c, k) float32


@dataclass(frozen=True)
class Cuts:
    """Score cut points: core at or above `core`, adjacent at or above `adjacent`, else off."""

    core: float = 0.7
    adjacent: float = 0.4


def tier_for(score: float, cuts: Cuts) -> str:
    if score >= cuts.core:
        return "core"
    return "adjacent" if score >= cuts.adjacent else "off"


def tier_codes_for(scores: np.ndarray, cuts: Cuts) -> np.ndarray:
    """`tier_for` on an array of scores, as int8 codes into TIER_ORDER."""
    scores = np.asarray(scores)
    return np.where(scores >= cuts.core, 0, np.where(scores >= cuts.adjacent, 1, 2)).astype(np.int8)


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
    # hits(hi, lo) = core reviews at or above hi + adjacent ones in [lo, hi) + off ones below lo,
    # from counts at each candidate: all pairs at once (400 reviewed ideas: 80,000 pairs, which a
    # loop took 0.4 s over, in every re-score).
    core_at_or_above = ((values[None, :] >= candidates[:, None]) & (rank == 0)).sum(axis=1)
    adjacent_at_or_above = ((values[None, :] >= candidates[:, None]) & (rank == 1)).sum(axis=1)
    off_below = ((values[None, :] < candidates[:, None]) & (rank == 2)).sum(axis=1)
    hi, lo = np.meshgrid(np.arange(len(candidates)), np.arange(len(candidates)), indexing="ij")
    hits = (
        core_at_or_above[hi] + adjacent_at_or_above[lo] - adjacent_at_or_above[hi] + off_below[lo]
    ).astype(np.float64)
    distance = np.abs(candidates[hi] - base.core) + np.abs(candidates[lo] - base.adjacent)
    allowed = candidates[lo] <= candidates[hi]
    hits[~allowed] = -1
    # Most hits; among those the pair closest to `base`; among exact ties the first in (hi, lo) order.
    best_hits = hits.max()
    distance = np.where(hits == best_hits, distance, np.inf)
    h, low = np.unravel_index(int(np.argmin(distance)), distance.shape)
    return Cuts(float(candidates[h]), float(candidates[low]))
