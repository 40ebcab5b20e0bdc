"""Which theme a goal serves on the strategy map: the theme it stands out for among the
organisation's goals, not the product theme every goal is close to."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.theme_lanes import MIN_GOALS, distinct_themes


def _closeness(extra: dict[tuple[int, int], float], goals: int = 8) -> np.ndarray:
    """Every goal close to theme 0 (the product), a little to themes 1 and 2, plus `extra`."""
    rng = np.random.default_rng(7)
    base = np.column_stack([np.full(goals, 4.0), np.full(goals, 1.0), np.full(goals, 1.0)])
    base += rng.normal(0.0, 0.1, base.shape)
    for (goal, theme), value in extra.items():
        base[goal, theme] = value
    return base


def test_a_goal_goes_to_the_theme_it_stands_out_for_not_the_closest() -> None:
    closeness = _closeness({(2, 1): 3.0, (5, 2): 3.5})
    lanes = distinct_themes(closeness, ["product", "families", "planet"])
    assert lanes[2] == "families"  # still closest to the product (4.0), but stands out for families
    assert lanes[5] == "planet"


def test_a_theme_with_several_rows_counts_its_best_row() -> None:
    closeness = _closeness({(3, 2): 3.5})
    lanes = distinct_themes(closeness, ["product", "planet", "planet"])
    assert lanes[3] == "planet"


def test_a_goal_no_theme_sets_apart_serves_the_mission_as_a_whole() -> None:
    closeness = _closeness({(4, 0): 1.0, (4, 1): 0.0, (4, 2): 0.0})
    assert distinct_themes(closeness, ["product", "families", "planet"], whole="")[4] == ""
    assert distinct_themes(closeness, ["product", "families", "planet"])[4] in {
        "product",
        "families",
        "planet",
    }


def test_with_few_goals_the_closest_theme_decides() -> None:
    closeness = _closeness({(1, 1): 3.0}, goals=MIN_GOALS - 1)
    assert distinct_themes(closeness, ["product", "families", "planet"]) == ["product"] * (MIN_GOALS - 1)


def test_rows_and_names_must_agree() -> None:
    with pytest.raises(ValueError, match="3 theme rows for 2 names"):
        distinct_themes(_closeness({}), ["product", "families"])


def test_no_goals_no_lanes() -> None:
    assert distinct_themes(np.zeros((0, 3)), ["a", "b", "c"]) == []
