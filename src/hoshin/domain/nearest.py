"""Nearest stored ideas: a compact in-memory index (near-duplicate grouping: hoshin.domain.twins).

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

from hoshin.domain.alignment import align_stored  # re-exported: the corridor re-scores through it here
from hoshin.domain.quantised import QuantisedVectors, quantise

__all__ = ["NearestIndex", "QuantisedVectors", "align_stored", "quantise"]

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
