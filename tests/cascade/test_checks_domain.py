"""The pure cascade rules: cue lexicons, commercial-language test, duplicate/conflict pairing."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.cascade_checks import (
    CheckLimits,
    ancestors,
    conflicting_pairs,
    direction,
    duplicate_pairs,
    is_mission_neutral,
    is_weak_parent,
    shared_subject_words,
)


@pytest.mark.parametrize(
    "text, side",
    [
        ("Buy brake cables from the cheapest vendor we can find", "cost"),
        ("Cut packaging spend by 10%", "cost"),
        ("Lower the price of our entry model", "cost"),
        ("Make hinges that survive 50,000 openings", "quality"),
        ("Halve early failures of the pump", "quality"),
        ("Brake pads that still grip after 10,000 wet km", "quality"),
        ("Raise the durability of painted frames", "quality"),
        ("Keep every ladder safe under a 150 kg load", "quality"),
        ("Cut cost without any loss of reliability", None),  # balances both: no side
        ("Open an office in Lyon", None),
        ("Sell more energy-saving fridges", None),  # 'saving' here is no cost cue
        ("Explain the lifetime running cost of each model to dealers", "quality"),
    ],
)
def test_direction_reads_which_way_a_goal_pulls(text: str, side: str | None) -> None:
    assert direction(text) == side


def test_direction_of_empty_text_is_none() -> None:
    assert direction("") is None


@pytest.mark.parametrize(
    "text, neutral",
    [
        ("Grow revenue in Central Europe by 20%", True),
        ("Increase sales to existing customers by a quarter", True),
        ("Launch a mayonnaise recipe blog to grow social media followers", False),
        ("Convert two product lines to isobutane", False),
        ("Reach 50,000 newsletter subscribers", True),
        ("Launch a weekly cooking blog to double our social media following", False),
        ("2027", True),  # nothing to judge
    ],
)
def test_mission_neutral_is_plain_commercial_language_only(text: str, neutral: bool) -> None:
    assert is_mission_neutral(text) is neutral


def test_shared_subject_words_can_leave_out_cue_words() -> None:
    a, b = "Cut the cost of door seals", "Door seals that survive ten years at low cost"
    assert set(shared_subject_words(a, b, skip_cues=True)) == {"door", "seals"}
    assert "cost" in shared_subject_words(a, b)
    assert shared_subject_words(a, b, ignore=frozenset({"door"}), skip_cues=True) == ("seals",)


def _sim(n: int, pairs: dict[tuple[int, int], float]) -> np.ndarray:
    sim = np.eye(n, dtype=np.float32)
    for (i, j), value in pairs.items():
        sim[i, j] = sim[j, i] = value
    return sim


def test_duplicates_need_close_meaning_shared_words_and_no_ancestry() -> None:
    texts = [
        "Halve compressor returns",  # 0
        "Cut compressor returns by half",  # 1: duplicate of 0
        "Halve compressor returns this year",  # 2: child of 0, restates it
        "Reduce returns of lids",  # 3: close vector but ...
        "Paint the hall",  # 4: close vector, no shared word
    ]
    sim = _sim(5, {(0, 1): 0.80, (0, 2): 0.95, (1, 2): 0.60, (0, 4): 0.9, (1, 3): 0.69})
    above = [set(), set(), {0}, set(), set()]
    pairs = duplicate_pairs(texts, sim, above, CheckLimits(duplicate_cosine=0.70))
    assert [(p.first, p.second) for p in pairs] == [(0, 1)]
    assert "compressor" in pairs[0].words


def test_conflicts_pair_a_cost_goal_with_a_quality_goal_on_one_subject() -> None:
    texts = [
        "Source the cheapest brake pads to lower unit cost",  # cost
        "Brake pads that survive 10,000 km of wet riding",  # quality, same subject
        "Make saddles more durable",  # quality, other subject
        "Source the cheapest saddle covers",  # cost, but far in meaning
    ]
    sim = _sim(4, {(0, 1): 0.5, (0, 2): 0.5, (2, 3): 0.2})
    pairs = conflicting_pairs(texts, sim, [set()] * 4)
    assert [(p.first, p.second) for p in pairs] == [(0, 1)]
    assert set(pairs[0].words) >= {"brake", "pads"}
    # A goal that descends from the other is a refinement, not a rival.
    assert conflicting_pairs(texts, sim, [set(), {0}, set(), set()]) == []


def test_weak_parent_needs_a_clear_gap() -> None:
    assert is_weak_parent(0.10, 0.36)
    assert not is_weak_parent(0.30, 0.45)  # gap too small
    assert not is_weak_parent(0.25, 0.46)  # more than half of the best
    assert not is_weak_parent(0.40, 0.40)


def test_ancestors_follow_every_parent() -> None:
    parents = {0: (), 1: (0,), 2: (1, 3), 3: ()}
    assert ancestors(parents, 2) == {0, 1, 3}
    assert ancestors(parents, 0) == set()
