"""A text the readings leave undecided contradicts a principle by meaning when it is close to the
principle and closer still to the principle given up (domain/principle_meaning.py)."""

from __future__ import annotations

from typing import Any

import pytest

from hoshin.domain.principle_meaning import MEANING_CLOSE, MEANING_MARGIN, given_up_prototype, with_meaning

UNDECIDED: dict[str, Any] = {"verdict": "unrelated", "evidence": None, "why": "Shares no subject."}


def test_the_principle_given_up_names_its_value_and_what_it_ranks_lower() -> None:
    assert given_up_prototype("patient safety", "speed or cost") == "Ignore patient safety for speed or cost."
    # a principle that ranks nothing lower is given up for time and money
    assert given_up_prototype("kitchen hygiene", "") == "Ignore kitchen hygiene to save time or money."
    assert given_up_prototype(" privacy ", "  ") == "Ignore privacy to save time or money."


def test_a_close_sentence_that_leans_to_the_principle_given_up_contradicts_by_meaning() -> None:
    sentences = ["The menu changes in June.", "Wipe the counters with the same cloth all night."]
    out = with_meaning(UNDECIDED, sentences, [0.1, 0.3], [0.1, 0.41])
    assert out["verdict"] == "contradicts"
    assert out["evidence"] == "Wipe the counters with the same cloth all night."
    # the reason says it was read by meaning, quotes the sentence and the closeness it rests on
    assert out["why"].startswith("By meaning")
    assert "'Wipe the counters with the same cloth all night.'" in out["why"]
    assert "0.30" in out["why"] and "0.41" in out["why"]
    assert out["named"] is False  # checked against several principles, attribution decides


def test_the_sentence_that_leans_furthest_is_the_evidence() -> None:
    out = with_meaning(UNDECIDED, ["a", "b"], [0.5, 0.3], [0.57, 0.45])
    assert out["evidence"] == "b"


@pytest.mark.parametrize(
    ("near", "given_up"),
    [
        (MEANING_CLOSE - 0.01, MEANING_CLOSE + 0.2),  # too far from the principle
        (0.4, 0.4 + MEANING_MARGIN - 0.01),  # close, but not leaning far enough to its giving up
        (0.5, 0.3),  # close, and nearer the principle than its giving up: it says what it asks
    ],
)
def test_a_sentence_too_far_or_not_leaning_away_stays_undecided(near: float, given_up: float) -> None:
    assert with_meaning(UNDECIDED, ["s"], [near], [given_up]) is UNDECIDED


def test_a_text_whose_whole_does_not_lean_away_stays_undecided() -> None:
    # one short aside ("We fix it.") leaning away does not make the whole text a contradiction
    assert (
        with_meaning(UNDECIDED, ["We fix it.", "s"], [0.57, 0.2], [0.65, 0.1], whole=(0.45, 0.4)) is UNDECIDED
    )
    leaning = with_meaning(UNDECIDED, ["We fix it.", "s"], [0.57, 0.2], [0.65, 0.1], whole=(0.45, 0.52))
    assert leaning["verdict"] == "contradicts"


@pytest.mark.parametrize("verdict", ["contradicts", "supports"])
def test_a_verdict_the_readings_gave_is_never_overruled(verdict: str) -> None:
    decided = {"verdict": verdict, "evidence": "s", "why": "a cue"}
    assert with_meaning(decided, ["s"], [0.5], [0.9]) is decided


def test_no_sentences_leave_the_text_undecided() -> None:
    assert with_meaning(UNDECIDED, [], [], []) is UNDECIDED


def test_sentences_and_similarities_must_match() -> None:
    with pytest.raises(ValueError):
        with_meaning(UNDECIDED, ["a", "b"], [0.5], [0.9])


@pytest.mark.model
def test_with_the_model_a_fresh_breach_contradicts_by_meaning_and_a_close_keeping_does_not() -> None:
    from hoshin.service.texts import check_principles, default_embedder

    embedder = default_embedder("minilm")
    hygiene = "We never cut corners on kitchen hygiene."
    rows = [
        {"id": "cloth", "text": "Wipe the counters with the same cloth all night."},  # no cue the rules know
        {"id": "washed", "text": "Every knife is washed between raw fish and fruit."},
        {"id": "far", "text": "The terrace opens in May."},
        {"id": "empty", "text": ""},
        {"id": "blank", "text": "   "},
    ]
    out = {r["id"]: r for r in check_principles(hygiene, [{"id": "h", "text": hygiene}], rows, embedder)}
    assert out["cloth"]["verdict"] == "contradicts"
    assert out["cloth"]["why"].startswith("By meaning")
    assert out["cloth"]["evidence"] == "Wipe the counters with the same cloth all night."
    assert out["washed"]["verdict"] == "supports"
    assert {out[k]["verdict"] for k in ("far", "empty", "blank")} == {"unrelated"}

    # close in meaning (cosine about 0.47) and keeping the principle: no contradiction by meaning
    privacy = "We protect our members' privacy."
    kept = [{"id": "cabinet", "text": "Members' addresses are kept in a locked cabinet."}]
    (result,) = check_principles(privacy, [{"id": "p", "text": privacy}], kept, embedder)
    assert result["verdict"] != "contradicts"


def test_a_model_whose_similarities_were_not_measured_reads_nothing_by_meaning() -> None:
    from hoshin.service.texts import check_principles, default_embedder

    hygiene = "We never cut corners on kitchen hygiene."
    rows = [{"id": "cloth", "text": "Wipe the counters with the same cloth all night."}]
    (result,) = check_principles(hygiene, [{"id": "h", "text": hygiene}], rows, default_embedder("hashing"))
    assert "By meaning" not in result["why"]
