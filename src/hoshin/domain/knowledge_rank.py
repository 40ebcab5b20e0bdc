"""Which knowledge areas a mission needs, ranked.

Three signals, each standardised across the areas being ranked:
- topical fit: the area's calibrated alignment with the mission (the engine's z);
- breadth: how close the area is to the cross-cutting abilities every kind of work draws on
  (reading, listening, judgement, problem solving... the catalogue's `general` field). A mission
  rarely names them, yet people cannot carry it out without them;
- concreteness: an area that sits close to many specific background activities is a narrow
  specialism; it needs topical fit to rank high, so a share of that closeness is subtracted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["KnowledgeWeights", "knowledge_scores"]


@dataclass(frozen=True)
class KnowledgeWeights:
    # Chosen on development data (graded occupation skills plus hand-written missions) and kept
    # as one global setting, never per mission.
    topical: float = 1.0
    breadth: float = 0.5
    concreteness: float = 1.0


def _standardise(values: np.ndarray) -> np.ndarray:
    std = float(values.std())
    return (values - values.mean()) / std if std > 1e-9 else np.zeros_like(values)


def knowledge_scores(
    topical_z: np.ndarray,
    breadth_similarity: np.ndarray,
    background_closeness: np.ndarray,
    weights: KnowledgeWeights = KnowledgeWeights(),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(combined score, breadth z, concreteness z) for each area."""
    breadth = _standardise(breadth_similarity)
    concrete = _standardise(background_closeness)
    combined = weights.topical * topical_z + weights.breadth * breadth - weights.concreteness * concrete
    return combined, breadth, concrete
