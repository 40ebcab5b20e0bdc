"""Lexical evidence: which meaningful words two texts share, weighted by how rare the words are."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from hoshin.domain.text import MISSION_FILLER, stems

__all__ = ["IdfTable", "coverage_matrix", "stem_sets"]


class IdfTable:
    """Inverse document frequency of word stems over a set of texts (rare words weigh more)."""

    def __init__(self, documents: Iterable[set[str]]) -> None:
        counts: dict[str, int] = {}
        total = 0
        for doc in documents:
            total += 1
            for s in doc:
                counts[s] = counts.get(s, 0) + 1
        self.total = total
        self._idf = {s: math.log((total + 1) / (c + 0.5)) for s, c in counts.items()}
        self._unseen = math.log((total + 1) / 0.5)

    def __getitem__(self, stem: str) -> float:
        return self._idf.get(stem, self._unseen)


def stem_sets(texts: Iterable[str]) -> list[set[str]]:
    return [set(stems(t, MISSION_FILLER)) for t in texts]


def coverage_matrix(queries: list[str], targets: list[str], extra_docs: Iterable[str] = ()) -> np.ndarray:
    """(len(queries), len(targets)): share of each query's word weight that the target also holds.

    Computed as one sparse product (query word weights x target word presence), so 10,000 goals
    against 2,000 parents is a fraction of a second rather than 20 million Python steps.
    """
    from scipy.sparse import csr_matrix

    q_sets = stem_sets(queries)
    t_sets = stem_sets(targets)
    out = np.zeros((len(q_sets), len(t_sets)), dtype=np.float32)
    if not q_sets or not t_sets:
        return out
    idf = IdfTable(q_sets + t_sets + stem_sets(extra_docs))
    vocabulary: dict[str, int] = {}
    for doc in q_sets + t_sets:
        for s in doc:
            vocabulary.setdefault(s, len(vocabulary))

    def matrix(docs: list[set[str]], weighted: bool) -> csr_matrix:
        rows, cols, vals = [], [], []
        for r, doc in enumerate(docs):
            for s in doc:
                rows.append(r)
                cols.append(vocabulary[s])
                vals.append(idf[s] if weighted else 1.0)
        return csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocabulary)), dtype=np.float64)

    weights = matrix(q_sets, weighted=True)
    presence = matrix(t_sets, weighted=False)
    totals = np.asarray(weights.sum(axis=1)).ravel()
    shared = (weights @ presence.T).toarray()
    np.divide(shared, totals[:, None], out=shared, where=totals[:, None] > 0)
    shared[totals <= 0] = 0.0
    coverage: np.ndarray = shared.astype(np.float32)
    return coverage
