"""A learned stance for the pairs the word readings leave undecided (principles check).

The word readings (`principles`, `principle_aim`, `principle_acts`, `principle_regard`) call a text a
contradiction only on a cue they know. In a field they were not written for ("Rinse the needles and
reuse them on walk-ins" against "Every needle is single-use") they find none and say unrelated, and
no further cue list has carried over to the next field. This layer reads such a pair by meaning
instead, with two small logistic models over the text's embedding and a handful of closenesses:

- how close the text (its closest sentence, and the text as a whole) is to the principle;
- how much closer it is to the principle *given up* than to the principle kept, where both are
  phrased from the principle's own parts (its value and what it ranks lower: "Ignore rider safety for
  queue times.", "We keep rider safety, even when it costs us queue times.") by `stance_phrasings`;
- how much closer it is to a few field-free phrasings of giving something up ("Cut corners and hope
  nobody notices.") than to their opposites;
- the text's own vector, which carries how it is said (an order to drop something, a promise kept)
  whatever the field.

One model says whether the text is about the principle at all (contradicts or supports against
unrelated), the other which side it takes (contradicts against supports, fitted on related pairs
only); their product is the chance of a contradiction. Kept apart, each learns one thing: closeness
decides the first, the way it is said the second.

The weights were fitted on the training sets (the five tuning sets and heldout4-7;
eval/fit_principle_stance.py writes them to src/hoshin/data/principle_stance.json, the penalty and
cut-off chosen by leave-one-set-out, see docs/calibration.md) and only for the packaged MiniLM model:
other models never get this reading. It decides only what the readings, the
reviewers' examples and the meaning fallback left unrelated (never a contradiction or a support; the
caller also keeps it off sentences the readings already weighed), and its verdict says it was read by
meaning, names the sentence it rests on and the value it leans away from, and is not "named"
(principle_attribution keeps it only for the principle the text is about).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoshin.errors import InputError

__all__ = [
    "FEATURES",
    "GENERIC_GIVE_UP",
    "GENERIC_KEEP",
    "StanceModel",
    "stance_features",
    "stance_phrasings",
    "with_learned_stance",
]

# Field-free phrasings of giving something up and of keeping it, whatever the principle protects.
GENERIC_GIVE_UP = (
    "Cut corners and hope nobody notices.",
    "Do it the quick, cheap way, whatever the rules say.",
    "Don't tell them; they will never find out.",
)
GENERIC_KEEP = (
    "We do it properly, even when it costs us more.",
    "We keep our promise, whatever the pressure.",
)

FEATURES = (
    "near",  # closest sentence's cosine to the principle
    "whole",  # the whole text's cosine to the principle
    "lean",  # closest-leaning sentence: cosine to the principle given up minus to the principle
    "whole_lean",  # the same for the whole text
    "side",  # best sentence: cosine to the given-up phrasings minus to the kept ones
    "whole_side",  # the same for the whole text
    "generic",  # best sentence: cosine to the field-free give-ups minus to the field-free keeps
)


def stance_phrasings(value: str, traded: str) -> tuple[list[str], list[str]]:
    """(given up, kept): the principle's value phrased as abandoned and as held, from its own parts
    (`value`: what it protects, "rider safety"; `traded`: what it ranks lower, "" when none)."""
    value = value.strip()
    lower = traded.strip() or "time or money"
    given_up = [
        f"Ignore {value} for {lower}.",
        f"We no longer bother with {value}.",
        f"Skip {value} this time; nobody will check.",
    ]
    kept = [
        f"We keep {value}, even when it costs us {lower}.",
        f"We always put {value} first.",
    ]
    return given_up, kept


def _logistic(weights: Sequence[float], bias: float, inputs: np.ndarray) -> float:
    z = bias + float(np.dot(np.asarray(weights), inputs))
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@dataclass(frozen=True)
class StanceModel:
    """Two logistic models over [text vector..., FEATURES...]: about the principle, and on its
    breaking side; `threshold` on their product; a text farther than `min_near` is never read."""

    model: str  # the embedding model the weights belong to
    related: tuple[tuple[float, ...], float]  # (weights, bias): about the principle at all
    side: tuple[tuple[float, ...], float]  # (weights, bias): contradicts rather than supports
    threshold: float
    min_near: float

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> StanceModel:
        """The model as eval/fit_principle_stance.py writes it (src/hoshin/data/principle_stance.json)."""
        try:
            related = (tuple(float(w) for w in raw["related"]["weights"]), float(raw["related"]["bias"]))
            side = (tuple(float(w) for w in raw["side"]["weights"]), float(raw["side"]["bias"]))
            model = cls(str(raw["model"]), related, side, float(raw["threshold"]), float(raw["min_near"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                f"a stance model needs model, related, side, threshold, min_near: {exc}"
            ) from exc
        if len(related[0]) != len(side[0]) or len(related[0]) <= len(FEATURES):
            raise InputError("a stance model's two weight lists must match, one per input")
        return model

    def probability(self, vector: Sequence[float], features: Sequence[float]) -> float:
        """Chance that a text (its mean sentence vector, its FEATURES) contradicts the principle."""
        inputs = np.concatenate([np.asarray(vector, dtype=float), np.asarray(features, dtype=float)])
        if len(inputs) != len(self.related[0]):
            raise InputError(f"the stance model expects {len(self.related[0])} inputs, got {len(inputs)}")
        return _logistic(*self.related, inputs) * _logistic(*self.side, inputs)


def stance_features(
    to_principle: Sequence[float],
    to_given_up: Sequence[Sequence[float]],
    to_kept: Sequence[Sequence[float]],
    to_generic: Sequence[tuple[float, float]],
    whole: tuple[float, float, float],
) -> tuple[list[float], int]:
    """(features in FEATURES order, index of the sentence the stance rests on) for one text and one
    principle. Per sentence n: `to_principle[n]`, `to_given_up[n]` and `to_kept[n]` (cosines to each
    phrasing of `stance_phrasings`), `to_generic[n]` (mean cosine to GENERIC_GIVE_UP, to
    GENERIC_KEEP); `whole`: the whole text's cosine to the principle, mean to the given-up phrasings,
    mean to the kept ones."""
    count = len(to_principle)
    if not count or not len(to_given_up) == len(to_kept) == len(to_generic) == count:
        raise ValueError("one set of cosines per sentence, and at least one sentence")
    given_up = [sum(row) / len(row) for row in to_given_up]
    kept = [sum(row) / len(row) for row in to_kept]
    leans = [g - p for g, p in zip(given_up, to_principle, strict=True)]
    sides = [g - k for g, k in zip(given_up, kept, strict=True)]
    # the sentence the stance rests on: close to the principle and leaning furthest to its giving up
    best = max(range(count), key=lambda n: (to_principle[n] + sides[n] + leans[n], to_principle[n]))
    features = [
        max(to_principle),
        whole[0],
        max(leans),
        whole[1] - whole[0],
        max(sides),
        whole[1] - whole[2],
        max(g - k for g, k in to_generic),
    ]
    return features, best


def with_learned_stance(
    judgement: dict[str, Any],
    sentences: Sequence[str],
    best: int,
    near: float,
    chance: float,
    value: str,
    model: StanceModel,
) -> dict[str, Any]:
    """The judgement, made a contradiction when the readings left it unrelated, the text is at least
    `model.min_near` close to the principle (`near`) and the fitted `chance` reaches the threshold;
    sentence `best` is the evidence."""
    if judgement.get("verdict") != "unrelated" or near < model.min_near or chance < model.threshold:
        return judgement
    if not 0 <= best < len(sentences):
        raise ValueError("the evidence sentence must be one of the text's sentences")
    sentence = sentences[best]
    why = (
        f"By meaning, not by a rule: '{sentence}' is close to the principle ({near:.2f}) and reads as "
        f"giving up {value or 'what it protects'} rather than keeping it (a stance learned from labelled "
        f"examples, {chance:.0%} sure). A weaker reason than a named cue: worth a reviewer's look."
    )
    return {"verdict": "contradicts", "evidence": sentence, "why": why, "named": False}
