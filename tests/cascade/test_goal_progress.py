"""Progress of one goal from its metric, and the roll-up through the tree."""

from __future__ import annotations

import pytest

from hoshin.domain.goal_progress import metric_progress, roll_up


@pytest.mark.parametrize(
    ("start", "target", "current", "expected"),
    [
        (0, 100, 25, 0.25),
        (2.4, 1.2, 1.8, 0.5),  # a rate that should fall counts the same way
        (0, 100, 150, 1.0),  # beyond the target is done, not 150 %
        (50, 100, 20, 0.0),  # slipping back is no progress, not negative
        (5, 5, 5, 1.0),
        (5, 5, 4, 0.0),
    ],
)
def test_metric_progress_is_the_share_of_the_way_clipped(start, target, current, expected) -> None:
    assert metric_progress(start, target, current) == pytest.approx(expected)


@pytest.mark.parametrize("missing", ["start", "target", "current"])
def test_a_metric_without_a_value_has_no_progress(missing: str) -> None:
    values = {"start": 0.0, "target": 10.0, "current": 5.0, missing: None}
    assert metric_progress(**values) is None


def test_a_parent_reads_the_mean_of_its_children_not_its_own_number() -> None:
    own = {"O": 0.9, "A": 0.2, "B": 0.6}
    result = roll_up(own, {"A": ["O"], "B": ["O"]})
    assert result["O"].value == pytest.approx(0.4)
    assert result["O"].source == "children"
    assert result["O"].measured_children == 2
    assert result["A"].source == "metric"


def test_roll_up_goes_through_every_level() -> None:
    own = {"C": None, "U": None, "K1": 1.0, "K2": 0.0, "K3": 0.5}
    result = roll_up(own, {"U": ["C"], "K1": ["U"], "K2": ["U"], "K3": ["C"]})
    assert result["U"].value == pytest.approx(0.5)
    assert result["C"].value == pytest.approx(0.5)  # mean of U (0.5) and K3 (0.5)


def test_a_goal_serving_two_parents_counts_for_both() -> None:
    result = roll_up({"P1": None, "P2": None, "K": 0.8}, {"K": ["P1", "P2"]})
    assert result["P1"].value == pytest.approx(0.8)
    assert result["P2"].value == pytest.approx(0.8)


def test_unmeasured_children_are_left_out_not_counted_as_zero() -> None:
    result = roll_up({"O": None, "A": 0.6, "B": None}, {"A": ["O"], "B": ["O"]})
    assert result["O"].value == pytest.approx(0.6)
    assert result["B"].value is None and result["B"].source == "none"


def test_a_parent_without_measured_children_keeps_its_own_metric() -> None:
    result = roll_up({"O": 0.3, "A": None}, {"A": ["O"]})
    assert result["O"].value == pytest.approx(0.3)
    assert result["O"].source == "metric"


def test_unknown_parents_and_a_slipped_in_cycle_do_not_break_the_roll_up() -> None:
    result = roll_up({"A": 0.5, "B": 0.1}, {"A": ["B", "ghost"], "B": ["A"]})
    assert set(result) == {"A", "B"}
    assert all(p.value is not None for p in result.values())
