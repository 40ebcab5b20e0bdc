"""A close sentence that makes care hang on payment, or acts while a safeguard's means are out of
order, breaks the principle (domain/principle_circumstance.py)."""

from __future__ import annotations

import pytest

from hoshin.domain.lexicon import tokens
from hoshin.domain.principle_circumstance import acted_on_condition
from hoshin.domain.principles import judge_principle, parse_principle


def test_payment_as_a_condition_and_a_safeguard_down_are_read() -> None:
    paid = "Do not give pain relief after neutering unless the owner pays for it."
    assert acted_on_condition(tokens(paid)) == ["only if paid: unless"]
    down = "Give the evening doses from memory when the printer for the drug charts is down."
    assert acted_on_condition(tokens(down)) == ["done while is down"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Error rates are down this quarter.",
        "We treat injured strays unless a shelter can take them at once.",
        "The owner pays after the treatment, as agreed in the quote.",
    ],
)
def test_no_condition_is_read_where_there_is_none(sentence: str) -> None:
    assert acted_on_condition(tokens(sentence)) == []


def test_a_close_sentence_on_such_a_condition_contradicts() -> None:
    principle = parse_principle("Residents' medication is always double-checked.")
    text = "Give the evening doses from memory when the printer for the drug charts is down."
    verdict = judge_principle(principle, [text], [0.28])
    assert verdict["verdict"] == "contradicts" and "is down" in verdict["why"]
    far = judge_principle(principle, [text], [0.1])  # not about the principle: the shape says nothing
    assert far["verdict"] == "unrelated"
