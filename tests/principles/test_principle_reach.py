"""How far from a principle a sentence may be and still break it (domain/principle_reach.py)."""

from __future__ import annotations

import pytest

from hoshin.domain.lexicon import stem, tokens
from hoshin.domain.principle_reach import (
    CLOSE_TO_BREAK,
    FAR,
    LOOSE,
    breaks_from_afar,
    gives_up_by_itself,
    pressed_or_aimed,
)
from hoshin.domain.principles import parse_principle
from hoshin.service.texts import check_principles


def _far(cues: list[str], sentence: str, similarity: float, near: frozenset[str] = frozenset()) -> bool:
    return breaks_from_afar(frozenset({stem("convenience")}), cues, tokens(sentence), similarity, near)


def test_thresholds_are_ordered() -> None:
    assert FAR <= LOOSE < CLOSE_TO_BREAK < 0.2


def test_a_plain_give_up_breaks_a_principle_from_far_off() -> None:
    assert gives_up_by_itself(frozenset(), ["without"])
    assert _far(["without"], "Merge the hotfix to main without a pull request.", 0.04)
    assert not _far(["without"], "Merge the hotfix to main without a pull request.", FAR - 0.01)


def test_a_motive_breaks_it_only_when_it_means_what_the_principle_ranks_lower() -> None:
    sentence = "Leave the stair gate open, it is easier for the staff."
    assert _far(["easier"], sentence, 0.1, near=frozenset({"easier"}))
    assert not _far(["easier"], sentence, 0.1)  # the motive is not what the principle ranks lower
    assert not _far(["easier"], sentence, LOOSE - 0.01, near=frozenset({"easier"}))  # too far


def test_a_motive_that_is_the_act_itself_gives_nothing_up() -> None:
    near = frozenset({"speed up"})
    assert not _far(["speed up"], "Speed up invoicing by emailing the bills.", 0.11, near)
    assert _far(["speed up"], "To speed up boarding, let the crew skip it.", 0.11, near)


def test_a_dismissive_word_alone_needs_a_close_sentence() -> None:
    assert not _far(["optional"], "Seat belts on the shuttle are optional now.", 0.1)


@pytest.mark.model
def test_same_topic_texts_that_give_nothing_up_stay_unrelated() -> None:
    from hoshin.service.texts import default_embedder

    embedder = default_embedder("minilm")
    cases = [
        ("Safety comes before speed or cost.", "Speed up invoicing by emailing the bills.", "unrelated"),
        (
            "Safety comes before speed or cost.",
            "Speed up the payroll run with a new spreadsheet.",
            "unrelated",
        ),
        (
            "No production target justifies risking a miner's life.",
            "The canteen adds a vegetarian option.",
            "unrelated",
        ),
        (
            "We never ship code that has not been reviewed.",
            "Deploy the hotfix straight to main without a pull request.",
            "contradicts",
        ),
        (
            "Staff wellbeing comes before deadlines.",
            "Scrap the no-calls-after-seven rule so clients get faster replies.",
            "contradicts",
        ),
    ]
    for principle, text, expected in cases:
        got = check_principles(
            principle, [{"id": "p", "text": principle}], [{"id": "x", "text": text}], embedder
        )
        assert got[0]["verdict"] == expected, (principle, text, got[0]["why"])


def test_an_act_done_under_pressure_or_for_ease_is_named() -> None:
    assert pressed_or_aimed(tokens("Reuse the gloves during the dinner rush."), frozenset()) == [
        "done under pressure: rush"
    ]
    aimed = pressed_or_aimed(
        tokens("Put everyone to bed at seven so the staff do not have to help."), frozenset()
    )
    assert aimed == ["done so that: do not have to"]
    # an aim that opens the sentence is what the sentence is for, often the value itself
    assert pressed_or_aimed(tokens("To keep the kitchen clean, wipe every board."), frozenset()) == []
    assert pressed_or_aimed(tokens("The kitchen is not busy, so we close early."), frozenset()) == []


@pytest.mark.model
def test_close_acts_under_pressure_contradict_and_same_topic_texts_do_not() -> None:
    from hoshin.service.texts import default_embedder

    embedder = default_embedder("minilm")
    principle = "We never cut corners on kitchen hygiene."
    cases = {
        "Reuse the same gloves for raw meat and vegetables during the dinner rush.": "contradicts",
        "We hired two more cleaners so the kitchen stays spotless.": "supports",
        "The kitchen is busy on Fridays, so we open the second grill.": "unrelated",
    }
    rows = [{"id": str(n), "text": t} for n, t in enumerate(cases)]
    got = check_principles(principle, [{"id": "p", "text": principle}], rows, embedder)
    assert [r["verdict"] for r in got] == list(cases.values()), [r["why"] for r in got]
    assert "rush" in got[0]["why"]


def test_a_check_skipped_in_a_sentence_naming_what_the_principle_ranks_lower_is_given_up_for_it() -> None:
    traded = parse_principle("No deadline justifies unsafe handling of chemicals.").traded_for
    skipped = tokens("Skip the fume cupboard check today; the grant deadline is Friday.")
    assert "skip for: deadline" in pressed_or_aimed(skipped, traded)
    kept = tokens("Never skip the fume cupboard check, whatever the deadline.")
    assert not any(c.startswith("skip for") for c in pressed_or_aimed(kept, traded))
    assert not any(c.startswith("skip for") for c in pressed_or_aimed(tokens("Skip the team lunch."), traded))
