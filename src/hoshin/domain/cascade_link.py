"""Parent suggestions for goals: which goal one level up does each goal serve?

A goal's score against a candidate parent mixes four kinds of evidence:
- meaning: the cosine of the goal to the parent, where the parent is read together with the goals
  that already lean towards it (its likely children). A parent's text is often a short label
  ("Retail trade"); the goals that gather under it say what the label covers in this file. Each
  parent moves part of the way (`siblings`) towards the centre of the goals whose best parent it is
  on the first reading.
- words: the share of the goal's informative words that the parent also uses, where a word also
  counts, in part, when the parent holds a word close to it in meaning ("sewer" and "sewage",
  "telephone" and "telecommunications"). A word weighs by how rare it is both in this file and in a
  general corpus, so "services" or "management" carries little.
- head: whether the parent holds the goal's head word, or a word close to it (see
  hoshin.domain.head_word): "Wholesale of metals and metal ores" belongs under a wholesale parent,
  not under "Mining of metal ores", though most of its words are about metals.
- unit: when the input names units, a small bonus for a parent of the goal's own unit (a key
  result usually serves a goal of its own unit).
The weights were chosen on eight hierarchies from five public sources (industries, products,
services, occupations) so that no hierarchy ranks worse than the plain cosine; they are data here.

A tree of 10,000 goals has millions of (goal, candidate parent) pairs, so the scores are handed
out one block of goals at a time (`LevelLinks.blocks`): memory stays a few tens of megabytes
whatever the size of the tree, and callers that only need each goal's best parent never hold the
whole matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoshin.domain.evidence_words import quotable
from hoshin.domain.lexical import IdfTable
from hoshin.domain.text import stem

__all__ = ["LevelLinks", "LinkWeights", "WordCoverage", "WordVectors", "level_links"]

# Score cells computed at once: 2 million float32 cells are 8 MB per array.
BLOCK_CELLS = 2_000_000


@dataclass(frozen=True)
class LinkWeights:
    words: float = 0.2  # weight of the word coverage beside the cosine
    siblings: float = 0.3  # how far a parent moves towards the goals that lean to it
    same_unit: float = 0.1
    # Weight of the goal's head word matched in the parent (matched as in the word coverage).
    head: float = 0.05
    # Two words match only above this cosine (fully at 1.0, the same word); 1.0 or more: words
    # match only when they share a stem, and no word vectors are needed.
    word_floor: float = 0.4


@dataclass(frozen=True)
class WordVectors:
    """Unit vectors of single words, for the soft part of the word match."""

    index: dict[str, int]
    vectors: np.ndarray  # (words, dim), rows in `index` order


class WordCoverage:
    """For each child, the share of its word weight that each candidate parent holds: a child word
    counts by its best match among the parent's words, the two words' cosine rescaled from `floor`
    (no match) to 1 (the same word). Forcing words of one stem to a full match measured slightly
    worse on the occupations hierarchy, so the cosine decides there too ("seal" and "seals" are
    close to 1 anyway)."""

    def __init__(
        self,
        child_words: Sequence[Sequence[str]],
        parent_words: Sequence[Sequence[str]],
        words: WordVectors,
        weight: Callable[[str], float],
        floor: float,
        heads: Sequence[str | None] | None = None,
    ) -> None:
        from scipy.sparse import csr_matrix

        self._child_words = [list(ws) for ws in child_words]
        self._parent_words = [list(ws) for ws in parent_words]
        mine = sorted({w for ws in child_words for w in ws})
        theirs = sorted({w for ws in parent_words for w in ws})
        self._mine = {w: i for i, w in enumerate(mine)}
        self._theirs = {w: i for i, w in enumerate(theirs)}
        # (my words, their words): how well each of a child's words is matched by each parent word.
        self._match: Any
        self._best: Any
        if floor >= 1.0:
            # Words match only by stem: sparse 0/1 matrices and no product of word vectors (a
            # tree of 10,000 goals has thousands of words on each side; the dense product and the
            # best-per-parent pass over it were most of the checks' time).
            by_stem: dict[str, list[int]] = {}
            for k, w in enumerate(theirs):
                by_stem.setdefault(stem(w), []).append(k)
            pairs = [(i, k) for i, w in enumerate(mine) for k in by_stem.get(stem(w), [])]
            self._match = _ones(pairs, (len(mine), len(theirs)))
            held = [(self._theirs[w], j) for j, ws in enumerate(self._parent_words) for w in ws]
            best = (self._match @ _ones(held, (len(theirs), len(parent_words)))).tocsr()
            best.data = np.minimum(best.data, 1.0)  # a parent may hold two words of one stem
            self._best = best
        else:
            match = np.zeros((len(mine), len(theirs)), dtype=np.float32)
            if mine and theirs:
                a = words.vectors[[words.index[w] for w in mine]]
                b = words.vectors[[words.index[w] for w in theirs]]
                match = np.clip((a @ b.T - floor) / (1.0 - floor), 0.0, 1.0).astype(np.float32)
            self._match = match
            self._best = self._best_per_parent(match)
        rows, cols, vals = [], [], []
        for r, ws in enumerate(self._child_words):
            for w in ws:
                rows.append(r)
                cols.append(self._mine[w])
                vals.append(weight(w))
        shape = (len(child_words), len(mine))
        self._weights = csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float64)
        self._totals = np.asarray(self._weights.sum(axis=1)).ravel()
        # Each child's head word as a row of the word match (-1: none, or not among its words).
        given = heads if heads is not None else [None] * len(self._child_words)
        self._heads = [h if h in ws else None for h, ws in zip(given, self._child_words, strict=True)]
        self._head_rows = np.array([self._mine[h] if h else -1 for h in self._heads], dtype=np.int64)

    def _best_per_parent(self, match: np.ndarray) -> np.ndarray:
        """(my words, parents): the best match each parent's words offer each of my words, taken
        with one `maximum.reduceat` per block of parents rather than a loop over parents."""
        best = np.zeros((match.shape[0], len(self._parent_words)), dtype=np.float32)
        holding = [j for j, ws in enumerate(self._parent_words) if ws]
        if not holding or not match.shape[0]:
            return best
        columns = [self._theirs[w] for j in holding for w in self._parent_words[j]]
        starts = np.cumsum([0] + [len(self._parent_words[j]) for j in holding])
        per_block = max(1, BLOCK_CELLS // max(1, match.shape[0]))  # columns gathered at once
        first = 0
        while first < len(holding):
            last = first + 1
            while last < len(holding) and starts[last + 1] - starts[first] <= per_block:
                last += 1
            gathered = match[:, columns[starts[first] : starts[last]]]
            offsets = starts[first:last] - starts[first]
            best[:, holding[first:last]] = np.maximum.reduceat(gathered, offsets, axis=1)
            first = last
        return best

    def rows(self, start: int, stop: int) -> np.ndarray:
        """(stop - start, parents) float32 coverage of children start..stop-1."""
        product = self._weights[start:stop] @ self._best
        held = product.toarray() if hasattr(product, "toarray") else np.asarray(product)
        totals = self._totals[start:stop]
        out = np.zeros_like(held)
        np.divide(held, totals[:, None], out=out, where=totals[:, None] > 0)
        return out.astype(np.float32)

    def head_rows(self, start: int, stop: int) -> np.ndarray:
        """(stop - start, parents) float32: how well each parent matches the head word of children
        start..stop-1 (0 for a child without one)."""
        rows = self._head_rows[start:stop]
        out = np.zeros((len(rows), len(self._parent_words)), dtype=np.float32)
        has = rows >= 0
        if has.any():
            picked = self._best[rows[has]]
            out[has] = picked.toarray() if hasattr(picked, "toarray") else picked
        return out

    def evidence(self, child: int, parent: int, limit: int = 4) -> list[tuple[str, str]]:
        """The child's words the parent matched, the head word first, then strongest first, each
        with the parent word that matched it (the same word, or the closest one in meaning)."""
        # Only words a reason may quote (domain/evidence_words.py) are offered: the scores were
        # made with every word, and the reason names the best of the quotable ones.
        theirs = [w for w in self._parent_words[parent] if quotable(w)]
        if not theirs:
            return []
        cols = [self._theirs[w] for w in theirs]
        found = []
        for w in filter(quotable, self._child_words[child]):
            row = self._match[self._mine[w]]
            strengths = np.asarray(row.toarray()).ravel()[cols] if hasattr(row, "toarray") else row[cols]
            k = int(strengths.argmax())
            if strengths[k] > 0:
                found.append((float(strengths[k]) + (1.0 if w == self._heads[child] else 0.0), w, theirs[k]))
        found.sort(key=lambda f: -f[0])
        return [(w, p) for _, w, p in found[:limit]]


def _ones(pairs: Sequence[tuple[int, int]], shape: tuple[int, int]) -> Any:
    """A sparse float32 matrix of `shape` with 1.0 at each (row, column) of `pairs`."""
    from scipy.sparse import csr_matrix

    rows = [r for r, _ in pairs]
    cols = [c for _, c in pairs]
    return csr_matrix((np.ones(len(pairs), dtype=np.float32), (rows, cols)), shape=shape)


@dataclass(frozen=True)
class LevelLinks:
    """The goals of one level and their candidate parents (every goal one level up)."""

    level: int
    children: np.ndarray  # indexes of this level's goals, in input order
    parents: np.ndarray  # indexes of the goals one level up, in input order (may be empty)
    raw: np.ndarray
    prototypes: np.ndarray  # (parents, dim): each parent read with the goals that lean to it
    coverage: WordCoverage | None
    units: np.ndarray | None  # a unit code per goal (0: no unit), when units count
    weights: LinkWeights

    def blocks(self, cells: int = BLOCK_CELLS) -> Iterator[tuple[int, np.ndarray]]:
        """(offset, scores) per block of children: scores[r, c] is child `children[offset + r]`
        against parent `parents[c]`. Nothing when the level has no candidate parents."""
        yield from _blocks(self, self.prototypes, cells, self.weights.head)

    def evidence(self, child: int, parent: int) -> list[tuple[str, str]]:
        """Word pairs behind child `children[child]` against parent `parents[parent]`."""
        return self.coverage.evidence(child, parent) if self.coverage is not None else []


def _blocks(
    table: LevelLinks, parent_vectors: np.ndarray, cells: int, head: float
) -> Iterator[tuple[int, np.ndarray]]:
    if not len(table.parents) or table.coverage is None:
        return
    size = max(1, cells // len(table.parents))
    p = table.parents
    for start in range(0, len(table.children), size):
        c = table.children[start : start + size]
        scores = table.raw[c] @ parent_vectors.T
        scores = scores + table.weights.words * table.coverage.rows(start, start + len(c))
        if head:
            scores = scores + head * table.coverage.head_rows(start, start + len(c))
        if table.units is not None:
            mine = table.units[c][:, None]
            same = (mine == table.units[p][None, :]) & (mine != 0)
            scores = scores + table.weights.same_unit * same.astype(np.float32)
        yield start, scores.astype(np.float32)


def _unit_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    unit: np.ndarray = np.divide(x, norms, out=np.zeros_like(x), where=norms > 1e-9)
    return unit


def _prototypes(first: LevelLinks, cells: int) -> np.ndarray:
    """Each parent moved towards the centre of the goals that pick it on a first reading. The first
    reading leaves out the head word: with it, a child it pulled to the wrong parent also pulled
    that parent's prototype (CPV classes 0.583 -> 0.570, CPC 0.690 -> 0.682 acc@1)."""
    parent_vectors = first.raw[first.parents]
    sums = np.zeros_like(parent_vectors)
    for offset, scores in _blocks(first, parent_vectors, cells, 0.0):
        picks = scores.argmax(axis=1)
        np.add.at(sums, picks, first.raw[first.children[offset : offset + len(picks)]])
    return _unit_rows(parent_vectors + first.weights.siblings * _unit_rows(sums)).astype(np.float32)


