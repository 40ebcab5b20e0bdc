"""The learned component layer: it adds a component the rules missed only when sure, quotes a clause
of the statement as evidence and says it read it by meaning; other embedders and a broken weights
file leave the rules alone."""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
import pytest

from hoshin.domain.component_meaning import (
    FEATURES,
    ComponentLayer,
    ComponentModel,
    with_components_by_meaning,
)
from hoshin.domain.lexicon import split_units
from hoshin.domain.mission_analysis import COMPONENTS, analyze_statement
from hoshin.embedding import Embedder
from hoshin.embedding.hashing import HashingEmbedder
from hoshin.errors import InputError
from hoshin.service.texts import analyze_missions, load_component_layer, shipped_component_layer

DIM = 4


def _layer(bias: float, threshold: float = 0.5) -> ComponentLayer:
    """A toy layer that reads 'customers' from the first axis of a 4-dimensional space."""
    weights = (8.0, 0.0, 0.0, 0.0) + (0.0,) * len(FEATURES)
    return ComponentLayer("toy", {"customers": ComponentModel(weights, bias, threshold)})


def _prototypes() -> dict[str, np.ndarray]:
    axes = np.eye(DIM)
    return {name: axes[[k % DIM]] for k, name in enumerate(COMPONENTS)}


def _analyse(text: str, vectors: list[list[float]], layer: ComponentLayer) -> dict[str, dict[str, object]]:
    units = split_units(text)
    vecs = np.asarray(vectors, dtype=float)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    analysis = analyze_statement(text, units)  # cue words only: no rule reads these words
    return with_components_by_meaning(analysis, text, units, vecs, _prototypes(), layer).as_dict()[
        "components"
    ]


def test_a_confident_layer_adds_the_component_with_a_quoted_clause_and_says_why() -> None:
    text = "Quiet rooms at fair prices; whoever walks in leaves rested"
    assert len(split_units(text)) == 2
    found = _analyse(text, [[0.1, 1, 0, 0], [1, 0.1, 0, 0]], _layer(bias=-2.0))
    assert found["customers"]["present"]
    assert found["customers"]["evidence"] == "whoever walks in leaves rested"
    assert "By meaning" in str(found["customers"]["why"])


def test_an_unsure_layer_adds_nothing_and_rule_findings_carry_no_reason() -> None:
    text = "Quiet rooms at fair prices; whoever walks in leaves rested"
    found = _analyse(text, [[0.1, 1, 0, 0], [1, 0.1, 0, 0]], _layer(bias=-20.0))
    assert not found["customers"]["present"] and "why" not in found["customers"]
    assert all("why" not in finding for finding in found.values())


def test_the_weights_file_must_be_whole() -> None:
    good = {"model": "toy", "components": {"customers": {"weights": [1.0] * 7, "bias": 0, "threshold": 0.5}}}
    assert isinstance(ComponentLayer.from_dict(good), ComponentLayer)
    for broken in (
        {"components": good["components"]},  # no model
        {"model": "toy", "components": {"customers": {"weights": [1.0] * 7}}},  # no bias, no cut-off
        {"model": "toy", "components": {"customers": {"weights": [1.0] * 2, "bias": 0, "threshold": 0.5}}},
        {"model": "toy", "components": ["customers"]},
    ):
        with pytest.raises(InputError):
            ComponentLayer.from_dict(broken)


def test_a_malformed_weights_file_fails_soft() -> None:
    assert load_component_layer("{not json") is None
    assert (
        load_component_layer(json.dumps({"model": "m", "components": {"growth": {"weights": "x"}}})) is None
    )


def test_other_embedders_get_no_layer() -> None:
    embedder = HashingEmbedder()
    assert shipped_component_layer(embedder) is None
    (row,) = analyze_missions(
        [{"id": "h", "text": "Every guest who walks in leaves rested."}], embedder, False
    )
    assert all("why" not in finding for finding in row["components"].values())


@pytest.fixture(scope="module")
def analysed(embedder: Embedder) -> Callable[[str, bool], dict[str, dict[str, object]]]:
    def read(text: str, layer: bool) -> dict[str, dict[str, object]]:
        rows = [{"id": "m", "text": text}]
        (row,) = analyze_missions(rows, embedder, with_themes=False, component_layer=True if layer else None)
        return dict(row["components"])

    return read


@pytest.mark.model
def test_a_service_in_words_no_rule_knows_is_found_by_meaning(
    analysed: Callable[[str, bool], dict[str, dict[str, object]]],
) -> None:
    text = "Fast, affordable crossings between the mainland and the islands."
    assert not analysed(text, False)["products"]["present"]  # no cue word, no role: the rules miss it
    found = analysed(text, True)["products"]
    assert found["present"]
    assert isinstance(found["evidence"], str) and found["evidence"] in text
    assert str(found["why"]).startswith("By meaning, not by a rule")


@pytest.mark.model
def test_a_statement_without_an_offer_is_not_given_one(
    analysed: Callable[[str, bool], dict[str, dict[str, object]]],
) -> None:
    for text in (
        "We act with honesty and respect in all we do.",
        "To be the quietest, kindest workplace in town.",
    ):
        found = analysed(text, True)
        assert not found["products"]["present"] and not found["customers"]["present"]
