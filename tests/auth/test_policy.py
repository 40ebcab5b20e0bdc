"""The permission policy: one table of who may do what, checked without any web or database code."""

from __future__ import annotations

import pytest

from hoshin.errors import InputError, PermissionDenied
from hoshin.service.auth import Principal, can, require, subtree

UNITS = [("U-CO", None), ("U-RD", "U-CO"), ("U-RD-LAB", "U-RD"), ("U-SALES", "U-CO")]


def user(role: str, unit: str | None = None) -> Principal:
    return Principal(
        username=role, role=role, organisation_id="org", unit_id=unit, managed_units=subtree(unit, UNITS)
    )


def test_subtree_contains_the_unit_and_everything_below_it() -> None:
    assert subtree("U-RD", UNITS) == {"U-RD", "U-RD-LAB"}
    assert subtree("U-CO", UNITS) == {"U-CO", "U-RD", "U-RD-LAB", "U-SALES"}
    assert subtree(None, UNITS) == frozenset()


def test_subtree_survives_a_cycle_in_the_data() -> None:
    assert subtree("A", [("A", "B"), ("B", "A")]) == {"A", "B"}


@pytest.mark.parametrize("role", ["viewer", "contributor", "unit_manager", "strategist", "admin"])
def test_everyone_reads_goals_and_ideas(role: str) -> None:
    assert can(user(role, "U-RD"), "goal.read")
    assert can(user(role, "U-RD"), "idea.read", {"unit_id": "U-SALES"})


@pytest.mark.parametrize(
    "action",
    [
        "goal.create",
        "goal.update",
        "idea.create",
        "checkin.create",
        "mission.create",
        "user.create",
        "idea.status",
        "goal.delete",
    ],
)
def test_viewer_changes_nothing(action: str) -> None:
    assert not can(user("viewer"), action, {"unit_id": "U-RD"})


def test_contributor_submits_ideas_and_checkins_only() -> None:
    contributor = user("contributor", "U-RD")
    assert can(contributor, "idea.create", {"unit_id": "U-SALES"})
    assert can(contributor, "checkin.create", {"unit_id": "U-RD"})
    assert not can(contributor, "goal.update", {"unit_id": "U-RD"})
    assert not can(contributor, "idea.update", {"unit_id": "U-RD"})
    assert not can(contributor, "idea.status", {"unit_id": "U-RD"})


def test_unit_manager_edits_own_unit_and_sub_units_only() -> None:
    manager = user("unit_manager", "U-RD")
    assert can(manager, "goal.update", {"unit_id": "U-RD"})
    assert can(manager, "goal.update", {"unit_id": "U-RD-LAB"})
    assert can(manager, "person.update", {"unit_id": "U-RD-LAB"})
    assert can(manager, "idea.status", {"unit_id": "U-RD"})
    assert not can(manager, "goal.update", {"unit_id": "U-SALES"})
    assert not can(manager, "goal.update", {"unit_id": "U-CO"})  # the parent is not theirs
    assert not can(manager, "goal.update", {"unit_id": None})


def test_unit_manager_cannot_move_a_record_out_of_their_units() -> None:
    manager = user("unit_manager", "U-RD")
    assert not can(manager, "goal.update", {"unit_id": "U-RD", "new_unit_id": "U-SALES"})
    assert not can(manager, "goal.update", {"unit_id": "U-SALES", "new_unit_id": "U-RD"})
    assert can(manager, "goal.update", {"unit_id": "U-RD", "new_unit_id": "U-RD-LAB"})


def test_unit_manager_without_a_unit_manages_nothing() -> None:
    assert not can(user("unit_manager"), "goal.update", {"unit_id": "U-RD"})


def test_unit_manager_cannot_touch_mission_users_or_audit() -> None:
    manager = user("unit_manager", "U-CO")
    assert not can(manager, "mission.create")
    assert not can(manager, "user.read")
    assert not can(manager, "audit.read")


def test_strategist_edits_mission_and_all_goals_but_not_users() -> None:
    strategist = user("strategist")
    assert can(strategist, "mission.create")
    assert can(strategist, "goal.update", {"unit_id": "U-SALES"})
    assert can(strategist, "audit.read")
    assert not can(strategist, "user.create")
    assert not can(strategist, "user.read")
    assert not can(strategist, "unit.create")


def test_admin_does_everything() -> None:
    admin = user("admin")
    for action in ("user.create", "user.delete", "audit.read", "unit.update", "organisation.update"):
        assert can(admin, action)


def test_require_names_the_role_and_the_unit() -> None:
    with pytest.raises(PermissionDenied, match=r"a unit manager may not change goals in unit U-SALES"):
        require(user("unit_manager", "U-RD"), "goal.update", {"unit_id": "U-SALES"})


def test_unknown_action_or_role_fails_loudly() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        can(user("admin"), "goal.frobnicate")
    with pytest.raises(InputError, match="unknown role"):
        Principal(username="x", role="superuser", organisation_id="org")
