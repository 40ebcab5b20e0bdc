"""A batch of ideas sets its own core bound: core means within the margin of the batch's best texts,
never less than the shipped bound (domain/tier_bounds.py, docs/calibration.md)."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.calibration import Thresholds
from hoshin.domain.explain import judge_many
from hoshin.domain.tier_bounds import batch_thresholds, best_values
from hoshin.service.alignment import default_thresholds

BASE = Thresholds(core=3.4, adjacent=2.2, core_margin=2.25)
CORE, ADJACENT, OFF = 0, 1, 2  # judge_many's tier codes


def bounds_of(z: list[float], base: Thresholds = BASE, min_batch: int = 10) -> Thresholds:
    values = np.asarray(z, dtype=np.float64)
    return batch_thresholds(best_values(values, 4), len(values), base, min_batch)


def test_a_neighbour_far_below_the_best_ideas_is_adjacent_not_core() -> None:
    # Four ideas of the mission's own field near z 8, a neighbouring field's idea at 4.5: far above
    # the background (core by the shipped bound) but 3.5 sd below the batch's best.
    z = [8.2, 7.9, 7.6, 8.3, 6.5, 4.5, 2.5, 1.0, 0.3, -0.4, 0.8, 1.5]
    bounds = bounds_of(z)
    assert bounds.core == pytest.approx(8.0 - 2.25)
    assert bounds.adjacent == BASE.adjacent
    _, tiers = judge_many(np.asarray(z), bounds, np.full(len(z), -np.inf), False)
    assert tiers[z.index(6.5)] == CORE
    assert tiers[z.index(4.5)] == ADJACENT
    assert tiers[z.index(2.5)] == ADJACENT
    assert tiers[z.index(1.5)] == OFF


def test_a_batch_of_weak_ideas_keeps_the_shipped_core_bound() -> None:
    # The best ideas at 4: best less the margin (1.75) is below the shipped 3.4, which stays.
    z = [4.1, 3.9, 4.0, 4.0, 3.5, 2.0, 1.0, 0.5, 0.0, -1.0]
    assert bounds_of(z).core == BASE.core


def test_a_small_batch_keeps_the_shipped_bounds() -> None:
    z = [9.0, 8.0, 7.0, 3.6, 1.0]
    bounds = bounds_of(z)
    assert (bounds.core, bounds.adjacent) == (BASE.core, BASE.adjacent)


def test_without_a_margin_the_bounds_stay_fixed() -> None:
    fixed = Thresholds(core=3.4, adjacent=2.2)
    z = [9.0] * 4 + [3.6] * 10
    assert bounds_of(z, fixed).core == 3.4


def test_the_bounds_a_batch_gets_carry_no_margin_and_ignore_non_finite_scores() -> None:
    z = [8.0, 8.0, 8.0, 8.0, float("nan"), float("inf"), float("-inf")] + [0.0] * 10
    bounds = bounds_of(z)
    assert bounds.core == pytest.approx(8.0 - 2.25)
    assert bounds.core_margin is None


@pytest.mark.parametrize("margin", [0.0, -1.0])
def test_a_margin_that_is_not_positive_is_refused(margin: float) -> None:
    with pytest.raises(ValueError, match="core margin"):
        Thresholds(core=3.4, adjacent=2.2, core_margin=margin)


def test_the_shipped_bounds_have_a_margin() -> None:
    shipped = default_thresholds()
    assert shipped.core_margin is not None and shipped.core_margin > 0
    assert shipped.core > shipped.adjacent


def test_best_values_takes_the_highest_and_copes_with_few_or_none() -> None:
    assert sorted(best_values(np.array([1.0, 5.0, 3.0, 4.0, 2.0]), 2)) == [4.0, 5.0]
    assert sorted(best_values(np.array([1.0, 2.0]), 4)) == [1.0, 2.0]
    assert len(best_values(np.array([]), 4)) == 0
