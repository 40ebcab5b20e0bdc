"""Targets written in words meet the same target written in digits ("by a third" / "by 33%")."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.cascade_checks import CheckLimits, duplicate_pairs, figures
from hoshin.domain.spoken_figures import spoken_figures


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Cut hospital-acquired infections by a third", {"33%": "a third"}),
        ("Cut first-year dropout by a quarter", {"25%": "a quarter"}),
        ("Buy four fifths of our food locally", {"80%": "four fifths"}),
        ("Two thirds of staff trained", {"67%": "two thirds"}),
        ("Cut waiting times by one-third", {"33%": "one third"}),
        ("Halve patient falls on the wards", {"50%": "halve"}),
        ("Cut paper use in half", {"50%": "in half"}),
        ("Double research funding", {"x2": "double"}),
        ("Win twice as much research money", {"x2": "twice as much"}),
        ("Triple the number of apprentices", {"x3": "triple"}),
        ("Get three in ten tickets bought on the app", {"30%": "three in ten"}),  # not also "ten"
        ("Make sure 95 of every 100 trains arrive on time", {"95%": "95 of every 100"}),
        ("Nine out of 10 callers helped first time", {"90%": "nine out of 10"}),
        ("Enrol five thousand families", {"5000": "five thousand"}),
        ("Open twenty-five stores", {"25": "twenty-five"}),
    ],
)
def test_targets_in_words_read_as_the_figures_they_name(text: str, expected: dict[str, str]) -> None:
    assert spoken_figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Offer unsold bread at half price",  # a price, not a share of a target
        "Test the water twice a year",  # how often, not a ratio
        "Report results each quarter",  # a stretch of time
        "Close the books within a quarter",
        "Book a double room for every guest",
        "Open three shops",  # small counts tell nothing apart
        "One in a million",  # no round whole
        "Twelve in 10",  # more than the whole: no share
        "",
        "by a",  # cut short
        "three in",
        "fifths thirds quarter",
        "two third",  # number and fraction disagree
        "½ ⅓ %%",
    ],
)
def test_words_that_set_no_target_share_are_left_alone(text: str) -> None:
    assert spoken_figures(text) == ({"12": "twelve"} if text.startswith("Twelve") else {})


def test_figures_join_digits_and_words_without_losing_either() -> None:
    assert figures("Cut infections by a third, to 120 a year") == {"33%": "a third", "120": "120"}
    assert figures("Cut infections by 33%") == {"33%": "33%"}


def _sim(n: int, pairs: dict[tuple[int, int], float]) -> np.ndarray:
    sim = np.eye(n, dtype=np.float32)
    for (i, j), value in pairs.items():
        sim[i, j] = sim[j, i] = value
    return sim


def test_one_target_in_words_and_in_digits_is_a_duplicate_at_the_figure_closeness() -> None:
    texts = [
        "Cut hospital-acquired infections by a third",  # 0
        "Lower the rate of infections patients catch during their stay by 33%",  # 1: same target
        "Double research funding from regional partners",  # 2
        "Win twice as much research money from companies in the region",  # 3: same as 2
    ]
    sim = _sim(4, {(0, 1): 0.58, (2, 3): 0.50, (0, 2): 0.20, (1, 3): 0.20})
    pairs = duplicate_pairs(texts, sim, [set()] * 4, CheckLimits())
    assert [(p.first, p.second, p.figures) for p in pairs] == [(0, 1, ("a third",)), (2, 3, ("double",))]


def test_the_same_word_in_both_goals_is_no_figure_said_two_ways() -> None:
    # Two objectives that both "halve" something different: "halve" opens many targets, so a
    # shared "halve" waits for the word cut-off like any other shared word.
    texts = [
        "Halve the share of our refrigerators that fail in their first two years",
        "Halve the carbon footprint of building and running a refrigerator",
    ]
    assert duplicate_pairs(texts, _sim(2, {(0, 1): 0.55}), [set(), set()], CheckLimits()) == []
    # Digits in both still count: "99.95%" twice is one target.
    same_digits = ["Keep monthly uptime above 99.95%", "Hold service availability at 99.95%"]
    pairs = duplicate_pairs(same_digits, _sim(2, {(0, 1): 0.48}), [set(), set()], CheckLimits())
    assert [p.figures for p in pairs] == [("99.95%",)]


def test_a_fraction_too_far_in_meaning_is_still_no_duplicate() -> None:
    texts = ["Cut hospital-acquired infections by a third", "Cut the energy bill by 33%"]
    assert duplicate_pairs(texts, _sim(2, {(0, 1): 0.30}), [set(), set()], CheckLimits()) == []


def test_one_word_with_another_ending_is_still_the_same_word() -> None:
    texts = ["Halve the share of fridges that fail", "Halved the carbon footprint of a fridge"]
    assert duplicate_pairs(texts, _sim(2, {(0, 1): 0.55}), [set(), set()], CheckLimits()) == []
