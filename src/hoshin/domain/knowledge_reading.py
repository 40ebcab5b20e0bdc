"""How a mission's need for each knowledge area is read from calibrated closeness (pure numpy).

`rank_knowledge` (service/batch.py) embeds and calibrates; this module decides how the pieces of
evidence combine. Three readings, each measured in docs/calibration.md (issue 20):
- the whole statement (with its product facets);
- the statement sentence by sentence: an occupation or role description has one sentence per duty
  ("install, maintain and repair equipment"), and an area that one duty needs is diluted when it
  is compared with the whole paragraph only;
- the areas that rank best pull up the areas close to them (pseudo-relevance feedback): the
  knowledge a role needs comes in clusters (a lieutenant's military code, camouflage, weapons).
"""

from __future__ import annotations

import numpy as np

from hoshin.domain.lexicon import split_sentences

__all__ = [
    "FEEDBACK_TOP",
    "FEEDBACK_WEIGHT",
    "PART_TEMPERATURE",
    "PART_WEIGHT",
    "best_centre",
    "mission_parts",
    "with_parts",
]

# Weight of the sentence-by-sentence reading beside the whole statement, and the temperature of
# its soft maximum (in sd of z). Chosen by leave one source out (eval/eval_knowledge_variants.py);
# with the feedback below, knowledge nDCG@5 dev skills 0.690 -> 0.704 and ESCO 0.823 -> 0.836
# (raw cosine 0.654 / 0.817).
PART_WEIGHT = 1.0
PART_TEMPERATURE = 1.0
# How many of the best areas make the feedback centre, and its weight beside the reading above.
FEEDBACK_TOP = 3
FEEDBACK_WEIGHT = 0.25
# A lead-in before a colon reads as a title ("Lieutenant: Lieutenants command ...") only when short.
_TITLE_WORDS = 6


def mission_parts(mission: str) -> list[str]:
    """The mission's sentences, a short title before a colon counted as a sentence of its own."""
    parts: list[str] = []
    for n, sentence in enumerate(split_sentences(mission)):
        title, colon, rest = sentence.partition(":")
        if n == 0 and colon and rest.strip() and 0 < len(title.split()) <= _TITLE_WORDS:
            parts += [title.strip(), rest.strip()]
        else:
            parts.append(sentence)
    return parts


def with_parts(whole: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """(n,) z of the whole statement blended with a soft maximum over the (n, p) z of its parts.

    The soft maximum (log-mean-exp at `PART_TEMPERATURE`) lets the one sentence that names a need
    carry it while a stray sentence close to everything counts less than under a plain maximum.
    With fewer than two parts the whole is returned unchanged: one sentence is the statement itself,
    and blending it in again would only halve what the product facets add to a one-line mission.
    """
    whole = np.asarray(whole, dtype=np.float64)
    if parts.ndim != 2 or parts.shape[1] < 2:
        return whole
    t = PART_TEMPERATURE
    top: np.ndarray = parts.max(axis=1)
    soft: np.ndarray = top + t * np.log(np.exp((parts - top[:, None]) / t).mean(axis=1))
    blended: np.ndarray = (whole + PART_WEIGHT * soft) / (1.0 + PART_WEIGHT)
    return blended


def best_centre(vectors: np.ndarray, z: np.ndarray, top: int = FEEDBACK_TOP) -> np.ndarray | None:
    """Unit vector: the best `top` areas by z, each weighted by exp(z - best z); None when empty."""
    if len(vectors) == 0:
        return None
    best = np.argsort(-z, kind="stable")[:top]
    weights = np.exp(z[best] - z[best].max())
    centre = (weights[:, None] * vectors[best]).sum(axis=0)
    norm = float(np.linalg.norm(centre))
    return centre / norm if norm > 0 else None
