"""Alignment scoring: texts (as vectors) against a mission model (as vectors) -> calibrated scores.

Pure numpy; the service layer embeds the texts and passes vectors in.

How a text is scored, in order:
1. its cosine to every mission vector (the whole statement, each theme, each focus area), minus a
   share of its hubness (see calibration.py);
2. each of those in standard deviations above the same measure over the background corpus;
3. the best of them, themes extracted automatically counting a little less than the whole
   statement or a focus area a person wrote (they are fragments, so noisier);
4. with a batch of texts, a second look: the texts that scored best define what "on mission"
   looks like in this batch, and closeness to them is added (pseudo-relevance feedback);
5. the sum is calibrated once more against the background run through steps 1-4, so the final z
   has the same meaning with or without step 4;
6. exclusions are scored the same way; a text closer to an exclusion than to the mission is off.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoshin.domain.calibration import hubness, null_spread, zscore_against

__all__ = ["AlignmentResult", "EngineParams", "MissionVectors", "align", "calibrated_rows"]


@dataclass(frozen=True)
class EngineParams:
    hub_weight: float = 0.5  # share of hubness subtracted from every similarity
    hub_k: int = 10  # background neighbours that define hubness
    # z a fragment-theme must exceed the whole mission by to win (docs/calibration.md: 1.0 measured)
    theme_penalty: float = 0.5
    feedback_k: int = 4  # best texts of a batch that define its on-mission centre
    feedback_weight: float = 1.0
    feedback_min_batch: int = 10  # below this a batch is too small to learn from


@dataclass(frozen=True)
class MissionVectors:
    """The mission model, embedded: row 0 is the whole statement, then themes and focus areas."""

    names: tuple[str, ...]
    texts: tuple[str, ...]
    vectors: np.ndarray  # (t, d)
    penalties: np.ndarray  # (t,) subtracted from each row's z before taking the best
    exclusion_names: tuple[str, ...]
    exclusion_vectors: np.ndarray  # (e, d), may be empty


@dataclass(frozen=True)
class AlignmentResult:
    z: np.ndarray  # (n,) calibrated score of each text
    best: np.ndarray  # (n,) index into MissionVectors.names of the row that served it best
    best_z: np.ndarray  # (n,) that row's own z (before feedback)
    exclusion_z: np.ndarray  # (n,) best z against any exclusion (-inf when there are none)
    exclusion: np.ndarray  # (n,) index of that exclusion (-1 when none)
    # The feedback centre step 4 used (a unit vector), or None when the batch was too small for it.
    # Passing it back to `align` scores further texts as if they had been part of this batch.
    centre: np.ndarray | None = None


def _theme_z(
    vectors: np.ndarray,
    hub: np.ndarray,
    targets: np.ndarray,
    null_vectors: np.ndarray,
    null_hub: np.ndarray,
    weight: float,
    keep: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """z of each (text, target) pair and of each (background, target) pair, against the background.
    With `keep` the background's side is worked out once per targets and background (_NullSide)."""
    sims = vectors @ targets.T - weight * hub[:, None]
    if keep:
        side = _null_side(targets, null_vectors, null_hub, weight)
        return side.z(sims), side.null_z
    null = null_vectors @ targets.T - weight * null_hub[:, None]
    # Calibrate each target column against its own background distribution.
    z = zscore_against(sims.T, null.T).T
    null_z = zscore_against(null.T, null.T).T
    return z, null_z


@dataclass(frozen=True)
class _NullSide:
    """The background's half of step 2 for one set of targets: each target's mean and spread over
    the background, and the background's own z. It depends on neither the texts nor the batch."""

    mean: np.ndarray  # (t, 1)
    std: np.ndarray  # (t, 1), floored (calibration.null_spread)
    null_z: np.ndarray  # (m, t)

    @staticmethod
    def of(targets: np.ndarray, null_vectors: np.ndarray, null_hub: np.ndarray, weight: float) -> _NullSide:
        null = null_vectors @ targets.T - weight * null_hub[:, None]
        t = null.shape[1]
        if null.shape[0] == 0:  # no background at all: values stay as they are (zscore_against)
            return _NullSide(np.zeros((t, 1)), np.ones((t, 1)), null.astype(np.float64))
        mean, std = null_spread(null.T)
        return _NullSide(mean, std, ((null.T - mean) / std).T)

    def z(self, sims: np.ndarray) -> np.ndarray:
        """`sims` (n, t) in standard deviations of each target's background: zscore_against's
        arithmetic on the same arrays, so the result is the same to the last bit."""
        z: np.ndarray = ((sims.T - self.mean) / self.std).T
        return z


