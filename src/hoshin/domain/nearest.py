"""Nearest stored ideas: a compact in-memory index and near-duplicate grouping.

Vectors are kept as int8 codes with one float scale per vector (a quarter of float32: 1,000,000
ideas x 384 dimensions take 0.38 GB plus 4 MB of scales). A search over many vectors runs in two
passes: the sign bits of every vector (48 bytes each) pick a shortlist by Hamming distance, then
the int8 codes of the shortlist give the cosine and the final order. Near duplicates score far
above everything else, so the shortlist keeps them; `exact=True` skips the first pass.

Pure numpy; vectors in are unit rows (the embedder's output).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hoshin.domain.alignment import AlignmentResult, EngineParams, MissionVectors, align
from hoshin.domain.calibration import hubness, zscore_against
from hoshin.domain.quantised import QuantisedVectors, Vectors, quantise, row_products, rows_of

__all__ = ["NearestIndex", "QuantisedVectors", "align_stored", "duplicate_groups", "quantise"]

# Below this many vectors the exact pass over every code is already fast: no shortlist.
_SHORTLIST_FROM = 50_000
_CHUNK = 65_536


def _sign_bits(vectors: np.ndarray) -> np.ndarray:
    """The sign of every component, packed 8 to a byte, as (words, n): one row per 64-bit word.

    Word-major so that each XOR + popcount pass reads one contiguous row (several times faster
    than summing across a short last axis).
    """
    bits = np.packbits(vectors > 0, axis=1)
    pad = (-bits.shape[1]) % 8
    if pad:
        bits = np.pad(bits, ((0, 0), (0, pad)))
    return np.ascontiguousarray(np.ascontiguousarray(bits).view(np.uint64).T)


class NearestIndex:
    """Top-k cosine search over stored vectors, held as int8 codes (plus sign bits for large sets)."""

    def __init__(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        self.ids = list(ids)
        self.dim = vectors.shape[1] if vectors.ndim == 2 else 0
        self.quantised = quantise(vectors.reshape(len(ids), self.dim))
        self._bits = _sign_bits(vectors) if len(ids) >= _SHORTLIST_FROM else None

    @classmethod
    def from_codes(cls, ids: Sequence[str], codes: QuantisedVectors) -> NearestIndex:
        """An index over vectors already held as int8 codes (no float copy is made). The sign bits
        come from the codes: a component too small for a code of its own counts as not positive,
        which can only change the shortlist, never a score."""
        if len(ids) != len(codes):
            raise ValueError(f"{len(ids)} ids for {len(codes)} vectors")
        index = cls.__new__(cls)
        index.ids = list(ids)
        index.dim = codes.shape[1]
        index.quantised = codes
        index._bits = _sign_bits(codes.codes) if len(ids) >= _SHORTLIST_FROM else None
        return index

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        """Memory held by the vectors (codes, scales and sign bits)."""
        return self.quantised.nbytes + (int(self._bits.nbytes) if self._bits is not None else 0)

    def _cosines(self, query: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
        q = self.quantised
        if rows is not None:
            picked: np.ndarray = (q.codes[rows].astype(np.float32) @ query) * q.scales[rows]
            return picked
        out = np.empty(len(self), dtype=np.float32)
        for start in range(0, len(self), _CHUNK):
            block = q.codes[start : start + _CHUNK].astype(np.float32)
            out[start : start + _CHUNK] = (block @ query) * q.scales[start : start + _CHUNK]
        return out

    def _shortlist(self, query: np.ndarray, size: int) -> np.ndarray:
        assert self._bits is not None
        qbits = _sign_bits(query[None, :])[:, 0]
        distance = np.bitwise_count(self._bits[0] ^ qbits[0]).astype(np.uint16)
        for word, qword in zip(self._bits[1:], qbits[1:], strict=True):
            distance += np.bitwise_count(word ^ qword)
        if size >= len(distance):
            return np.arange(len(distance))
        # Distances are small integers: a histogram finds the cut faster than a partition.
        counts = np.cumsum(np.bincount(distance))
        cut = int(np.searchsorted(counts, size))
        inside = np.flatnonzero(distance < cut)
        on_cut = np.flatnonzero(distance == cut)[: size - len(inside)]  # the bin can be large
        return np.concatenate([inside, on_cut])

    def search(
        self, query: np.ndarray, k: int = 10, min_score: float | None = None, exact: bool = False
    ) -> list[tuple[str, float]]:
        """The k stored vectors closest to `query` as (id, cosine), best first (ties by id order).

        `min_score` drops matches below that cosine. `exact` scores every stored vector instead of
        a sign-bit shortlist (slower on large sets, same answer on small ones).
        """
        query = np.asarray(query, dtype=np.float32).reshape(-1)
        if query.shape[0] != self.dim:
            raise ValueError(f"query has {query.shape[0]} dimensions, the index {self.dim}")
        if k <= 0 or len(self) == 0:
            return []
        rows: np.ndarray | None = None
        if self._bits is not None and not exact:
            rows = self._shortlist(query, max(1_000, 50 * k))
        scores = self._cosines(query, rows)
        candidates = np.arange(len(scores))
        if k < len(scores):
            candidates = np.argpartition(-scores, k - 1)[:k]
        order = candidates[np.lexsort((candidates, -scores[candidates]))]
        found = []
        for i in order:
            score = float(scores[i])
            if min_score is not None and score < min_score:
                break
            found.append((self.ids[int(rows[i]) if rows is not None else int(i)], score))
        return found


def duplicate_groups(ids: Sequence[str], vectors: np.ndarray, threshold: float) -> list[list[str]]:
    """Groups of ids whose vectors are linked by cosine >= threshold (transitively), largest first.

    Single ids are not groups. Within a group, ids keep their input order. Works in row chunks,
    so the full n x n similarity matrix is never held.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    n = len(ids)
    if n != len(vectors):
        raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    chunk = 2_048
    for start in range(0, n, chunk):
        sims = vectors[start : start + chunk] @ vectors.T
        rows, cols = np.nonzero(sims >= threshold)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            a, b = root(start + r), root(c)
            if a != b and start + r < c:
                parent[max(a, b)] = min(a, b)
    members: dict[int, list[str]] = {}
    for i in range(n):
        members.setdefault(root(i), []).append(ids[i])
    # A root is the smallest index of its group, so sorting on it keeps the input order.
    ordered = sorted((r for r, g in members.items() if len(g) > 1), key=lambda r: (-len(members[r]), r))
    return [members[r] for r in ordered]