def level_links(
    levels: Sequence[int],
    raw: np.ndarray,
    word_lists: Sequence[Sequence[str]],
    words: WordVectors,
    general: IdfTable | None = None,
    units: Sequence[str] | None = None,
    weights: LinkWeights = LinkWeights(),
    cells: int = BLOCK_CELLS,
    heads: Sequence[str | None] | None = None,
) -> list[LevelLinks]:
    """One entry per level below the top that holds goals, lowest level number first.

    `raw` holds the goals' unit vectors, `word_lists` their content words (lower case), `words`
    the vectors of those words; `general` (document frequencies in a general corpus) discounts
    words that are common everywhere. With `units` (blank: none) a parent of the goal's own unit
    gets the same-unit bonus. `heads` holds each goal's head word (None: none), one of its words;
    without it the head counts for nothing.
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
        coverage = None
        prototypes = raw[parents]
        if len(parents):
            local = IdfTable([{stem(w) for w in word_lists[i]} for i in np.concatenate([children, parents])])

            def weight(word: str, local: IdfTable = local) -> float:
                s = stem(word)
                return min(local[s], general[s]) if general is not None else local[s]

            mine = [word_lists[i] for i in children]
            theirs = [word_lists[j] for j in parents]
            mine_heads = [heads[i] for i in children] if heads is not None else None
            coverage = WordCoverage(mine, theirs, words, weight, weights.word_floor, mine_heads)
            if weights.siblings:
                first = LevelLinks(level, children, parents, raw, prototypes, coverage, codes, weights)
                prototypes = _prototypes(first, cells)
        out.append(LevelLinks(level, children, parents, raw, prototypes, coverage, codes, weights))
    return out
