"""Learning the corridor from a reviewer's examples: a few ideas marked core, adjacent or off.

Zero-shot, the engine cannot know where one organisation draws the line between core and
adjacent. A handful of labelled examples tells it: an idea that sits closer to the examples a
reviewer marked core than to the ones marked off, and scores above most of them, is core.

The rule is one multinomial logistic model over a few features of each idea, all relative to the
examples of the same batch (so the same coefficients serve every mission):
- the idea's calibrated mission score, raw and standardised within the batch;
- its largest and mean cosine to the examples of each tier;
- where its mission score falls among each tier's examples' scores, and how far above or below
  their mean it lies.
The likeliest tier is the verdict. The score stays in that tier's band of the usual 0..1 scale
(off below 0.4, adjacent to 0.7, core above), placed inside the band by the expected grade, so a
list sorted by score never puts an adjacent idea above a core one. (A single ordinal score with
two cut points was tried first: tier macro-F1 0.73 against 0.75-0.77 for this, on held-out lists.)
The coefficients are data (`hoshin/data/example_learner.json`), fitted once on graded development lists
by `eval/train_example_learner.py` and never per organisation: an organisation teaches the model
through its examples, not by moving the coefficients.

Pure numpy; the service embeds texts and passes vectors and engine scores in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hoshin.domain.verdict import Tier

__all__ = [
    "FEATURE_NAMES",
    "GRADE_OF_TIER",
    "ExampleLearner",
    "ExampleVerdicts",
    "banded_scores",
    "example_features",
    "judge_with_examples",
]

# Ordinal grade of each tier: off < adjacent < core.
GRADE_OF_TIER: Mapping[Tier, int] = {Tier.OFF: 0, Tier.ADJACENT: 1, Tier.CORE: 2}
_TIER_OF_GRADE = {grade: tier for tier, grade in GRADE_OF_TIER.items()}

FEATURE_NAMES: tuple[str, ...] = (
    "z",
    "batch_z",
    *(f"max_sim_{t}" for t in ("off", "adjacent", "core")),
    *(f"mean_sim_{t}" for t in ("off", "adjacent", "core")),
    *(f"above_{t}" for t in ("off", "adjacent", "core")),
    *(f"z_minus_{t}" for t in ("off", "adjacent", "core")),
    *(f"has_{t}" for t in ("off", "adjacent", "core")),
)


# Where each tier's band starts on the 0..1 score scale (the same reading as calibration.score_from_z).
_BAND = {0: (0.0, 0.4), 1: (0.4, 0.7), 2: (0.7, 1.0)}


@dataclass(frozen=True)
class ExampleLearner:
    """A multinomial logistic model: the log-odds of grade g are
    weights[g] . (features - mean) / scale + bias[g]."""

    weights: np.ndarray  # (3, features): rows off, adjacent, core
    bias: np.ndarray  # (3,)
    mean: np.ndarray
    scale: np.ndarray

    def __post_init__(self) -> None:
        size = len(FEATURE_NAMES)
        if not (self.mean.shape == self.scale.shape == (size,) and self.weights.shape == (3, size)):
            raise ValueError(f"an example learner needs 3 x {size} weights and {size} means and scales")
        if self.bias.shape != (3,):
            raise ValueError("an example learner needs one bias per tier")

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """(n, 3) probabilities of off, adjacent and core."""
        logits = ((features - self.mean) / self.scale) @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        odds = np.exp(logits)
        probabilities: np.ndarray = odds / odds.sum(axis=1, keepdims=True)
        return probabilities

    @classmethod
    def from_dict(cls, raw: Mapping[str, object]) -> ExampleLearner:
        features = raw["features"]
        names = tuple(features) if isinstance(features, list | tuple) else features
        if names != FEATURE_NAMES:
            raise ValueError(f"example learner features {names} do not match this version's {FEATURE_NAMES}")

        def array(key: str) -> np.ndarray:
            return np.asarray(raw[key], dtype=np.float64)

        return cls(array("weights"), array("bias"), array("mean"), array("scale"))


@dataclass(frozen=True)
class ExampleVerdicts:
    """What the examples decided for each idea: its grade (0 off, 1 adjacent, 2 core), its 0..1
    score, the probability of the decided tier, and the example of that tier nearest to it (-1 when
    that tier has none)."""

    scores: np.ndarray
    grades: np.ndarray
    confidence: np.ndarray
    nearest: np.ndarray

    def tier(self, i: int) -> Tier:
        return _TIER_OF_GRADE[int(self.grades[i])]


def example_features(
    item_vectors: np.ndarray,
    item_z: np.ndarray,
    example_vectors: np.ndarray,
    example_z: np.ndarray,
    example_grades: Sequence[int],
    reference: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(features (n, len(FEATURE_NAMES)), cosines (n, e) of each idea to each example).

    `batch_z` standardises each idea's score by the mean and spread of these ideas' and the
    examples' scores, or by `reference` (mean, spread) when these ideas are part of a larger batch:
    an idea judged by itself (an arrival) or in chunks (a million ideas) then gets the verdict it
    has as one line of the whole batch. A tier without examples gets neutral values: its
    similarities are the idea's mean similarity to all examples, its rank a half, its gap the
    distance to the batch's mean score, and its `has_` flag 0."""
    grades = np.asarray(example_grades, dtype=int)
    if len(grades) == 0:
        raise ValueError("learning from examples needs at least one example")
    sims = item_vectors @ example_vectors.T  # (n, e)
    n = len(item_vectors)
    overall = sims.mean(axis=1)
    if reference is None:
        everything = np.concatenate([item_z, example_z])
        reference = (float(everything.mean()), float(everything.std()))
    centre, spread = reference
    columns: list[np.ndarray] = [item_z, (item_z - centre) / (spread if spread > 1e-9 else 1.0)]
    max_cols, mean_cols, above_cols, gap_cols, has_cols = [], [], [], [], []
    for grade in (0, 1, 2):
        members = np.flatnonzero(grades == grade)
        if len(members):
            block = sims[:, members]
            max_cols.append(block.max(axis=1))
            mean_cols.append(block.mean(axis=1))
            theirs = example_z[members]
            below = (item_z[:, None] > theirs[None, :]).mean(axis=1)
            ties = (item_z[:, None] == theirs[None, :]).mean(axis=1)
            above_cols.append(below + 0.5 * ties)
            gap_cols.append(item_z - theirs.mean())
            has_cols.append(np.ones(n))
        else:
            max_cols.append(overall)
            mean_cols.append(overall)
            above_cols.append(np.full(n, 0.5))
            gap_cols.append(item_z - centre)
            has_cols.append(np.zeros(n))
    features = np.column_stack(columns + max_cols + mean_cols + above_cols + gap_cols + has_cols)
    return features.astype(np.float64), sims


