"""PLANTED.md names real records, and each planted case has the shape its feature will look for."""

from __future__ import annotations

import re
from typing import Any

import pytest

Demo = dict[str, Any]
Planted = dict[str, list[str]]

CASES = {
    "off-mission goal",
    "duplicate goal pair",
    "conflict goal pair",
    "orphan goal",
    "weak parent goal",
    "weak unit",
    "single points of failure",
    "uncovered area",
    "areas without documents",
    "off ideas",
    "adjacent ideas",
    "duplicate idea pairs",
    "contradicting communications",
}


# A PLANTED.md bullet: "- **case**: `ID`, `ID` — note". Only ids before the dash are the planted records.
_BULLET = re.compile(r"^- \*\*(?P<case>[^*]+)\*\*: (?P<ids>[^—]*)(?:—.*)?$")
_TICKED = re.compile(r"`([^`]+)`")


def parse_planted(markdown: str) -> dict[str, list[str]]:
    """Map each planted case name to the ids listed for it, in order."""
    cases: dict[str, list[str]] = {}
    for line in markdown.splitlines():
        match = _BULLET.match(line.strip())
        if match:
            cases[match["case"].strip()] = _TICKED.findall(match["ids"])
    return cases


@pytest.fixture(scope="module")
def planted(planted_text: str) -> Planted:
    return parse_planted(planted_text)


def _index(demo: dict[str, Any]) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    for kind in ("units", "people", "knowledge_areas", "goals", "ideas", "documents", "communications"):
        records.update({r["id"]: r for r in demo[kind]})
    return records


def _holders(demo: dict[str, Any]) -> dict[str, set[str]]:
    holders: dict[str, set[str]] = {a["id"]: set() for a in demo["knowledge_areas"]}
    for skill in demo["skills"]:
        holders[skill["area_id"]].add(skill["person_id"])
    return holders


def test_parser_reads_ids_before_the_note_only() -> None:
    text = "# x\n- **orphan goal**: `G-1` — its parent should be `G-0`\n- plain line `G-9`\n"
    assert parse_planted(text) == {"orphan goal": ["G-1"]}


def test_every_case_is_listed_with_ids(planted: Planted) -> None:
    assert set(planted) == CASES
    assert all(planted[case] for case in CASES)


def test_every_id_mentioned_in_planted_exists(demo: Demo, planted_text: str) -> None:
    known = set(_index(demo))
    # Every backticked token without a dot or space is a record id (file names have a dot).
    ids = set(re.findall(r"`([A-Za-z0-9-]+)`", planted_text))
    assert len(ids) >= 50, "PLANTED.md should name the planted records"
    assert ids <= known, sorted(ids - known)


def test_off_mission_goal_is_a_unit_goal_in_the_weak_unit(demo: Demo, planted: Planted) -> None:
    goals = _index(demo)
    (goal_id,) = planted["off-mission goal"]
    (weak_unit,) = planted["weak unit"]
    assert goals[goal_id]["level"] >= 2 and goals[goal_id]["unit_id"] == weak_unit


def test_weak_unit_has_several_goals(demo: Demo, planted: Planted) -> None:
    (unit,) = planted["weak unit"]
    assert sum(g["unit_id"] == unit for g in demo["goals"]) >= 3


def test_duplicate_goals_sit_side_by_side_in_two_units(demo: Demo, planted: Planted) -> None:
    records = _index(demo)
    first, second = (records[i] for i in planted["duplicate goal pair"])
    assert first["unit_id"] != second["unit_id"]
    assert first["level"] == second["level"] and first["parent_ids"] == second["parent_ids"]
    assert first["text"] != second["text"]


def test_conflicting_goals_are_about_seals_in_two_units(demo: Demo, planted: Planted) -> None:
    records = _index(demo)
    pair = [records[i] for i in planted["conflict goal pair"]]
    assert pair[0]["unit_id"] != pair[1]["unit_id"]
    assert all(re.search(r"gasket|seal", g["text"], re.I) for g in pair)


def test_orphan_goal_has_no_parent_below_the_top(demo: Demo, planted: Planted) -> None:
    (goal_id,) = planted["orphan goal"]
    goal = _index(demo)[goal_id]
    assert goal["level"] > 1 and goal["parent_ids"] == []
    others = [g for g in demo["goals"] if g["level"] > 1 and g["id"] != goal_id]
    assert all(g["parent_ids"] for g in others), "only the planted orphan should lack a parent"


def test_weak_parent_goal_has_one_formally_valid_parent(demo: Demo, planted: Planted) -> None:
    records = _index(demo)
    (goal_id,) = planted["weak parent goal"]
    goal = records[goal_id]
    assert len(goal["parent_ids"]) == 1
    assert records[goal["parent_ids"][0]]["level"] == goal["level"] - 1


def test_single_points_of_failure_are_exactly_the_areas_one_person_holds(
    demo: Demo, planted: Planted
) -> None:
    single = {area for area, people in _holders(demo).items() if len(people) == 1}
    assert len(planted["single points of failure"]) >= 2
    assert set(planted["single points of failure"]) == single


def test_uncovered_areas_are_exactly_those_nobody_holds(demo: Demo, planted: Planted) -> None:
    nobody = {area for area, people in _holders(demo).items() if not people}
    assert len(planted["uncovered area"]) >= 1
    assert set(planted["uncovered area"]) == nobody


def test_areas_without_documents_are_exactly_the_undocumented_ones(demo: Demo, planted: Planted) -> None:
    documented = {a for d in demo["documents"] for a in d["area_ids"]}
    undocumented = {a["id"] for a in demo["knowledge_areas"]} - documented
    assert len(planted["areas without documents"]) >= 2
    assert set(planted["areas without documents"]) == undocumented


@pytest.mark.parametrize("case,low,high", [("off ideas", 18, 24), ("adjacent ideas", 26, 34)])
def test_planted_idea_tiers_have_the_intended_size(
    demo: Demo, planted: Planted, case: str, low: int, high: int
) -> None:
    ids = planted[case]
    assert low <= len(ids) == len(set(ids)) <= high
    assert all(i.startswith("I") for i in ids)


def test_off_and_adjacent_ideas_do_not_overlap_and_leave_a_core_majority(
    demo: Demo, planted: Planted
) -> None:
    off, adjacent = set(planted["off ideas"]), set(planted["adjacent ideas"])
    assert not off & adjacent
    assert len(demo["ideas"]) - len(off | adjacent) > len(demo["ideas"]) / 2


def test_duplicate_idea_pairs_are_distinct_ideas_with_different_words(demo: Demo, planted: Planted) -> None:
    ids = planted["duplicate idea pairs"]
    assert len(ids) % 2 == 0 and 5 <= len(ids) // 2 <= 6
    assert len(set(ids)) == len(ids)
    records = _index(demo)
    for first, second in zip(ids[::2], ids[1::2], strict=True):
        assert records[first]["text"] != records[second]["text"]


def test_contradicting_communications_are_in_our_own_voice(demo: Demo, planted: Planted) -> None:
    records = _index(demo)
    ids = planted["contradicting communications"]
    assert 3 <= len(ids) <= 4
    assert all(records[i]["voice"] == "internal" for i in ids)
    internal = [c for c in demo["communications"] if c["voice"] == "internal"]
    assert len(ids) < len(internal) / 2, "most of our own voice should fit the mission"
