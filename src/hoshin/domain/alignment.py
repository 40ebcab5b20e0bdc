"""Alignment scoring: texts (as vectors) against a mission model (as vectors) -> calibrated scores.

Pure numpy; the service layer embeds the texts and passes vectors in. One kernel, `align_stored`,
does steps 1-6 given each text's hubness; `align` works the hubness out and calls it.

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
from hoshin.domain.part_of import PartEvidence
from hoshin.domain.quantised import QuantisedVectors, Vectors, row_products, rows_of
from hoshin.domain.siblings import NO_SIBLINGS, SiblingReading

__all__ = ["AlignmentResult", "EngineParams", "MissionVectors", "align", "align_stored", "calibrated_rows"]


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
    # Nomenclature entries tied to a product the mission names (domain/part_of.py): an idea naming
    # one of their parts is core at least. Found once per mission model, never per idea.
    parts: tuple[PartEvidence, ...] = ()
    # WordNet's other kinds of the product the mission names (domain/siblings.py): an idea about
    # one is adjacent at most. Found once per mission model, never per idea.
    siblings: SiblingReading = NO_SIBLINGS


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


def _calibrated(
    items: Vectors,
    hub: np.ndarray,
    targets: np.ndarray,
    background: np.ndarray,
    bg_hub: np.ndarray,
    weight: float,
    keep: bool,
    chunk: int = 65_536,
) -> tuple[np.ndarray, np.ndarray]:
    """Steps 1-2: z of each (item, target) pair (float32, one pass over the items for all targets)
    and of each (background, target) pair, each target against its own background distribution.
    With `keep` the background's side is worked out once per targets and background (_NullSide)."""
    side = (_null_side if keep else _NullSide.of)(targets, background, bg_hub, weight)
    mean32, std32 = side.mean[:, 0].astype(np.float32), side.std[:, 0].astype(np.float32)
    z = np.empty((len(items), len(targets)), dtype=np.float32)
    for start, block in row_products(items, targets, chunk):
        block -= weight * hub[start : start + len(block), None]
        block -= mean32
        block /= std32
        z[start : start + len(block)] = block
    return z, side.null_z


def _background_hub(background: np.ndarray, params: EngineParams, given: np.ndarray | None) -> np.ndarray:
    return given if given is not None else hubness(background, background, params.hub_k, exclude_self=True)


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
    hub = hubness(items, background, params.hub_k)
    return align_stored(items, hub, mission, background, params, use_feedback, centre, background_hub)


def align_stored(
    items: Vectors,
    item_hub: np.ndarray,
    mission: MissionVectors,
    background: np.ndarray,
    params: EngineParams = EngineParams(),
    use_feedback: bool = True,
    centre: np.ndarray | None = None,
    background_hub: np.ndarray | None = None,
) -> AlignmentResult:
    """`align` given each item's hubness: the one implementation of steps 1-6 (`align` computes
    the hubness and calls it).

    `item_hub` is `calibration.hubness(items, background, params.hub_k)`: it depends on the text and
    the background only, never on the mission, so a re-scoring keeps it from the first time. It makes
    two passes over the items (mission and exclusions share one product) and keeps the n x targets
    matrices in float32. `centre` and `background_hub` mean what they mean for `align`. `items` may
    be int8 codes (domain/quantised.py): then z moves by about 1e-2 at most, which the dev corridor
    data shows changes no tier (eval/eval_int8_rescore.py).
    """
    n = len(items)
    if len(item_hub) != n:
        raise ValueError(f"{len(item_hub)} hubness values for {n} items")
    if n == 0:
        empty = np.zeros(0)
        return AlignmentResult(empty, empty.astype(int), empty, empty, empty.astype(int))
    if not isinstance(items, QuantisedVectors):
        items = np.asarray(items, dtype=np.float32)
    hub = np.asarray(item_hub, dtype=np.float32)
    bg_hub = _background_hub(background, params, background_hub)
    keep = background_hub is not None  # a kept calibration: the background's side can be kept too
    t = len(mission.vectors)
    targets = np.concatenate([mission.vectors, mission.exclusion_vectors]).astype(np.float32)
    all_z, all_null = _calibrated(items, hub, targets, background, bg_hub, params.hub_weight, keep)
    z, ez = all_z[:, :t], all_z[:, t:]
    adjusted = z - mission.penalties.astype(np.float32)[None, :]
    best = adjusted.argmax(axis=1)
    rows = np.arange(n)
    item_score = adjusted[rows, best].astype(np.float64)
    null_score = (all_null[:, :t] - mission.penalties[None, :]).max(axis=1)
    if centre is None and use_feedback and n >= params.feedback_min_batch:
        k = min(params.feedback_k, n)
        top = np.argpartition(-item_score, k - 1)[:k]  # the same set argsort would give
        top = top[np.argsort(-item_score[top], kind="stable")]
        centre = rows_of(items, top).mean(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-9)
    if centre is not None:
        fz, null_fz = _calibrated(items, hub, centre[None, :], background, bg_hub, params.hub_weight, keep)
        item_score = item_score + params.feedback_weight * fz[:, 0]
        null_score = null_score + params.feedback_weight * null_fz[:, 0]
    final = zscore_against(item_score, null_score)
    if ez.shape[1]:
        exclusion = ez.argmax(axis=1)
        exclusion_z = ez[rows, exclusion].astype(np.float64)
    else:
        exclusion = np.full(n, -1)
        exclusion_z = np.full(n, -np.inf)
    return AlignmentResult(final, best, z[rows, best].astype(np.float64), exclusion_z, exclusion, centre)


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
    bg_hub = _background_hub(background, params, background_hub)
    keep = background_hub is not None
    z, _ = _calibrated(
        np.asarray(items, dtype=np.float32),
        hub,
        np.asarray(targets, dtype=np.float32),
        background,
        bg_hub,
        params.hub_weight,
        keep,
    )
    return z.astype(np.float64)
