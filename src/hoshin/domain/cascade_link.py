"""Parent suggestions for goals: which goal one level up does each goal serve?

A goal's score against a candidate parent mixes three kinds of evidence:
- meaning: the cosine of the two texts, averaged over the texts as written and the texts without
  the words nearly every goal in the file shares (those blur the differences);
- words: the share of the goal's rarer words that the parent also uses;
- unit: when the input names units, a small bonus for a parent of the goal's own unit (a key
  result usually serves a goal of its own unit).
The mix weights were chosen on goal hierarchies in development and are data here, not magic.

A tree of 10,000 goals has millions of (goal, candidate parent) pairs, so the scores are handed
out one block of goals at a time (`LevelLinks.blocks`): memory stays a few megabytes whatever the
size of the tree, and callers that only need each goal's best parent never hold the whole matrix.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from hoshin.domain.lexical import IdfTable

__all__ = ["LevelLinks", "LinkWeights", "WordCoverage", "level_links", "link_scores"]

# Score cells computed at once: 2 million float32 cells are 8 MB per array.
BLOCK_CELLS = 2_000_000


@dataclass(frozen=True)
class LinkWeights:
    meaning: float = 1.0
    words: float = 0.3
    same_unit: float = 0.1


def link_scores(
    child_raw: np.ndarray,
    parent_raw: np.ndarray,
    child_stripped: np.ndarray,
    parent_stripped: np.ndarray,
    word_coverage: np.ndarray,
    weights: LinkWeights = LinkWeights(),
) -> np.ndarray:
    """(children, parents) matrix of link scores; higher is a better parent."""
    meaning = 0.5 * (child_raw @ parent_raw.T + child_stripped @ parent_stripped.T)
    scores: np.ndarray = weights.meaning * meaning + weights.words * word_coverage
    return scores


class WordCoverage:
    """The share of each child's word weight (idf over children and parents) that a parent also
    holds, the same numbers as `hoshin.domain.lexical.coverage_matrix`, computed for a block of
    children at a time from word-stem sets the caller has already made."""

    def __init__(self, child_words: Sequence[set[str]], parent_words: Sequence[set[str]]) -> None:
        from scipy.sparse import csr_matrix

        docs = list(child_words) + list(parent_words)
        idf = IdfTable(docs)
        vocabulary: dict[str, int] = {}
        for doc in docs:
            for s in doc:
                vocabulary.setdefault(s, len(vocabulary))

        def matrix(sets: Sequence[set[str]], weighted: bool) -> csr_matrix:
            rows, cols, vals = [], [], []
            for r, doc in enumerate(sets):
                for s in doc:
                    rows.append(r)
                    cols.append(vocabulary[s])
                    vals.append(idf[s] if weighted else 1.0)
            return csr_matrix((vals, (rows, cols)), shape=(len(sets), len(vocabulary)), dtype=np.float64)

        self._weights = matrix(child_words, weighted=True)
        self._presence = matrix(parent_words, weighted=False).T.tocsc()
        self._totals = np.asarray(self._weights.sum(axis=1)).ravel()

    def rows(self, start: int, stop: int) -> np.ndarray:
        """(stop - start, parents) float32 coverage of children start..stop-1."""
        shared = (self._weights[start:stop] @ self._presence).toarray()
        totals = self._totals[start:stop]
        np.divide(shared, totals[:, None], out=shared, where=totals[:, None] > 0)
        shared[totals <= 0] = 0.0
        coverage: np.ndarray = shared.astype(np.float32)
        return coverage


@dataclass(frozen=True)
class LevelLinks:
    """The goals of one level and their candidate parents (every goal one level up)."""

    level: int
    children: np.ndarray  # indexes of this level's goals, in input order
    parents: np.ndarray  # indexes of the goals one level up, in input order (may be empty)
    raw: np.ndarray
    stripped: np.ndarray
    coverage: WordCoverage | None
    units: np.ndarray | None  # a unit code per goal (0: no unit), when units count
    weights: LinkWeights

    def blocks(self, cells: int = BLOCK_CELLS) -> Iterator[tuple[int, np.ndarray]]:
        """(offset, scores) per block of children: scores[r, c] is child `children[offset + r]`
        against parent `parents[c]`. Nothing when the level has no candidate parents."""
        if not len(self.parents) or self.coverage is None:
            return
        size = max(1, cells // len(self.parents))
        p = self.parents
        for start in range(0, len(self.children), size):
            c = self.children[start : start + size]
            scores = link_scores(
                self.raw[c],
                self.raw[p],
                self.stripped[c],
                self.stripped[p],
                self.coverage.rows(start, start + len(c)),
                self.weights,
            )
            if self.units is not None:
                mine = self.units[c][:, None]
                same = (mine == self.units[p][None, :]) & (mine != 0)
                scores = scores + self.weights.same_unit * same.astype(np.float32)
            yield start, scores


def level_links(
    levels: Sequence[int],
    raw: np.ndarray,
    stripped: np.ndarray,
    word_sets: Sequence[set[str]],
    units: Sequence[str] | None = None,
    weights: LinkWeights = LinkWeights(),
) -> list[LevelLinks]:
    """One entry per level below the top that holds goals, lowest level number first.

    `raw` and `stripped` are the goals' unit vectors (as written, and without the words most goals
    share), `word_sets` their content-word stems; with `units` (blank: none) a parent of the goal's
    own unit gets the same-unit bonus.
    """
    by_level: dict[int, list[int]] = {}
    for i, level in enumerate(levels):
        by_level.setdefault(level, []).append(i)
    codes = None
    if units is not None and any(units):
        code_of: dict[str, int] = {"": 0}
        codes = np.array([code_of.setdefault(u, len(code_of)) for u in units], dtype=np.int64)
    out = []
    for level in sorted(by_level):
        if level == 1:
            continue
        children = np.array(by_level[level], dtype=np.int64)
        parents = np.array(by_level.get(level - 1, []), dtype=np.int64)
        coverage = (
            WordCoverage([word_sets[i] for i in children], [word_sets[j] for j in parents])
            if len(parents)
            else None
        )
        out.append(LevelLinks(level, children, parents, raw, stripped, coverage, codes, weights))
    return out
