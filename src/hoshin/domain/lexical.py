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
    """(len(queries), len(targets)): share of each query's word weight that the target also holds."""
    q_sets = stem_sets(queries)
    t_sets = stem_sets(targets)
    idf = IdfTable(q_sets + t_sets + stem_sets(extra_docs))
    out = np.zeros((len(q_sets), len(t_sets)), dtype=np.float32)
    for i, q in enumerate(q_sets):
        weight = sum(idf[s] for s in q)
        if weight <= 0:
            continue
        for j, t in enumerate(t_sets):
            shared = q & t
            if shared:
                out[i, j] = sum(idf[s] for s in shared) / weight
    return out
