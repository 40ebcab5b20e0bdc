"""Lexical evidence: which meaningful words two texts share, weighted by how rare the words are."""

from __future__ import annotations

import math
from collections.abc import Iterable

from hoshin.domain.text import MISSION_FILLER, stems

__all__ = ["IdfTable", "stem_sets"]


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
    """The content-word stems of each text, as sets (what an IdfTable counts)."""
    return [set(stems(t, MISSION_FILLER)) for t in texts]
