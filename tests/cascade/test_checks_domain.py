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
    figures,
    is_mission_neutral,
    is_weak_parent,
    nearest_pairs,
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
    # (1, 2) is below the figure cut-off too: "by half" and "halve" are one target said two ways
    # (tests/cascade/test_spoken_figures.py), a duplicate from 0.45 up.
    sim = _sim(5, {(0, 1): 0.80, (0, 2): 0.95, (1, 2): 0.40, (0, 4): 0.9, (1, 3): 0.69})
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


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Keep monthly uptime above 99.95%", {"99.95%": "99.95%"}),
        ("Win 3,000 loyalty card members", {"3000": "3,000"}),
        ("Cut churn to 3 % and answer within 48 hours", {"3%": "3 %", "48": "48"}),
        ("Process 1,000,000 claims, then 1,000,000 more", {"1000000": "1,000,000"}),
        ("Reach the target by 2027", {}),  # a year is in many unrelated goals
        ("Open 2 branches in 3 towns", {}),  # small counts tell nothing apart
        ("Q3 results, COVID-19 tests, release v2.1, ISO9001", {}),  # parts of words and codes
        ("Ship 12.5.3 of the app", {}),  # a version, not a figure
        ("", {}),
        ("%, 50%%, .5", {}),
    ],
)
def test_figures_are_the_targets_that_tell_goals_apart(text: str, expected: dict[str, str]) -> None:
    assert figures(text) == expected


def test_two_goals_stating_one_figure_are_duplicates_at_a_lower_closeness() -> None:
    texts = [
        "Keep monthly uptime above 99.95%",  # 0
        "Hold service availability at 99.95% or better",  # 1: same target, other words
        "Raise the renewal rate to 97%",  # 2: another figure
        "Hold the help desk at 99.95% answered calls",  # 3: same figure, too far in meaning
    ]
    sim = _sim(4, {(0, 1): 0.48, (1, 2): 0.60, (0, 3): 0.30})
    limits = CheckLimits(duplicate_cosine=0.67, duplicate_figure_cosine=0.45)
    pairs = duplicate_pairs(texts, sim, [set()] * 4, limits)
    assert [(p.first, p.second, p.figures) for p in pairs] == [(0, 1, ("99.95%",))]
    assert pairs[0].words == ()  # below the word cut-off: the figure is the evidence
    # Without the figure rule only the word rule remains, and it finds nothing this far apart.
    strict = CheckLimits(duplicate_cosine=0.67, duplicate_figure_cosine=1.0)
    assert duplicate_pairs(texts, sim, [set()] * 4, strict) == []


def test_each_goal_is_paired_only_with_its_few_closest_goals() -> None:
    # Twelve goals that all read alike (a templated tree): a threshold alone would pair all 66;
    # each goal keeps its two closest, so at most 2 x 12 pairs, and each closest pair is there.
    n = 12
    texts = [f"Cut compressor failures in plant number {k}" for k in range(n)]
    sim = np.full((n, n), 0.90, dtype=np.float32)
    for k in range(0, n, 2):
        sim[k, k + 1] = sim[k + 1, k] = 0.99  # each even goal's closest twin
    np.fill_diagonal(sim, 1.0)
    pairs = duplicate_pairs(texts, sim, [set()] * n, CheckLimits(duplicates_per_goal=2))
    found = {(p.first, p.second) for p in pairs}
    assert len(found) <= 2 * n < n * (n - 1) // 2
    assert {(k, k + 1) for k in range(0, n, 2)} <= found


def test_ancestors_and_rivals_do_not_use_up_a_goals_closest_places() -> None:
    texts = [
        "Halve compressor returns",  # 0: objective
        "Halve compressor returns in Poland",  # 1-3: its key results restate it
        "Halve compressor returns in Italy",
        "Halve compressor returns in Spain",
        "Halve compressor returns across Europe",  # 4: another unit's goal, the real duplicate
        "Double compressor returns",  # 5: pulls the other way (a rival)
    ]
    sim = _sim(6, {(0, 1): 0.97, (0, 2): 0.97, (0, 3): 0.97, (0, 5): 0.96, (0, 4): 0.80})
    above = [set(), {0}, {0}, {0}, set(), set()]
    pairs = duplicate_pairs(texts, sim, above, CheckLimits(duplicates_per_goal=1), apart=[(0, 5)])
    assert (0, 4) in {(p.first, p.second) for p in pairs}
    assert all({p.first, p.second} not in ({0, 1}, {0, 2}, {0, 3}, {0, 5}) for p in pairs)


def test_nearest_pairs_refuses_bad_input_and_handles_tiny_or_broken_matrices() -> None:
    sim = _sim(3, {(0, 1): 0.9, (1, 2): float("nan")})
    with pytest.raises(ValueError, match="per_goal"):
        nearest_pairs(sim, 3, [set()] * 3, per_goal=0, floor=0.5)
    with pytest.raises(ValueError, match="apart"):
        nearest_pairs(sim, 3, [set()] * 2, per_goal=1, floor=0.5)
    assert nearest_pairs(np.zeros((0, 0)), 0, [], per_goal=3, floor=0.5) == {}
    assert nearest_pairs(np.eye(1), 1, [set()], per_goal=3, floor=0.5) == {}  # no goal pairs with itself
    # A NaN cosine (a broken vector) is never a pair; the rest still are.
    assert nearest_pairs(sim, 3, [set()] * 3, per_goal=5, floor=0.5) == {(0, 1): pytest.approx(0.9)}


def test_check_limits_refuse_a_goal_with_no_closest_places() -> None:
    with pytest.raises(ValueError, match="duplicates_per_goal"):
        CheckLimits(duplicates_per_goal=0)


def test_duplicates_of_no_goals_or_one_goal_are_none() -> None:
    assert duplicate_pairs([], np.zeros((0, 0), dtype=np.float32), []) == []
    assert duplicate_pairs(["Halve returns"], np.eye(1, dtype=np.float32), [set()]) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Stretch maintenance intervals from 30 to 45 days", {"45"}),  # 30 is where it starts
        ("Move from 20% to 35% of sales online", {"35%"}),
        ("Inspect every train's brakes at least every 30 days", {"30"}),
        ("Cut the waiting list from 120 patients", {"120"}),  # no target after it: still a figure
    ],
)
def test_a_starting_figure_is_no_target(text: str, expected: set[str]) -> None:
    assert set(figures(text)) == expected