# ---- re-scoring stored vectors ------------------------------------------------------------------
# A text's hubness (its mean cosine to its nearest background texts) depends on the text and the
# background only, never on the mission. Computing it is most of the cost of `align` (an n x 1235
# product and a partition); a corridor change re-scores with the hubness kept from the first time.


def _calibrated(
    items: Vectors,
    hub: np.ndarray,
    targets: np.ndarray,
    background: np.ndarray,
    bg_hub: np.ndarray,
    weight: float,
    chunk: int = 65_536,
) -> tuple[np.ndarray, np.ndarray]:
    """`alignment._theme_z` in float32 and in chunks: one pass over the items for all targets."""
    null = background @ targets.T - weight * bg_hub[:, None]
    mean = null.mean(axis=0, dtype=np.float64)
    std = np.maximum(null.std(axis=0, dtype=np.float64), 1e-6)
    null_z = (null - mean) / std
    z = np.empty((len(items), len(targets)), dtype=np.float32)
    mean32, std32 = mean.astype(np.float32), std.astype(np.float32)
    for start, block in row_products(items, targets, chunk):
        block -= weight * hub[start : start + len(block), None]
        block -= mean32
        block /= std32
        z[start : start + len(block)] = block
    return z, null_z


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
    """The same result as `domain.alignment.align` (z within 1e-4), given each item's hubness.

    `item_hub` is `calibration.hubness(items, background, params.hub_k)`. Besides skipping the
    hubness, it makes two passes over the items instead of three (mission and exclusions share one
    product) and keeps the n x targets matrices in float32. `centre` and `background_hub` mean what
    they mean for `align`. `items` may be int8 codes (domain/quantised.py): then z moves by about
    1e-2 at most, which the dev corridor data shows changes no tier (eval/eval_int8_rescore.py).
    """
    n = len(items)
    if len(item_hub) != n:
        raise ValueError(f"{len(item_hub)} hubness values for {n} items")
    if n == 0:
        return align(rows_of(items, np.arange(0)), mission, background, params, use_feedback)
    if not isinstance(items, QuantisedVectors):
        items = np.asarray(items, dtype=np.float32)
    hub = np.asarray(item_hub, dtype=np.float32)
    bg_hub = (
        background_hub
        if background_hub is not None
        else hubness(background, background, params.hub_k, exclude_self=True)
    )
    t = len(mission.vectors)
    targets = np.concatenate([mission.vectors, mission.exclusion_vectors]).astype(np.float32)
    all_z, all_null = _calibrated(items, hub, targets, background, bg_hub, params.hub_weight)
    z, ez = all_z[:, :t], all_z[:, t:]
    penalties = mission.penalties.astype(np.float32)
    adjusted = z - penalties[None, :]
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
        fz, null_fz = _calibrated(items, hub, centre[None, :], background, bg_hub, params.hub_weight)
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
