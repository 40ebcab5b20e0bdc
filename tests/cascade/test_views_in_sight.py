"""The views that gather goals, people and units keep to the reader's sight: the R&D unit manager
finds no Sales goal, person or unit in parent suggestions, the strategy map, line of sight, the
dashboard's issues, the unit-filtered board report, lists and exports; names of Sales' records in a
form are refused like unknown ones (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from support import csrf_of

SALES_TEXT = "Grow repeat purchases"


@pytest.fixture
def sales_org(lab_org: Any) -> Any:
    """`lab_org` plus a person in Sales who owns the Sales goal, and the Sales goal scored off
    mission (so the dashboard lists it as an issue)."""
    store, org_id = lab_org.store, lab_org.id
    store.upsert("people", org_id, [{"id": "p-sales", "name": "Sol Marquez", "unit_id": "U-SALES"}])
    goal = store.get("goals", org_id, "G-SALES")
    store.upsert("goals", org_id, [{**goal, "owner_id": "p-sales"}])
    version = store.mission(org_id)["version"]
    verdict = {"score": 0.1, "tier": "off", "theme": None, "why": "Off: shares nothing with the mission."}
    store.save_verdicts(org_id, "goal", [("G-SALES", verdict)], model_id="test", mission_version=version)
    return lab_org


def test_parent_suggestions_offer_only_goals_in_sight(sales_org: Any) -> None:
    params = {"text": "Repeat purchases of compressors", "level": 3}
    manager = sales_org.client("unit_manager", how="token")
    offered = {s["id"] for s in manager.get("/api/v1/goals/suggest-parents", params=params).json()}
    assert offered == {"G-RD"}
    strategist = sales_org.client("strategist", how="token")
    assert {s["id"] for s in strategist.get("/api/v1/goals/suggest-parents", params=params).json()} == {
        "G-RD",
        "G-SALES",
    }
    # The objective above R&D's goal is context: offered to a new level-2 goal.
    top = manager.get("/api/v1/goals/suggest-parents", params={"text": "Fewer failures", "level": 2})
    assert {s["id"] for s in top.json()} == {"G-1"}


def test_the_strategy_map_shows_the_manager_their_goals_and_the_objectives_above(sales_org: Any) -> None:
    manager = sales_org.client("unit_manager", how="token")
    view = manager.get("/api/v1/goals/strategy")
    assert view.status_code == 200, view.text
    assert "G-SALES" not in view.text and SALES_TEXT not in view.text
    assert "G-RD" in view.text and "G-1" in view.text
    assert "U-SALES" not in view.json()["coverage"]["units"]
    page = sales_org.client("unit_manager").get("/goals/strategy")
    assert page.status_code == 200 and SALES_TEXT not in page.text
    assert SALES_TEXT in sales_org.client("strategist", how="token").get("/api/v1/goals/strategy").text


def test_line_of_sight_of_the_managers_unit_holds_no_other_units_goal(sales_org: Any) -> None:
    manager = sales_org.client("unit_manager", how="token")
    sight = manager.get("/api/v1/units/U-RD/line-of-sight")
    assert sight.status_code == 200, sight.text
    shown = {line["goal"]["id"] for line in sight.json()["goals"]}
    assert shown == {"G-RD", "G-LAB"} and SALES_TEXT not in sight.text
    assert [g["id"] for g in sight.json()["goals"][0]["chain"]] == ["G-1"]  # the objective served
    for path in ("/api/v1/units/U-SALES/line-of-sight", "/api/v1/people/p-sales/line-of-sight"):
        response = manager.get(path)
        assert response.status_code == 404 and SALES_TEXT not in response.text
    viewer = sales_org.client("viewer", how="token")
    assert SALES_TEXT in viewer.get("/api/v1/people/p-sales/line-of-sight").text


def test_dashboard_issues_and_the_unit_filtered_report_keep_to_the_managers_goals(sales_org: Any) -> None:
    manager = sales_org.client("unit_manager")
    data = manager.get("/api/v1/dashboard", params={"fresh": "true"}).json()
    assert "G-SALES" not in {i["record_id"] for i in data["issues"]}
    assert SALES_TEXT not in manager.get("/").text
    assert SALES_TEXT not in manager.get("/dashboard/issues.csv").text
    assert SALES_TEXT not in manager.get("/api/v1/dashboard/tables/issues").text
    report = manager.get("/dashboard/report.html", params={"unit": "U-SALES"})
    assert report.status_code == 200 and SALES_TEXT not in report.text
    # the same numbers are shared by every viewer: a strategist still sees the issue
    strategist = sales_org.client("strategist")
    assert "G-SALES" in {i["record_id"] for i in strategist.get("/api/v1/dashboard").json()["issues"]}
    assert SALES_TEXT in strategist.get("/dashboard/report.html", params={"unit": "U-SALES"}).text


def test_people_and_units_lists_and_exports_keep_to_the_managers_units(sales_org: Any) -> None:
    manager = sales_org.client("unit_manager", how="token")
    assert {p["id"] for p in manager.get("/api/v1/people").json()} == {"p01"}
    assert {u["id"] for u in manager.get("/api/v1/units").json()} == {"U-RD", "U-RD-LAB"}
    assert "p-sales" not in manager.get("/api/v1/export/people", params={"format": "csv"}).text
    assert "U-SALES" not in manager.get("/api/v1/export/units", params={"format": "json"}).text
    admin = sales_org.client("admin", how="token")
    assert {p["id"] for p in admin.get("/api/v1/people").json()} == {"p01", "p-sales"}


def test_naming_another_units_goal_or_person_in_a_goal_is_refused_like_an_unknown_id(sales_org: Any) -> None:
    manager = sales_org.client("unit_manager", how="token")

    def create(**fields: Any) -> Any:
        body = {"id": "G-NEW", "text": "Log compressor hours", "unit_id": "U-RD", "level": 3, **fields}
        return manager.post("/api/v1/goals", json=body)

    hidden, unknown = create(parent_ids=["G-SALES"]), create(parent_ids=["G-GHOST"])
    assert hidden.status_code == unknown.status_code == 422
    assert hidden.text.replace("G-SALES", "<id>") == unknown.text.replace("G-GHOST", "<id>")
    owner = create(parent_ids=["G-RD"], owner_id="p-sales")
    nobody = create(parent_ids=["G-RD"], owner_id="p-x")
    assert owner.status_code == nobody.status_code == 422
    assert owner.text.replace("p-sales", "<id>") == nobody.text.replace("p-x", "<id>")
    moved = manager.patch("/api/v1/goals/G-LAB", json={"parent_ids": ["G-SALES"]})
    assert moved.status_code == 422 and "unknown goals id 'G-SALES'" in moved.json()["error"]["message"]
    assert "G-NEW" not in sales_org.store.keys("goals", sales_org.id)
    assert create(parent_ids=["G-RD"]).status_code == 201  # its own goals it may name


def test_a_check_in_on_another_units_goal_is_refused_and_not_stored(sales_org: Any) -> None:
    manager = sales_org.client("unit_manager")
    headers = {"X-CSRF-Token": csrf_of(manager.get("/goals").text)}
    body = {"date": "2026-03-14", "value": 99.0}
    refused = manager.post("/api/v1/goals/G-SALES/checkins", json=body, headers=headers)
    assert refused.status_code == 404 and SALES_TEXT not in refused.text
    assert sales_org.store.checkins(sales_org.id, "G-SALES") == []
    mine = manager.post("/api/v1/goals/G-RD/checkins", json=body, headers=headers)
    assert mine.status_code == 201
    contributor = sales_org.client("contributor", how="token")  # contributors record progress anywhere
    assert contributor.post("/api/v1/goals/G-SALES/checkins", json=body).status_code == 201
