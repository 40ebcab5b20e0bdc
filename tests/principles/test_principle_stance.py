"""The learned stance layer reads by meaning the pairs the word readings leave undecided
(domain/principle_stance.py, fitted by eval/fit_principle_stance.py)."""

from __future__ import annotations

from typing import Any

import pytest

from hoshin.domain.principle_stance import (
    FEATURES,
    StanceModel,
    stance_features,
    stance_phrasings,
    with_learned_stance,
)
from hoshin.errors import InputError

UNDECIDED: dict[str, Any] = {"verdict": "unrelated", "evidence": None, "why": "Shares no subject."}


def _model(threshold: float = 0.5, min_near: float = 0.15) -> StanceModel:
    # two inputs of vector and the features; weights that make the "side" depend on the first input
    size = 2 + len(FEATURES)
    return StanceModel(
        "all-MiniLM-L6-v2", ((0.0,) * size, 5.0), ((4.0,) + (0.0,) * (size - 1), 0.0), threshold, min_near
    )


def test_the_phrasings_come_from_the_principles_own_parts() -> None:
    given, kept = stance_phrasings(" rider safety ", "queue times")
    assert given[0] == "Ignore rider safety for queue times."
    assert all("rider safety" in text for text in given + kept)
    assert any("queue times" in text for text in kept)
    # a principle that ranks nothing lower is given up for time and money
    given, kept = stance_phrasings("single-use needles", "  ")
    assert "Ignore single-use needles for time or money." in given


def test_features_follow_the_sentence_closest_to_giving_the_principle_up() -> None:
    features, best = stance_features(
        [0.1, 0.4],
        [[0.1, 0.1, 0.1], [0.5, 0.6, 0.55]],
        [[0.2, 0.2], [0.3, 0.3]],
        [(0.1, 0.2), (0.4, 0.1)],
        (0.3, 0.35, 0.25),
    )
    assert best == 1
    assert len(features) == len(FEATURES)
    assert features[0] == pytest.approx(0.4)  # near: the closest sentence
    assert features[FEATURES.index("generic")] == pytest.approx(0.3)


def test_features_need_one_set_of_cosines_per_sentence() -> None:
    with pytest.raises(ValueError):
        stance_features([0.1, 0.2], [[0.1]], [[0.1]], [(0.1, 0.1)], (0.1, 0.1, 0.1))
    with pytest.raises(ValueError):
        stance_features([], [], [], [], (0.1, 0.1, 0.1))


def test_a_sure_enough_stance_makes_an_undecided_text_a_contradiction_that_says_why() -> None:
    model = _model()
    sentences = ["Lovely weather.", "Rinse the needles and reuse them on walk-ins."]
    out = with_learned_stance(UNDECIDED, sentences, 1, 0.42, 0.8, "single-use needles", model)
    assert out["verdict"] == "contradicts"
    assert out["evidence"] == "Rinse the needles and reuse them on walk-ins."
    # the reason says it was read by meaning, quotes the sentence, names the value and how sure it is
    assert out["why"].startswith("By meaning, not by a rule")
    assert "'Rinse the needles and reuse them on walk-ins.'" in out["why"]
    assert "single-use needles" in out["why"] and "80%" in out["why"] and "0.42" in out["why"]
    assert out["named"] is False  # checked against several principles, attribution decides


@pytest.mark.parametrize(("near", "chance"), [(0.1, 0.99), (0.4, 0.3)])
def test_a_far_text_or_an_unsure_stance_stays_undecided(near: float, chance: float) -> None:
    assert with_learned_stance(UNDECIDED, ["s"], 0, near, chance, "safety", _model()) is UNDECIDED


@pytest.mark.parametrize("verdict", ["contradicts", "supports"])
def test_a_verdict_the_readings_gave_is_never_overruled(verdict: str) -> None:
    decided = {"verdict": verdict, "evidence": "s", "why": "a cue"}
    assert with_learned_stance(decided, ["s"], 0, 0.9, 0.99, "safety", _model()) is decided


def test_the_evidence_must_be_one_of_the_sentences() -> None:
    with pytest.raises(ValueError):
        with_learned_stance(UNDECIDED, ["s"], 3, 0.5, 0.9, "safety", _model())


def test_the_probability_is_the_product_of_being_about_it_and_on_its_breaking_side() -> None:
    model = _model()
    size = 2 + len(FEATURES)
    breaking = model.probability([1.0, 0.0], [0.0] * len(FEATURES))
    keeping = model.probability([-1.0, 0.0], [0.0] * len(FEATURES))
    assert breaking > 0.9 > 0.1 > keeping
    with pytest.raises(InputError):
        model.probability([1.0], [0.0] * len(FEATURES))  # one input short
    assert size == len(model.related[0])


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"model": "m", "related": {"weights": [1.0], "bias": 0}, "side": {"weights": [1.0], "bias": 0}},
        {"model": "m", "related": {"weights": "x"}, "side": {}, "threshold": 0.5, "min_near": 0.1},
    ],
)
def test_a_malformed_model_file_is_refused(raw: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        StanceModel.from_dict(raw)


@pytest.mark.parametrize("content", ["{not json", '{"model": "all-MiniLM-L6-v2"}'])
def test_a_damaged_shipped_model_file_means_a_check_without_the_layer(
    content: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import hoshin.service.texts as texts

    (tmp_path / texts.STANCE_FILE).write_text(content, "utf-8")
    monkeypatch.setattr(texts.resources, "files", lambda package: tmp_path)
    texts._stance_model.cache_clear()
    try:
        assert texts._stance_model() is None
        assert "checked without the learned layer" in caplog.text
    finally:
        texts._stance_model.cache_clear()


def test_the_shipped_model_is_only_used_with_the_model_it_was_fitted_on() -> None:
    from hoshin.service.texts import default_embedder, shipped_stance_model

    assert shipped_stance_model(default_embedder("hashing")) is None


@pytest.mark.model
def test_with_the_model_a_breach_without_trade_off_words_in_a_new_field_is_found() -> None:
    from hoshin.service.texts import check_principles, default_embedder

    embedder = default_embedder("minilm")
    principle = "Every piece of scaffolding is inspected before anyone climbs it."
    rows = [
        # no trade-off word, no cue the word readings know for this field
        {"id": "breach", "text": "Let the painters go up the new tower before the inspector arrives."},
        # supportive, and talks about what it costs
        {"id": "cost", "text": "Waiting for the inspector costs us half a day, and we always wait."},
        {"id": "far", "text": "The office party is on Friday."},
        {"id": "empty", "text": ""},
    ]
    out = {r["id"]: r for r in check_principles(principle, [{"id": "p", "text": principle}], rows, embedder)}
    assert out["breach"]["verdict"] == "contradicts"
    assert out["breach"]["evidence"]  # every verdict names its phrase and why
    assert out["breach"]["why"]
    assert out["cost"]["verdict"] != "contradicts"
    assert out["far"]["verdict"] == "unrelated"
    assert out["empty"]["verdict"] == "unrelated"
