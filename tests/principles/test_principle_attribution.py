"""A text checked against several principles breaks the ones it is about, not every one it could
be read against (domain/principle_attribution.py); and a close sentence that chooses for price or
despite a harm breaks the principle (domain/principle_choice.py)."""

from __future__ import annotations

import pytest

from hoshin.domain.lexicon import tokens
from hoshin.domain.principle_attribution import attribute_contradictions
from hoshin.domain.principle_choice import chosen_against
from hoshin.embedding import Embedder

GENERIC = {
    "verdict": "contradicts",
    "evidence": "s",
    "why": "weakens what the principle protects.",
    "named": False,
}
NAMED = {"verdict": "contradicts", "evidence": "s", "why": "weakens guest data.", "named": True}
UNRELATED = {"verdict": "unrelated", "evidence": None, "why": "Shares no subject."}


def test_a_shape_of_giving_up_is_kept_only_for_the_principle_the_text_is_about() -> None:
    out = attribute_contradictions([GENERIC, GENERIC, UNRELATED], [0.39, 0.06, 0.0], ["PETS", "PRIV", "X"])
    assert [o["verdict"] for o in out] == ["contradicts", "unrelated", "unrelated"]
    assert "PETS" in out[1]["why"] and "0.39" in out[1]["why"]
    assert all("named" not in o for o in out)  # bookkeeping never reaches a verdict


def test_close_principles_and_named_objects_keep_their_contradiction() -> None:
    near = attribute_contradictions([GENERIC, GENERIC], [0.30, 0.25], ["A", "B"], margin=0.1)
    assert [o["verdict"] for o in near] == ["contradicts", "contradicts"]  # within the margin
    named = attribute_contradictions([GENERIC, NAMED], [0.39, 0.05], ["A", "B"])
    assert named[1]["verdict"] == "contradicts"  # it names what B protects
    alone = attribute_contradictions([GENERIC], [0.01], ["A"])
    assert alone[0]["verdict"] == "contradicts"  # one principle: nothing to attribute


def test_choosing_for_price_or_despite_a_harm_is_read() -> None:
    flea = "Sell the cheaper flea treatment even though it causes skin reactions in some cats."
    found = chosen_against(flea, tokens(flea))
    assert "chosen for its price: cheaper" in found and "done although it causes" in found
    fees = "Rely on last year's valuation rather than getting a new one, it saves fees."
    assert chosen_against(fees, tokens(fees)) == ["done for: saves"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Speed limits on the coastal line were lowered, even though journeys take longer.",
        "If a deadline needs overtime, we move the deadline, not the people.",
        "We never choose the cheapest supplier.",
    ],
)
def test_a_cost_accepted_or_a_cheap_choice_refused_is_no_choice_against(sentence: str) -> None:
    assert chosen_against(sentence, tokens(sentence)) == []


@pytest.mark.model
def test_a_vet_practice_text_breaks_animal_welfare_not_guest_privacy() -> None:
    from hoshin.embedding.minilm import MiniLMEmbedder
    from hoshin.service.texts import check_principles

    embedder: Embedder = MiniLMEmbedder()
    principles = [
        {"id": "PETS", "text": "Animal welfare comes before profit."},
        {"id": "PRIV", "text": "We protect our guests' privacy."},
    ]
    text = "Sell the cheaper flea treatment even though it causes skin reactions in some cats."
    verdicts = {
        r["principle"]: r
        for r in check_principles("A vet practice.", principles, [{"id": "t", "text": text}], embedder)
    }
    assert verdicts["PETS"]["verdict"] == "contradicts" and "cheaper" in verdicts["PETS"]["why"]
    assert verdicts["PRIV"]["verdict"] == "unrelated" and "PETS" in verdicts["PRIV"]["why"]


def test_naming_what_one_principle_protects_makes_it_the_one_the_text_is_about() -> None:
    # "Scrap broken fridges instead of repairing them": it names repairing (P2); the shape alone
    # would also read against a principle it happens to be closer to by cosine.
    out = attribute_contradictions([GENERIC, NAMED], [0.22, 0.165], ["WATT", "REPAIR"])
    assert [o["verdict"] for o in out] == ["unrelated", "contradicts"]
