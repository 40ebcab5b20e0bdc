"""Parent suggestions for goals: which goal one level up does each goal serve?

A goal's score against a candidate parent mixes two kinds of evidence:
- meaning: the cosine of the two texts, averaged over the texts as written and the texts without
  the words nearly every goal in the file shares (those blur the differences);
- words: the share of the goal's rarer words that the parent also uses.
The mix weights were chosen on goal hierarchies in development and are data here, not magic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["LinkWeights", "link_scores"]


@dataclass(frozen=True)
class LinkWeights:
    meaning: float = 1.0
    words: float = 0.3


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
    return weights.meaning * meaning + weights.words * word_coverage
