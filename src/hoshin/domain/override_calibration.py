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
        where the tier changed, the strongest override that voted for the winner (else -1).

        Only the rows some override is `min_similarity` close to can change, and they are few, so
        the vote itself runs on those rows alone; the cost is one product with the overrides."""
        rows, sims = self.close_rows(vectors, exclude, chunk)
        return self.vote_on(engine, rows, sims)

    def close_rows(
        self, vectors: np.ndarray, exclude: np.ndarray | None = None, chunk: int = 65_536
    ) -> tuple[np.ndarray, np.ndarray]:
        """The rows some override is at least `min_similarity` close to (own override left out),
        and their similarities to every override: all the vote needs. A caller that votes again on
        the same ideas and overrides (a re-score after a corridor change) may keep these and pass
        them to `vote_on`, skipping the one product with all the ideas."""
        n = len(vectors)
        m = len(self.tiers)
        if m == 0 or n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros((0, m), dtype=np.float32)
        voters = np.asarray(self.vectors, dtype=np.float32)
        vectors = np.asarray(vectors, dtype=np.float32)
        found_rows, found_sims = [], []
        for start in range(0, n, chunk):
            sims = vectors[start : start + chunk] @ voters.T
            if exclude is not None:
                own = np.asarray(exclude[start : start + chunk])
                mine = np.flatnonzero(own >= 0)
                sims[mine, own[mine]] = -np.inf
            rows = np.flatnonzero((sims >= self.min_similarity).any(axis=1))
            found_rows.append(start + rows)
            found_sims.append(sims[rows])
        return np.concatenate(found_rows), np.concatenate(found_sims)

    def vote_on(
        self, engine: np.ndarray, rows: np.ndarray, sims: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """`apply_codes` from kept `close_rows` output (`engine`: every idea's tier code)."""
        engine = np.asarray(engine, dtype=np.int8)
        won = engine.copy()
        neighbour = np.full(len(engine), -1, dtype=np.int64)
        if len(rows):
            voter_tier = np.array([TIER_ORDER.index(t) for t in self.tiers], dtype=np.int8)
            won[rows], neighbour[rows] = self._vote(sims, engine[rows], voter_tier)
        return won, neighbour

    def _vote(
        self, sims: np.ndarray, engine: np.ndarray, voter_tier: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The vote for rows that have at least one close override (see `apply_codes`)."""
        k = min(self.k, sims.shape[1])
        counted = sims >= self.min_similarity
        if k < sims.shape[1]:
            nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            in_top = np.zeros_like(counted)
            np.put_along_axis(in_top, nearest, True, axis=1)
            counted &= in_top
        held = np.where(counted, sims, 0.0)
        weights = np.zeros((len(sims), len(TIER_ORDER)), dtype=np.float64)
        for code in range(len(TIER_ORDER)):
            weights[:, code] = held[:, voter_tier == code].sum(axis=1)
        rows = np.arange(len(sims))
        weights[rows, engine] += self.engine_weight
        # Ties go to the engine's tier, then to the order core > adjacent > off (argmax takes the
        # first of equals, so the engine's tier is looked at before the others).
        best = weights.max(axis=1)
        engine_wins = weights[rows, engine] == best
        won = np.where(engine_wins, engine, weights.argmax(axis=1)).astype(np.int8)
        # The strongest counted override of the winning tier names the reason.
        of_winner = counted & (voter_tier[None, :] == won[:, None])
        strongest = np.where(of_winner, sims, -np.inf).argmax(axis=1)
        neighbour = np.where(won != engine, strongest, -1)
        return won, neighbour


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