# Arrivals score one text at a time against the same mission: the background's side (a product of
# the ~1,200 background vectors with every mission row, and their spread) was most of each call.
_KEPT_SIDES = 32
_sides: OrderedDict[tuple[Any, ...], tuple[np.ndarray, np.ndarray, _NullSide]] = OrderedDict()
_sides_guard = threading.Lock()


def _null_side(
    targets: np.ndarray, null_vectors: np.ndarray, null_hub: np.ndarray, weight: float
) -> _NullSide:
    """`_NullSide.of`, kept for the last few (targets, background) pairs. The background arrays are
    held by the entry, so their ids cannot be reused while it exists; targets are keyed by value."""
    key = (id(null_vectors), id(null_hub), weight, targets.shape, targets.dtype.str, targets.tobytes())
    with _sides_guard:
        kept = _sides.get(key)
        if kept is not None and kept[0] is null_vectors and kept[1] is null_hub:
            _sides.move_to_end(key)
            return kept[2]
    side = _NullSide.of(targets, null_vectors, null_hub, weight)
    for shared in (side.mean, side.std, side.null_z):
        shared.setflags(write=False)  # every later call reads these arrays: none may change them
    with _sides_guard:
        _sides[key] = (null_vectors, null_hub, side)
        while len(_sides) > _KEPT_SIDES:
            _sides.popitem(last=False)
    return side


def align(
    items: np.ndarray,
    mission: MissionVectors,
    background: np.ndarray,
    params: EngineParams = EngineParams(),
    use_feedback: bool = True,
    background_hub: np.ndarray | None = None,
    centre: np.ndarray | None = None,
) -> AlignmentResult:
    """Calibrated alignment of every row of `items` (unit vectors) with the mission.

    `background_hub` is the background's own hubness; it never changes for one background, so
    callers that score often pass it in rather than have it recomputed on every call.
    `centre` is the feedback centre of an earlier batch (its result's `centre`): given, step 4 uses
    it instead of this batch's best texts, so a text scored alone gets the z it had in that batch.
    """
    n = len(items)
    if n == 0:
        empty = np.zeros(0)
        return AlignmentResult(empty, empty.astype(int), empty, empty, empty.astype(int))
    hub = hubness(items, background, params.hub_k)
    bg_hub = (
        background_hub
        if background_hub is not None
        else hubness(background, background, params.hub_k, exclude_self=True)
    )

    keep = background_hub is not None  # a kept calibration: the background's side can be kept too
    z, null_z = _theme_z(items, hub, mission.vectors, background, bg_hub, params.hub_weight, keep)
    adjusted = z - mission.penalties[None, :]
    best = adjusted.argmax(axis=1)
    item_score = adjusted[np.arange(n), best]
    null_score = (null_z - mission.penalties[None, :]).max(axis=1)

    if centre is None and use_feedback and n >= params.feedback_min_batch:
        top = np.argsort(-item_score)[: params.feedback_k]
        centre = items[top].mean(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-9)
    if centre is not None:
        fz, null_fz = _theme_z(items, hub, centre[None, :], background, bg_hub, params.hub_weight, keep)
        item_score = item_score + params.feedback_weight * fz[:, 0]
        null_score = null_score + params.feedback_weight * null_fz[:, 0]

    final = zscore_against(item_score, null_score)

    if len(mission.exclusion_vectors):
        ez, _ = _theme_z(items, hub, mission.exclusion_vectors, background, bg_hub, params.hub_weight, keep)
        exclusion = ez.argmax(axis=1)
        exclusion_z = ez[np.arange(n), exclusion]
    else:
        exclusion = np.full(n, -1)
        exclusion_z = np.full(n, -np.inf)
    return AlignmentResult(
        z=final,
        best=best,
        best_z=z[np.arange(n), best],
        exclusion_z=exclusion_z,
        exclusion=exclusion,
        centre=centre,
    )


def calibrated_rows(
    items: np.ndarray,
    targets: np.ndarray,
    background: np.ndarray,
    params: EngineParams = EngineParams(),
    background_hub: np.ndarray | None = None,
) -> np.ndarray:
    """(items, targets) z of every item against every target, each target calibrated on its own
    background distribution (steps 1-2 of `align`, before any best-of or feedback)."""
    if len(items) == 0:
        return np.zeros((0, len(targets)))
    hub = hubness(items, background, params.hub_k)
    bg_hub = (
        background_hub
        if background_hub is not None
        else hubness(background, background, params.hub_k, exclude_self=True)
    )
    z, _ = _theme_z(items, hub, targets, background, bg_hub, params.hub_weight, background_hub is not None)
    return z
