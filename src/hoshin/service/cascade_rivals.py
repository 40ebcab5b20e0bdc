"""Goals of different units that pull opposite ways on one subject (see hoshin.domain.goal_pull),
found among the pairs close enough in meaning to be about one thing.

A tree of templated goals ("Cut compressor failures in Poland" / "Raise compressor failures ...")
can hold hundreds of thousands of such pairs; each goal keeps only its few closest rivals, so the
findings stay readable and the search stays linear in the number of goals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from hoshin.domain.cascade_checks import BLOCK_CELLS, CheckLimits, Similarity
from hoshin.domain.goal_pull import Pull, opposed_subjects, pulls

__all__ = ["RIVALS_PER_GOAL", "Rivalry", "add_rivalries", "rival_pairs"]

RIVALS_PER_GOAL = 3  # the closest rivals a goal is paired with, at most (as the row of a pair)


@dataclass(frozen=True)
class Rivalry:
    first: int
    second: int
    first_word: str  # the direction word of the first goal ("cut")
    second_word: str  # the opposite one of the second goal ("more")
    subject: tuple[str, ...]  # the subject words both act on, as the first goal writes them
    second_subject: tuple[str, ...] = ()  # the same, as the second goal writes them ("prices" for "fares")


# Which ways pull against which: up against down, central against local, keeping every one of a
# thing against ending it, a cycle against a wait before each one longer than the cycle.
_AXIS = {
    "up": "updown",
    "down": "updown",
    "central": "control",
    "local": "control",
    "keep": "kept",
    "end": "kept",
    "pace": "tempo",
    "hold": "tempo",
}


def _incidence(
    reads: Sequence[list[Pull]], ways: set[str], vocabulary: dict[str, int]
) -> list[tuple[int, int]]:
    """(goal, (axis, subject stem) column) where the goal pulls one of `ways` on that subject."""
    cells = []
    for n, read in enumerate(reads):
        for pull in read:
            if pull.way in ways:
                axis = _AXIS[pull.way]
                cells += [(n, vocabulary.setdefault(f"{axis}:{s}", len(vocabulary))) for s in pull.subjects]
    return cells


def _matrix(cells: list[tuple[int, int]], shape: tuple[int, int]) -> sparse.csr_matrix:
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    return sparse.csr_matrix((np.ones(len(cells), dtype=np.float32), (rows, cols)), shape=shape)


def rival_pairs(
    texts: Sequence[str],
    similarity: Similarity,
    above: Sequence[set[int]],
    limits: CheckLimits = CheckLimits(),
) -> list[Rivalry]:
    """Pairs (not ancestor and descendant) close in meaning that pull opposite ways on a shared
    subject, each goal with at most RIVALS_PER_GOAL of its closest rivals."""
    reads = [pulls(t) for t in texts]
    vocabulary: dict[str, int] = {}
    plus_cells = _incidence(reads, {"up", "central", "keep", "pace"}, vocabulary)
    minus_cells = _incidence(reads, {"down", "local", "end", "hold"}, vocabulary)
    shape = (len(texts), len(vocabulary))
    plus, minus = _matrix(plus_cells, shape), _matrix(minus_cells, shape)
    # Opposed on some subject: one's up meets the other's down, either way round.
    opposed = (plus @ minus.T + minus @ plus.T).tocsr()
    movers = np.flatnonzero(np.asarray(opposed.sum(axis=1)).ravel() > 0)
    found: dict[tuple[int, int], Rivalry] = {}
    if not len(movers):
        return []
    step = max(1, BLOCK_CELLS // len(movers))
    for start in range(0, len(movers), step):
        rows = movers[start : start + step]
        close = np.asarray(similarity(rows, movers), dtype=np.float32)
        hit = (opposed[rows][:, movers].toarray() > 0) & (close >= limits.rival_cosine)
        ranked = np.where(hit, close, -np.inf)
        keep = min(RIVALS_PER_GOAL, ranked.shape[1])
        best = np.argpartition(-ranked, keep - 1, axis=1)[:, :keep]
        for r, n in enumerate(rows.tolist()):
            for c in best[r].tolist():
                m = int(movers[c])
                if not np.isfinite(ranked[r, c]) or m == n or m in above[n] or n in above[m]:
                    continue
                key = (min(n, m), max(n, m))
                if key in found:
                    continue
                opposed_words = opposed_subjects(reads[key[0]], reads[key[1]])
                if opposed_words:
                    found[key] = Rivalry(key[0], key[1], *opposed_words)
    return [found[k] for k in sorted(found)]


def _listed(words: Sequence[str]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _named(goal_id: str, unit: str) -> str:
    return f"{goal_id} ({unit})" if unit else goal_id


def add_rivalries(
    goals: Sequence[Any],
    rivals: Sequence[Rivalry],
    reported: Set[frozenset[int]],
    add: Callable[[int, tuple[dict[str, str], tuple[str, ...]]], None],
) -> None:
    """Both goals of each rivalry get a conflict issue naming the other, the two direction words
    and the subject they share (`goals`: the checks' Goal records, with id, text and unit); pairs
    in `reported` (already a cost-against-quality conflict) are left out."""
    for rival in rivals:
        if frozenset((rival.first, rival.second)) in reported:
            continue
        a, b = goals[rival.first], goals[rival.second]
        first_subject, second_subject = rival.subject, rival.second_subject or rival.subject
        sides = (
            (rival.first, b, rival.first_word, rival.second_word, first_subject, second_subject),
            (rival.second, a, rival.second_word, rival.first_word, second_subject, first_subject),
        )
        for n, other, mine, theirs, my_words, their_words in sides:
            subject = _listed(my_words)
            if {w.lower() for w in their_words} != {w.lower() for w in my_words}:
                subject += f", which it calls {_listed(their_words)}"  # one quantity, other words
            detail = (
                f"Pulls against {_named(other.id, other.unit)} on {subject}: this goal says '{mine}', while "
                f"'{other.text}' says '{theirs}'. Agree which way to go with its owner before either "
                "goes ahead."
            )
            add(n, ({"kind": "conflict", "detail": detail}, (other.id,)))
