"""A learned reading of mission components for what the rules leave absent (mission analysis).

The rules of mission_analysis find a component by a cue word, by the statement's structure or by a
clause close to a prototype. A component said in words no rule knows ("Every rider who climbs aboard
gets home" states customers; "so that the harbour still feeds the town in a hundred years" a duty to
the public) is missed, and three passes of new cue lists fixed the sets they were shaped on and
nothing else. This layer reads such a statement by meaning instead: per component, a logistic model
over the statement's mean clause vector and a few closenesses to the component's prototypes:

- how close the closest clause is to the component's prototypes;
- how close the statement as a whole (its mean clause vector) is to them;
- by how much the closest clause is nearer this component's prototypes than any other component's.

The weights were fitted on the sets whose errors were read (eval/fit_component_meaning.py writes
them to src/hoshin/data/component_meaning.json; penalty and cut-off per component chosen by
leave-one-set-out under a precision floor, see docs/calibration.md) and only for the packaged MiniLM
model: other models never get this reading. It only ADDS a component the rules left absent, names
as evidence the clause that scores highest under the same weights (quoted as written), and its
reason says it was read by meaning. A component whose fitted layer did not help on leave-one-set-out
ships without one (absent from the file).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoshin.domain.mission_analysis import Analysis, ComponentFinding, _as_written, suggestions_for
from hoshin.errors import InputError

__all__ = [
    "FEATURES",
    "ComponentLayer",
    "ComponentModel",
    "meaning_inputs",
    "read_by_meaning",
    "with_components_by_meaning",
]

FEATURES = (
    "near",  # the closest clause's highest cosine to the component's prototypes
    "whole",  # the mean clause vector's highest cosine to them
    "margin",  # the closest clause: its cosine to this component minus its best to any other
)


@dataclass(frozen=True)
class ComponentModel:
    """One component's logistic model over [mean clause vector..., FEATURES...] and its cut-off."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    def chance(self, inputs: np.ndarray) -> float:
        z = self.bias + float(np.dot(np.asarray(self.weights), inputs))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@dataclass(frozen=True)
class ComponentLayer:
    """The fitted models, by component; `model` is the embedding model the weights belong to."""

    model: str
    components: Mapping[str, ComponentModel]

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ComponentLayer:
        """The layer as eval/fit_component_meaning.py writes it (src/hoshin/data/component_meaning.json)."""
        try:
            models = {
                str(name): ComponentModel(
                    tuple(float(w) for w in part["weights"]), float(part["bias"]), float(part["threshold"])
                )
                for name, part in raw["components"].items()
            }
            layer = cls(str(raw["model"]), models)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(
                f"a component layer needs model and components (weights, bias, threshold): {exc}"
            ) from exc
        sizes = {len(m.weights) for m in models.values()}
        if len(sizes) > 1 or any(size <= len(FEATURES) for size in sizes):
            raise InputError("a component layer's weight lists must all match, one per input")
        return layer


def meaning_inputs(
    unit_vectors: np.ndarray, prototype_vectors: Mapping[str, np.ndarray], name: str
) -> tuple[np.ndarray, np.ndarray]:
    """(the statement's inputs, one row of inputs per clause) for component `name`: the mean clause
    vector (unit length) or the clause's own vector, then FEATURES. Vectors are unit length."""
    vecs = np.asarray(unit_vectors, dtype=float)
    mean = vecs.mean(axis=0)
    mean = mean / max(float(np.linalg.norm(mean)), 1e-12)
    own = vecs @ np.asarray(prototype_vectors[name], dtype=float).T
    near = own.max(axis=1)
    others = [
        (vecs @ np.asarray(protos, dtype=float).T).max(axis=1)
        for other, protos in prototype_vectors.items()
        if other != name
    ]
    margin = near - np.max(others, axis=0) if others else near
    best = int(np.argmax(near))
    whole = float((np.asarray(prototype_vectors[name], dtype=float) @ mean).max())
    statement = np.concatenate([mean, [near[best], whole, margin[best]]])
    clauses = np.hstack([vecs, near[:, None], near[:, None], margin[:, None]])
    return statement, clauses


def read_by_meaning(
    unit_vectors: np.ndarray,
    prototype_vectors: Mapping[str, np.ndarray],
    layer: ComponentLayer,
    absent: Sequence[str],
) -> dict[str, tuple[float, int]]:
    """For each component of `absent` the layer has a model for and is sure enough of: (chance, index
    of the clause that scores highest under the same weights, the evidence)."""
    found: dict[str, tuple[float, int]] = {}
    if not len(unit_vectors):
        return found
    for name in absent:
        model = layer.components.get(name)
        if model is None or name not in prototype_vectors:
            continue
        statement, clauses = meaning_inputs(unit_vectors, prototype_vectors, name)
        if len(statement) != len(model.weights):
            raise InputError(f"the component layer expects {len(model.weights)} inputs, got {len(statement)}")
        chance = model.chance(statement)
        if chance >= model.threshold:
            found[name] = (chance, int(np.argmax(clauses @ np.asarray(model.weights))))
    return found


def meaning_reason(name: str, chance: float) -> str:
    """Why a component the rules did not find is marked present: read by meaning, not by a rule."""
    label = name.replace("_", " ")
    return (
        f"By meaning, not by a rule: the statement reads as stating {label} ({chance:.0%} sure, a "
        f"reading learned from labelled statements); the quoted clause is the closest to it. A weaker "
        f"reason than a cue word: worth a reviewer's look."
    )


def with_components_by_meaning(
    analysis: Analysis,
    text: str,
    units: Sequence[str],
    unit_vectors: np.ndarray,
    prototype_vectors: Mapping[str, np.ndarray],
    layer: ComponentLayer,
) -> Analysis:
    """The analysis with every component the rules left absent and the layer is sure of marked
    present, its evidence the best clause as the statement writes it; suggestions follow."""
    if len(units) != len(unit_vectors):
        raise ValueError("one vector per clause")
    found = read_by_meaning(unit_vectors, prototype_vectors, layer, analysis.missing)
    if not found:
        return analysis
    findings = dict(analysis.components)
    for name, (chance, best) in found.items():
        old = findings[name]
        evidence = _as_written(text, units[best])
        findings[name] = ComponentFinding(
            True, evidence, old.cue_score, old.similarity, meaning_reason(name, chance)
        )
    out = Analysis(findings, analysis.specificity, analysis.specificity_words, analysis.readability)
    out.suggestions = suggestions_for(out)
    return out
