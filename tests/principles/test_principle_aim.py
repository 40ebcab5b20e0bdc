"""A close sentence done for gain, or in spite of what the principle protects, breaks it
(domain/principle_aim.py, service/principle_aims.py)."""

from __future__ import annotations

import pytest

from hoshin.domain.principle_aim import AIM, CONCEDED, aim_given_up, clauses
from hoshin.domain.principles import judge_principle, parse_principle


def test_purpose_and_concession_clauses_are_found() -> None:
    assert clauses("Extend watch shifts to sixteen hours so we arrive a day earlier.") == [
        (AIM, "we arrive a day earlier")
    ]
    assert clauses("Finish the synthesis by Friday even if the safety review waits.") == [
        (CONCEDED, "the safety review waits")
    ]
    assert clauses("Skip the waste labelling this week; we have a grant deadline.") == [
        (AIM, "we have a grant deadline")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The children's reading hour moves to Thursday afternoons.",  # a time, not an aim
        "Hand the file to the officer at the desk.",  # a place
        "We refused a partner's offer to buy our customer list.",  # "offer to" completes a noun
        "The release slipped a day because the changes were still in review.",  # a cause
        "To keep the kitchen clean, wipe every board after use.",  # opens with its aim
        "",
    ],
)
def test_no_aim_is_read_where_there_is_none(sentence: str) -> None:
    assert [c for c in clauses(sentence) if c[0] == AIM] == []


def test_an_aim_for_gain_or_a_conceded_value_gives_the_principle_up() -> None:
    gain = "Extend watch shifts to sixteen hours so we arrive a day earlier."
    assert aim_given_up(gain, {(AIM, "we arrive a day earlier"): "gain"}) == [
        "done for: we arrive a day earlier"
    ]
    assert aim_given_up(gain, {(AIM, "we arrive a day earlier"): ""}) == []  # an aim that serves the value
    conceded = "Finish the synthesis by Friday even if the safety review waits."
    assert aim_given_up(conceded, {(CONCEDED, "the safety review waits"): "value"})
    assert aim_given_up(conceded, {}) == []  # nothing measured: nothing read


def test_a_refused_act_or_support_outside_the_aim_keeps_the_principle() -> None:
    refused = "We turned down the order to save money."
    assert aim_given_up(refused, {(AIM, "save money"): "gain"}) == []
    paid = "We paid more for certified parts so we could ship sooner."
    leaning = {(AIM, "we could ship sooner"): "gain"}
    assert aim_given_up(paid, leaning, ["paid more"]) == []  # the price paid is outside the aim
    more = "Cut the consultation to two minutes to see more patients per day."
    assert aim_given_up(more, {(AIM, "see more patients per day"): "gain"}, ["more"])  # "more" is the aim


def test_judge_reads_the_aim_only_in_a_sentence_close_to_the_principle() -> None:
    principle = parse_principle("Crew safety is never traded for schedule.")
    text = "Keep the deck crew working through the gale so we arrive a day earlier."
    aims = {(AIM, "we arrive a day earlier"): "gain"}
    close = judge_principle(principle, [text], [0.2], aims=aims)
    assert close["verdict"] == "contradicts" and "we arrive a day earlier" in close["why"]
    far = judge_principle(principle, [text], [0.05], aims=aims)
    assert far["verdict"] == "unrelated"


@pytest.mark.model
def test_with_the_model_an_aim_for_gain_contradicts_and_a_caring_one_does_not() -> None:
    from hoshin.embedding.minilm import MiniLMEmbedder
    from hoshin.service.texts import check_principles

    principle = "Crew safety is never traded for schedule."
    rows = [
        {"id": "gain", "text": "Extend watch shifts to sixteen hours so we arrive a day earlier."},
        {"id": "care", "text": "Shorten watch shifts to eight hours so the crew can rest."},
    ]
    out = check_principles(principle, [{"id": "p", "text": principle}], rows, MiniLMEmbedder())
    verdicts = {r["id"]: r["verdict"] for r in out}
    assert verdicts["gain"] == "contradicts"
    assert verdicts["care"] != "contradicts"
