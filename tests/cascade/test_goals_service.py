"""The cascade service over stored goals: roll-up with check-ins, the tree, checks with stored
verdicts, parent suggestions, and the manager and strategist view models (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from hoshin.errors import InputError, NotFoundError, PermissionDenied
from hoshin.service import goals as service
from hoshin.service.auth import Principal


def _add_key_results(org: Any) -> None:
    org.store.upsert(
        "goals",
        org.id,
        [
            {
                "id": "K-1",
                "text": "Run 40 compressors for 5000 hours",
                "unit_id": "U-RD-LAB",
                "level": 3,
                "parent_ids": ["G-RD"],
                "start": 0,
                "target": 40,
                "current": 10,
            },
            {
                "id": "K-2",
                "text": "Publish the compressor test report",
                "unit_id": "U-RD",
                "level": 3,
                "parent_ids": ["G-RD"],
                "start": 0,
                "target": 1,
                "current": 0,
            },
        ],
    )


def test_progress_rolls_up_and_the_latest_check_in_wins(org: Any) -> None:
    _add_key_results(org)
    org.store.add_checkin(org.id, "K-1", "2026-01-10", 20)
    org.store.add_checkin(org.id, "K-1", "2026-02-10", 30)
    progress = service.goal_progress(org.store, org.id)
    assert progress["K-1"].value == pytest.approx(0.75)  # 30 of 40, not the stored 10
    assert progress["G-RD"].value == pytest.approx((0.75 + 0.0) / 2)
    assert progress["G-1"].value == pytest.approx(0.375)  # G-SALES is not measured: left out
    assert progress["G-SALES"].value is None


def test_tree_nests_goals_and_a_unit_sees_its_branches_only(org: Any) -> None:
    _add_key_results(org)
    whole = service.goal_tree(org.store, org.id)
    assert [n["id"] for n in whole] == ["G-1"]
    assert sorted(c["id"] for c in whole[0]["children"]) == ["G-RD", "G-SALES"]
    lab = service.goal_tree(org.store, org.id, frozenset({"U-RD-LAB"}))
    assert lab[0]["id"] == "G-1" and not lab[0]["mine"]  # kept for context
    assert [c["id"] for c in lab[0]["children"]] == ["G-RD"]
    assert [k["id"] for k in lab[0]["children"][0]["children"]] == ["K-1"]
    assert service.goal_tree(org.store, org.id, frozenset({"U-NOWHERE"})) == []


def test_checks_store_one_verdict_per_goal_and_are_reused_until_goals_change(org: Any, aligner: Any) -> None:
    report = service.run_checks(org.store, org.id, aligner)
    assert set(report.issues) == {"G-1", "G-RD", "G-SALES"}
    assert report.summary["id"] == "_uncovered"
    stored = {v["record_id"]: v for v in org.store.verdicts(org.id, "goal")}
    assert set(stored) == {"G-1", "G-RD", "G-SALES"}
    assert stored["G-RD"]["tier"] == report.verdicts["G-RD"]["tier"]
    assert service.run_checks(org.store, org.id, aligner) is report  # nothing changed
    service.run_checks(org.store, org.id, aligner, refresh=True)
    assert len(org.store.verdicts(org.id, "goal", latest_only=False)) == 3  # unchanged: not stored again
    org.store.upsert(
        "goals", org.id, [{"id": "G-X", "text": "Open a shop", "level": 2, "unit_id": "U-SALES"}]
    )
    again = service.run_checks(org.store, org.id, aligner)
    assert again is not report and "G-X" in again.issues
    history = [v["record_id"] for v in org.store.verdicts(org.id, "goal", latest_only=False)]
    assert history.count("G-X") == 1 and history.count("G-1") <= 2
    orphan = [i for i in again.issues["G-X"] if i["kind"] == "orphan"]
    assert orphan and "no parent" in orphan[0]["detail"]


def test_checks_need_a_mission(org: Any, aligner: Any) -> None:
    org.store.create_organisation("empty-" + org.tag, "Empty")
    with pytest.raises(NotFoundError, match="no mission"):
        service.run_checks(org.store, "empty-" + org.tag, aligner)


def test_suggestions_rank_goals_one_level_up_with_reasons(org: Any, aligner: Any) -> None:
    found = service.suggest_parents(org.store, org.id, aligner, "Test compressors for 5000 hours", 3, "U-RD")
    assert [s["id"] for s in found][:1] == ["G-RD"]
    assert {s["id"] for s in found} == {"G-RD", "G-SALES"}  # level-2 goals only
    assert all(s["level"] == 2 and s["why"] for s in found)
    assert "same unit" in found[0]["why"]
    assert found == sorted(found, key=lambda s: -s["score"])
    assert service.suggest_parents(org.store, org.id, aligner, "Anything", 1) == []


def test_suggestions_never_offer_the_goal_itself_or_goals_below_it(org: Any, aligner: Any) -> None:
    _add_key_results(org)
    org.store.upsert("goals", org.id, [{"id": "G-2", "text": "Second objective", "level": 1}])
    # Editing G-RD: G-1 and G-2 are level 1; nothing below G-RD may appear.
    found = service.suggest_parents(
        org.store, org.id, aligner, "Test compressors", 2, goal_id="G-RD", limit=50
    )
    assert {s["id"] for s in found} == {"G-1", "G-2"}


@pytest.mark.parametrize(
    ("text", "level", "limit", "message"),
    [("  ", 2, 5, "text"), ("A goal", 4, 5, "level"), ("A goal", 0, 5, "level"), ("A goal", 2, 0, "limit")],
)
def test_suggestions_refuse_bad_input(
    org: Any, aligner: Any, text: str, level: int, limit: int, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        service.suggest_parents(org.store, org.id, aligner, text, level, limit=limit)


def _user(org: Any, role: str, unit: str | None) -> Principal:
    managed = frozenset(org.store.unit_subtree(org.id, unit)) if unit else frozenset()
    return Principal(org.name(role), role, org.id, unit_id=unit, managed_units=managed)


def test_a_unit_manager_gets_their_own_unit_and_units_below_only(org: Any) -> None:
    manager = _user(org, "unit_manager", "U-RD")
    assert service.manager_unit(manager, org.store, None) == "U-RD"
    assert service.manager_unit(manager, org.store, "U-RD-LAB") == "U-RD-LAB"
    with pytest.raises(PermissionDenied, match="own unit"):
        service.manager_unit(manager, org.store, "U-SALES")
    with pytest.raises(NotFoundError):
        service.manager_unit(manager, org.store, "U-GHOST")
    strategist = _user(org, "strategist", None)
    assert service.manager_unit(strategist, org.store, "U-SALES") == "U-SALES"
    assert service.manager_unit(strategist, org.store, None) == "U-CO"  # the top unit


def test_manager_view_shows_objectives_served_siblings_and_concerns(org: Any, aligner: Any) -> None:
    _add_key_results(org)
    view = service.manager_view(org.store, org.id, "U-RD", aligner)
    ids = [g["id"] for g in view["goals"]]
    assert ids == ["G-RD", "K-1", "K-2"]  # the lab's key result belongs to R&D's view too
    by_id = {g["id"]: g for g in view["goals"]}
    assert [o["id"] for o in by_id["K-1"]["serves"]] == ["G-1"]
    # Each goal shows the verdict the checks stored for it (the one the goals page shows too).
    stored = {v["record_id"]: v for v in org.store.verdicts(org.id, "goal")}
    for goal_id in ids:
        shown = by_id[goal_id]["verdict"]
        assert shown == {k: stored[goal_id][k] for k in shown} and set(shown) >= {"tier", "score", "why"}
    assert view["siblings"] == ["U-SALES"]
    assert all(a["unit_id"] == "U-SALES" and a["theme"] in view["themes"] for a in view["alongside"])
    assert all(c["yours"] == (c["goal_id"] in ids) for c in view["concerns"])
    with pytest.raises(NotFoundError):
        service.manager_view(org.store, org.id, "U-GHOST", aligner)


def test_manager_view_names_another_units_issue_about_our_goal(org: Any, aligner: Any) -> None:
    # Two identical goals in two units: each gets a duplicate issue naming the other.
    org.store.upsert(
        "goals",
        org.id,
        [
            {
                "id": "G-SALES-2",
                "text": "Test every compressor for 5000 hours",
                "unit_id": "U-SALES",
                "level": 2,
                "parent_ids": ["G-1"],
            }
        ],
    )
    view = service.manager_view(org.store, org.id, "U-RD", aligner)
    theirs = [c for c in view["concerns"] if not c["yours"]]
    assert any(c["goal_id"] == "G-SALES-2" and c["kind"] == "duplicate" for c in theirs)
    assert any(c["goal_id"] == "G-RD" and c["kind"] == "duplicate" for c in view["concerns"])


def test_strategy_view_places_objectives_under_themes_and_counts_every_goal(org: Any, aligner: Any) -> None:
    _add_key_results(org)
    view = service.strategy_view(org.store, org.id, aligner)
    objectives = [o for t in view["themes"] for o in t["objectives"]]
    assert [o["id"] for o in objectives] == ["G-1"]
    assert sorted(c["id"] for c in objectives[0]["children"]) == ["G-RD", "G-SALES"]
    coverage = view["coverage"]
    assert sum(sum(row) for row in coverage["counts"]) == 5  # every goal counted once
    assert coverage["units"] == sorted(["U-CO", "U-RD", "U-RD-LAB", "U-SALES"])
    assert coverage["max"] == max(max(row) for row in coverage["counts"])


def test_manager_view_lists_the_first_concerns_and_counts_them_all(
    org: Any, aligner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three goals of other units say what R&D's goal says: R&D's own duplicate issues plus the
    # three units' issues naming it make six concerns; a page shows the first ones and the count.
    same = "Test every compressor for 5000 hours"
    org.store.upsert(
        "goals",
        org.id,
        [
            {"id": f"G-S{n}", "text": same, "unit_id": "U-SALES", "level": 2, "parent_ids": ["G-1"]}
            for n in range(3)
        ],
    )
    everything = service.manager_view(org.store, org.id, "U-RD", aligner)
    assert everything["concerns_total"] == len(everything["concerns"]) >= 6
    monkeypatch.setattr(service, "MAX_CONCERNS", 2)
    capped = service.manager_view(org.store, org.id, "U-RD", aligner)
    assert capped["concerns"] == everything["concerns"][:2]
    assert capped["concerns_total"] == everything["concerns_total"]
