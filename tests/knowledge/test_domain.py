"""The pure coverage arithmetic: matrix, coverage against targets, gaps, single points of failure."""

from __future__ import annotations

import numpy as np

from hoshin.domain.knowledge import Targets, coverage, dependence, gaps

AREAS = ["A", "B", "C"]
UNITS = ["U1", "U2"]


def test_depth_is_the_deepest_level_in_each_unit_and_holders_are_counted() -> None:
    skills = [("p1", "U1", "A", 2), ("p2", "U1", "A", 4), ("p3", "U2", "A", 3), ("p1", "U1", "B", 5)]
    cov = coverage(AREAS, UNITS, skills)
    assert cov.depth.tolist() == [[4, 3], [5, 0], [0, 0]]
    assert cov.holders_by_unit.tolist() == [[2, 1], [1, 0], [0, 0]]
    assert cov.holders.tolist() == [3, 1, 0]
    assert cov.sole_holder == (None, "p1", None)


def test_coverage_caps_each_person_at_the_target_level() -> None:
    # One expert is half the target of two people at level 3, not all of it.
    cov = coverage(["A"], ["U1"], [("p1", "U1", "A", 5)], Targets(people=2, level=3))
    assert cov.coverage.tolist() == [0.5]
    cov = coverage(["A"], ["U1"], [("p1", "U1", "A", 3), ("p2", "U1", "A", 3), ("p3", "U1", "A", 3)])
    assert cov.coverage.tolist() == [1.0]


def test_unknown_areas_units_and_repeats_do_not_distort_the_matrix() -> None:
    skills = [("p1", "U9", "A", 3), ("p1", "U9", "A", 1), ("p2", None, "Z", 5), ("p3", "U1", "A", 0)]
    cov = coverage(["A"], ["U1"], skills)
    assert cov.holders.tolist() == [1]  # p1 once (highest level), unknown area and level 0 ignored
    assert cov.depth.tolist() == [[0]]  # p1's unit is not in the matrix
    assert cov.best_level.tolist() == [3]


def test_gaps_rank_by_dependence_times_missing_coverage_and_recommend_actions() -> None:
    skills = [("p1", "U1", "B", 4), ("p2", "U1", "C", 1), ("p3", "U2", "C", 2)]
    cov = coverage(AREAS, UNITS, skills)
    dep = np.array([1.0, 2.0, 0.5])
    found = gaps(cov, dep, documented=[False, True, True])
    assert [g.area_id for g in found] == ["B", "A", "C"]  # B: 2 * (1 - 3/6) = 1.0 > A: 1 * 1
    by_id = {g.area_id: g for g in found}
    assert by_id["A"].holders == 0 and [a.kind for a in by_id["A"].actions] == ["hire", "document"]
    assert by_id["B"].single_point_of_failure and by_id["B"].sole_holder == "p1"
    assert [a.kind for a in by_id["B"].actions] == ["train"]
    assert [a.kind for a in by_id["C"].actions] == ["train"]  # two people, both shallow


def test_an_area_nobody_depends_on_is_no_gap_and_needs_no_action() -> None:
    cov = coverage(["A"], ["U1"], [])
    found = gaps(cov, dependence(np.array([0.0]), np.array([1.0]), np.array([1.0])), [False])
    assert found[0].gap == 0 and found[0].actions == ()


def test_dependence_grows_with_weight_need_and_demand() -> None:
    base = dependence(np.array([1.0]), np.array([0.0]), np.array([0.0]))[0]
    assert dependence(np.array([2.0]), np.array([0.0]), np.array([0.0]))[0] == 2 * base
    assert dependence(np.array([1.0]), np.array([1.0]), np.array([0.0]))[0] > base
    assert dependence(np.array([1.0]), np.array([0.0]), np.array([1.0]))[0] > base
    assert dependence(np.array([-3.0]), np.array([5.0]), np.array([5.0]))[0] == 0.0
