"""Every reference in the demo organisation resolves, and the unit and goal trees are sound."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import pytest

# (kind, field, kind the field points at). A list field points at several; None means "no reference".
REFERENCES = [
    ("units", "parent_id", "units"),
    ("people", "unit_id", "units"),
    ("skills", "person_id", "people"),
    ("skills", "area_id", "knowledge_areas"),
    ("goals", "unit_id", "units"),
    ("goals", "owner_id", "people"),
    ("goals", "parent_ids", "goals"),
    ("ideas", "author_id", "people"),
    ("ideas", "unit_id", "units"),
    ("ideas", "links", "goals"),
    ("documents", "area_ids", "knowledge_areas"),
    ("users", "unit_id", "units"),
    ("users", "person_id", "people"),
]


def _targets(value: Any) -> Iterable[str]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def dangling_references(org: dict[str, Any]) -> list[str]:
    """Every reference that names no record, as 'kind[index].field -> id'."""
    ids = {kind: {r["id"] for r in org[kind]} for kind in ("units", "people", "knowledge_areas", "goals")}
    found = []
    for kind, field, target in REFERENCES:
        for index, record in enumerate(org[kind]):
            found += [
                f"{kind}[{index}].{field} -> {ref}"
                for ref in _targets(record[field])
                if ref not in ids[target]
            ]
    people = ids["people"]
    found += [
        f"principle {p['id']}.owner -> {p['owner']}"
        for p in org["mission"]["principles"]
        if p["owner"] not in people
    ]
    return found


def find_cycle(parents: dict[str, list[str]]) -> list[str] | None:
    """A cycle in a child -> parents graph, as the list of ids on it, or None when there is none."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" once fully explored

    def visit(node: str, path: list[str]) -> list[str] | None:
        if state.get(node) == "open":
            return path[path.index(node) :] + [node]
        if state.get(node) == "done":
            return None
        state[node] = "open"
        for parent in parents.get(node, []):
            cycle = visit(parent, path + [node])
            if cycle:
                return cycle
        state[node] = "done"
        return None

    for start in parents:
        cycle = visit(start, [])
        if cycle:
            return cycle
    return None


def level_problems(org: dict[str, Any]) -> list[str]:
    """Goals whose level does not fit the tree: objectives at the root unit, children one level down."""
    goals = {g["id"]: g for g in org["goals"]}
    root = next(u["id"] for u in org["units"] if u["parent_id"] is None)
    problems = []
    for goal in org["goals"]:
        if goal["level"] not in (1, 2, 3):
            problems.append(f"{goal['id']}: level {goal['level']}")
        if goal["level"] == 1 and (goal["parent_ids"] or goal["unit_id"] != root):
            problems.append(f"{goal['id']}: a company objective has no parent and belongs to {root}")
        if goal["level"] > 1 and goal["unit_id"] == root:
            problems.append(f"{goal['id']}: a unit goal sits in the company root")
        for parent in goal["parent_ids"]:
            if parent in goals and goals[parent]["level"] != goal["level"] - 1:
                problems.append(f"{goal['id']}: level {goal['level']} under level {goals[parent]['level']}")
    return problems


def _unit_parents(org: dict[str, Any]) -> dict[str, list[str]]:
    return {u["id"]: list(_targets(u["parent_id"])) for u in org["units"]}


def _goal_parents(org: dict[str, Any]) -> dict[str, list[str]]:
    return {g["id"]: list(g["parent_ids"]) for g in org["goals"]}


def test_every_reference_resolves(demo: dict[str, Any]) -> None:
    assert dangling_references(demo) == []


def test_a_dangling_reference_is_reported_with_its_place(demo: dict[str, Any]) -> None:
    broken = copy.deepcopy(demo)
    broken["skills"][0]["area_id"] = "K-NOPE"
    broken["goals"][7]["parent_ids"] = ["G-NOPE"]
    broken["mission"]["principles"][0]["owner"] = "p99"
    assert dangling_references(broken) == [
        "skills[0].area_id -> K-NOPE",
        "goals[7].parent_ids -> G-NOPE",
        "principle P1.owner -> p99",
    ]


@pytest.mark.parametrize("graph", [_unit_parents, _goal_parents], ids=["units", "goals"])
def test_trees_have_no_cycles(demo: dict[str, Any], graph: Any) -> None:
    assert find_cycle(graph(demo)) is None


def test_cycle_finder_sees_direct_and_long_cycles() -> None:
    assert find_cycle({"a": ["a"]}) == ["a", "a"]
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"], "d": []}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": ["b", "c"], "b": ["c"], "c": []}) is None  # shared parent is not a cycle


def test_a_unit_cycle_in_the_demo_would_be_caught(demo: dict[str, Any]) -> None:
    broken = copy.deepcopy(demo)
    units = {u["id"]: u for u in broken["units"]}
    units["U-SAL"]["parent_id"] = "U-SVC"  # Customer Service already sits under Sales
    assert set(find_cycle(_unit_parents(broken)) or []) == {"U-SAL", "U-SVC"}


def test_goal_levels_follow_the_tree(demo: dict[str, Any]) -> None:
    assert level_problems(demo) == []
    assert {g["level"] for g in demo["goals"]} == {1, 2, 3}
    assert 4 <= sum(g["level"] == 1 for g in demo["goals"]) <= 5


def test_level_check_reports_skipped_levels_and_misplaced_objectives(demo: dict[str, Any]) -> None:
    broken = copy.deepcopy(demo)
    goals = {g["id"]: g for g in broken["goals"]}
    goals["G-RD1-K1"]["parent_ids"] = ["G-C2"]  # a key result straight under an objective
    goals["G-C1"]["unit_id"] = "U-RD"
    assert level_problems(broken) == [
        "G-C1: a company objective has no parent and belongs to U-CO",
        "G-RD1-K1: level 3 under level 1",
    ]


def test_key_results_always_have_a_parent(demo: dict[str, Any]) -> None:
    assert all(g["parent_ids"] for g in demo["goals"] if g["level"] == 3)


def test_every_owner_and_author_belongs_to_the_goal_or_idea_unit_tree(demo: dict[str, Any]) -> None:
    # A unit goal is owned by someone from that unit (objectives by the company board).
    unit_of = {p["id"]: p["unit_id"] for p in demo["people"]}
    for goal in demo["goals"]:
        assert unit_of[goal["owner_id"]] == goal["unit_id"], goal["id"]
    for idea in demo["ideas"]:
        if idea["author_id"]:
            assert unit_of[idea["author_id"]] == idea["unit_id"], idea["id"]
        else:
            assert idea["source"] in ("customer", "partner"), idea["id"]


def test_idea_links_point_at_goals_of_accepted_or_open_ideas(demo: dict[str, Any]) -> None:
    linked = [i for i in demo["ideas"] if i["links"]]
    assert linked, "some ideas should show which goal they serve"
    assert all(i["status"] != "rejected" for i in linked)