def judge_with_examples(
    learner: ExampleLearner,
    item_vectors: np.ndarray,
    item_z: np.ndarray,
    example_vectors: np.ndarray,
    example_z: np.ndarray,
    example_grades: Sequence[int],
    reference: tuple[float, float] | None = None,
) -> ExampleVerdicts:
    """The grade of every idea as the examples place it, with the nearest example of that grade
    (`reference`: see `example_features`)."""
    features, sims = example_features(
        item_vectors, item_z, example_vectors, example_z, example_grades, reference
    )
    return _decide(learner, features, sims, example_grades)


def _decide(
    learner: ExampleLearner, features: np.ndarray, sims: np.ndarray, example_grades: Sequence[int]
) -> ExampleVerdicts:
    probs = learner.probabilities(features)
    grades_out = probs.argmax(axis=1)
    scores = banded_scores(probs, grades_out)
    example_grades_arr = np.asarray(example_grades, dtype=int)
    nearest = np.full(len(grades_out), -1, dtype=int)
    for grade in (0, 1, 2):
        members = np.flatnonzero(example_grades_arr == grade)
        rows = np.flatnonzero(grades_out == grade)
        if len(members) and len(rows):
            nearest[rows] = members[sims[np.ix_(rows, members)].argmax(axis=1)]
    confidence = probs[np.arange(len(grades_out)), grades_out]
    return ExampleVerdicts(scores, grades_out.astype(int), confidence, nearest)


def banded_scores(probs: np.ndarray, grades: np.ndarray) -> np.ndarray:
    """A 0..1 score inside the decided tier's band, placed by the expected grade (0..2)."""
    expected = probs @ np.array([0.0, 1.0, 2.0])
    low = np.array([_BAND[int(g)][0] for g in grades])
    high = np.array([_BAND[int(g)][1] for g in grades])
    # Expected grade of an idea decided grade g lies in (g - 1, g + 1) clipped to 0..2.
    span_low = np.clip(grades - 1.0, 0.0, 2.0)
    span_high = np.clip(grades + 1.0, 0.0, 2.0)
    share = np.clip((expected - span_low) / (span_high - span_low), 0.0, 1.0)
    scores: np.ndarray = low + share * (high - low) * 0.999
    return scores
