"""A principle's act, negated in a text or done in other words, breaks it (domain/principle_acts.py,
service/principle_acts.py)."""

from __future__ import annotations

import pytest

from hoshin.domain.principle_acts import (
    ASKED,
    FORBIDDEN,
    ActClause,
    act_broken,
    act_clauses,
    principle_act,
    with_act_broken,
)


def test_the_act_a_principle_forbids_or_asks_is_read_without_subject_and_negation() -> None:
    assert principle_act("We never sell our customers' data.") == (FORBIDDEN, "sell our customers' data")
    assert principle_act("We disclose every known defect to buyers.") == (
        ASKED,
        "disclose every known defect to buyers",
    )
    # the clause that holds the negation names the forbidden act
    assert principle_act("We edit carefully: we never alter a quote.") == (FORBIDDEN, "alter a quote")


@pytest.mark.parametrize("text", ["", "   ", "We never.", "Always."])
def test_no_act_is_read_from_too_few_words(text: str) -> None:
    assert principle_act(text) is None


def test_a_negated_clause_is_read_without_its_negation() -> None:
    clauses = act_clauses("The jam contained a nut oil not printed on the jar.")
    assert ActClause("The jam contained a nut oil printed on the jar.", True) in clauses
    assert all(c.negated for c in clauses)
    plain = act_clauses("Print the nut oil on the jar.")
    assert plain == [ActClause("Print the nut oil on the jar.", False)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Our price has no hidden fees.",  # a breach ruled out keeps the principle
        "Shorten the week without cutting pay.",  # so does a cut ruled out
        "We declined the offer because the buyer would not say who the data was for.",  # a refusal
        "We recalled the kettle because users could not see the warning.",  # a reason, not the act
    ],
)
def test_a_negation_that_keeps_the_principle_is_not_read_as_negating_its_act(sentence: str) -> None:
    assert [c for c in act_clauses(sentence) if c.negated] == []


def test_only_a_negated_clause_close_to_an_asked_act_breaks_it() -> None:
    negated, plain = ActClause("print the allergen on the pack", True), ActClause("print it", False)
    assert act_broken(ASKED, [negated], [0.5]) == negated.text
    assert act_broken(ASKED, [plain], [0.9]) is None  # doing the act keeps it
    assert act_broken(ASKED, [negated], [0.1]) is None  # too far from the act
    # a negated clause is no break of a principle that forbids the act ("we never pass it on")
    assert act_broken(FORBIDDEN, [negated], [0.9]) is None


def test_a_broken_act_turns_only_an_unrelated_verdict_in_a_close_sentence() -> None:
    unrelated = {"verdict": "unrelated", "evidence": None, "why": "."}
    supports = {"verdict": "supports", "evidence": "s", "why": "."}
    broken = {"s": "print the allergen"}
    turned = with_act_broken(unrelated, ["s"], [0.3], broken, 0.12)
    assert turned["verdict"] == "contradicts" and "print the allergen" in turned["why"]
    assert with_act_broken(supports, ["s"], [0.3], broken, 0.12) is supports
    assert with_act_broken(unrelated, ["s"], [0.05], broken, 0.12) is unrelated  # too far
    assert with_act_broken(unrelated, ["s"], [0.3], {}, 0.12) is unrelated


@pytest.mark.model
def test_with_the_model_a_negated_disclosure_contradicts_and_a_kept_one_does_not() -> None:
    from hoshin.embedding.minilm import MiniLMEmbedder
    from hoshin.service.texts import check_principles

    principle = "Every allergen is printed on the packet."
    rows = [
        {"id": "hid", "text": "The bakery admitted the cookies held a peanut oil not printed on the packet."},
        {"id": "kept", "text": "Print every allergen on the packet, including traces of sesame."},
        {"id": "far", "text": "The delivery van is due for a service on Monday."},
    ]
    out = check_principles(principle, [{"id": "p", "text": principle}], rows, MiniLMEmbedder())
    verdicts = {r["id"]: r["verdict"] for r in out}
    assert verdicts == {"hid": "contradicts", "kept": "supports", "far": "unrelated"}
