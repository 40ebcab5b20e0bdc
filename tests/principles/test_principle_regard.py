"""Principles of respect and equal treatment: people sorted and treated worse, contempt shown, and
"only some" against a principle that covers every one (domain/principle_regard.py, principles.py);
and telling others what a privacy principle keeps."""

from __future__ import annotations

import pytest

from hoshin.domain.lexicon import tokens
from hoshin.domain.principle_regard import only_some, treated_unequally
from hoshin.domain.principles import judge_principle, parse_principle

EQUAL = "We treat every tenant fairly, whatever their background."
RESPECT = "We treat every guest with dignity."


def test_turning_away_people_narrowed_by_a_trait_is_read() -> None:
    assert treated_unequally(tokens("Turn away renters who receive housing benefit.")) == [
        "turn away ... who"
    ]
    assert treated_unequally(tokens("Only interview graduates from three universities.")) == [
        "only interview"
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "We never reject tenants who have pets.",  # negated: the principle kept
        "Reject the bid; it came in late.",  # nobody sorted by a trait
        "Pets are allowed only if the neighbours agree.",  # a condition, not a narrowing
        "The lease is not only cheaper but clearer.",
    ],
)
def test_no_unequal_treatment_is_read_where_there_is_none(sentence: str) -> None:
    assert treated_unequally(tokens(sentence)) == []


def test_only_some_reads_a_narrowing_and_not_a_condition() -> None:
    assert only_some(tokens("Refund only the orders that complain twice.")) == ["only the"]
    assert only_some(tokens("Refund orders only when the parcel is lost.")) == []


def test_a_principle_says_whom_it_covers_alike_by_its_shape_or_words() -> None:
    assert "equality" in parse_principle(EQUAL).concepts  # "whatever their background"
    assert "equality" in parse_principle("All patients get the same care, whoever they are.").concepts
    assert "dignity" in parse_principle(RESPECT).concepts
    assert not {"equality", "dignity"} & parse_principle("We never trade safety for cost.").concepts


def test_a_close_sentence_that_sorts_people_contradicts_and_names_the_shape() -> None:
    principle = parse_principle(EQUAL)
    text = "Turn away renters who receive housing benefit."
    verdict = judge_principle(principle, [text], [0.3])
    assert verdict["verdict"] == "contradicts" and "turn away ... who" in verdict["why"]
    assert verdict["evidence"] == text
    # far from the principle the shape says nothing: a bid rejected by a builder is no tenant's matter
    assert judge_principle(principle, [text], [0.05])["verdict"] == "unrelated"
    kept = judge_principle(principle, ["We never turn away renters who receive housing benefit."], [0.3])
    assert kept["verdict"] != "contradicts"


def test_contempt_in_a_close_sentence_breaks_a_principle_of_respect() -> None:
    principle = parse_principle(RESPECT)
    verdict = judge_principle(principle, ["Front desk staff mocked the guest's accent."], [0.3])
    assert verdict["verdict"] == "contradicts" and "mocked" in verdict["why"]
    refused = judge_principle(principle, ["Staff never mock a guest, whatever happens."], [0.3])
    assert refused["verdict"] != "contradicts"
    # the same word against a principle of another kind says nothing
    safety = parse_principle("We never trade safety for cost.")
    assert judge_principle(safety, ["Front desk staff mocked the guest's accent."], [0.3])["verdict"] != (
        "contradicts"
    )


def test_only_some_breaks_a_principle_that_covers_every_one() -> None:
    principle = parse_principle("We answer every complaint within a week.")
    verdict = judge_principle(principle, ["Answer only the complaints that come from big accounts."], [0.4])
    assert verdict["verdict"] == "contradicts" and "only the" in verdict["why"]
    # a principle that covers no "every" is not broken by "only"
    narrow = parse_principle("Complaints are answered within a week.")
    said = judge_principle(narrow, ["Answer only the complaints that come from big accounts."], [0.4])
    assert said["verdict"] != "contradicts"


def test_more_of_something_the_principle_does_not_name_is_no_cue_of_support() -> None:
    principle = parse_principle("Guest safety comes before profit.")
    unnamed = judge_principle(principle, ["Add extra tables to the terrace."], [0.3])
    assert "(extra" not in unnamed["why"]
    named = judge_principle(principle, ["Add extra safety rails to the terrace."], [0.3])
    assert named["verdict"] == "supports" and "extra" in named["why"]


@pytest.mark.model
def test_with_the_model_sorting_applicants_contradicts_and_anonymising_does_not() -> None:
    from hoshin.service.texts import check_principles, default_embedder

    principle = "Every applicant is treated equally, whatever their background."
    rows = [
        {"id": "sorted", "text": "Reject applicants who did not study at a private school."},
        {"id": "kept", "text": "Applications are read with names and ages removed."},
        {"id": "far", "text": "The office coffee machine is broken again."},
    ]
    out = check_principles(principle, [{"id": "p", "text": principle}], rows, default_embedder("minilm"))
    verdicts = {r["id"]: r["verdict"] for r in out}
    assert verdicts["sorted"] == "contradicts"
    assert verdicts["kept"] != "contradicts" and verdicts["far"] == "unrelated"


def test_telling_others_what_a_privacy_principle_keeps_breaks_it() -> None:
    principle = parse_principle("We protect our patients' privacy.")
    verdict = judge_principle(principle, ["The nurse told the neighbours which patient had the scan."], [0.3])
    assert verdict["verdict"] == "contradicts" and "told" in verdict["why"]
    kept = judge_principle(principle, ["Staff never tell anyone which patient had the scan."], [0.3])
    assert kept["verdict"] != "contradicts"
