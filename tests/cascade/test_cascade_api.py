"""The cascade over HTTP: REST routes and pages, roles and unit scope, refused cycles and dangling
parents (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
from typing import Any

from support import api_csrf


def test_suggest_parents_answers_json_for_the_goal_form(org: Any) -> None:
    client = org.client("contributor")
    response = client.get("/api/v1/goals/suggest-parents", params={"text": "Test compressors", "level": 2})
    assert response.status_code == 200
    assert [s["id"] for s in response.json()] == ["G-1"]
    assert set(response.json()[0]) == {"id", "text", "unit_id", "level", "score", "why"}


def test_suggest_parents_refuses_bad_queries_with_a_message(org: Any) -> None:
    client = org.client("viewer")
    assert client.get("/api/v1/goals/suggest-parents", params={"text": "x", "level": 7}).status_code == 422
    missing = client.get("/api/v1/goals/suggest-parents", params={"level": 2})
    assert missing.status_code == 422
    blank = client.get("/api/v1/goals/suggest-parents", params={"text": "   ", "level": 2})
    assert blank.status_code == 422 and "text" in blank.json()["error"]["message"]


def test_every_cascade_route_needs_a_signed_in_user(org: Any) -> None:
    anonymous = org.client()
    for path in ("/api/v1/goals/tree", "/api/v1/goals/manager", "/api/v1/goals/strategy"):
        assert anonymous.get(path).status_code == 401
    assert anonymous.post("/api/v1/cascade/check").status_code == 401
    page = anonymous.get("/goals/tree", follow_redirects=False)
    assert page.status_code in (303, 307) and "/login" in page.headers["location"]


def test_check_runs_over_stored_goals_and_needs_csrf_with_a_session(org: Any) -> None:
    client = org.client("strategist")
    assert client.post("/api/v1/cascade/check").status_code == 403  # session without the CSRF header
    response = client.post("/api/v1/cascade/check", headers=api_csrf(client))
    assert response.status_code == 200
    body = response.json()
    assert {g["id"] for g in body["goals"]} == {"G-1", "G-RD", "G-SALES"}
    assert all(g["verdict"]["tier"] in ("core", "adjacent", "off") for g in body["goals"])
    assert body["summary"]["id"] == "_uncovered"
    token_client = org.client("viewer", how="token")
    assert token_client.post("/api/v1/cascade/check").status_code == 200


def test_a_unit_manager_sees_only_their_units_goals(org: Any) -> None:
    client = org.client("unit_manager", how="token")
    tree = client.get("/api/v1/goals/tree").json()
    assert [c["id"] for c in tree[0]["children"]] == ["G-RD"]  # no G-SALES
    checked = client.post("/api/v1/cascade/check").json()
    assert {g["id"] for g in checked["goals"]} == {"G-RD"}
    assert client.get("/api/v1/goals/manager").json()["unit"]["id"] == "U-RD"
    other = client.get("/api/v1/goals/manager", params={"unit": "U-SALES"})
    assert other.status_code == 403 and "own unit" in other.json()["error"]["message"]
    assert client.get("/goals/manager?unit=U-SALES").status_code == 403
    strategist = org.client("strategist", how="token")
    assert strategist.get("/api/v1/goals/manager", params={"unit": "U-SALES"}).status_code == 200


def test_a_unit_manager_edits_only_their_units_goals(org: Any) -> None:
    client = org.client("unit_manager", how="token")
    mine = client.patch("/api/v1/goals/G-RD", json={"text": "Test every compressor for 6000 hours"})
    assert mine.status_code == 200
    theirs = client.patch("/api/v1/goals/G-SALES", json={"text": "Changed by R&D"})
    assert theirs.status_code == 404  # answered as a goal that does not exist
    assert org.store.get("goals", org.id, "G-SALES")["text"] == "Grow repeat purchases"


def test_cycles_and_dangling_parents_are_refused_with_a_clear_error(org: Any) -> None:
    client = org.client("strategist", how="token")
    cycle = client.patch("/api/v1/goals/G-1", json={"parent_ids": ["G-RD"]})
    assert cycle.status_code in (409, 422)
    assert "cycle" in cycle.json()["error"]["message"]
    dangling = client.patch("/api/v1/goals/G-RD", json={"parent_ids": ["G-GHOST"]})
    assert dangling.status_code == 422
    assert "G-GHOST" in dangling.json()["error"]["message"]
    created = client.post(
        "/api/v1/goals", json={"id": "G-NEW", "text": "New", "level": 2, "parent_ids": ["G-NOPE"]}
    )
    assert created.status_code == 422 and "G-NOPE" in created.json()["error"]["message"]
    assert org.store.get("goals", org.id, "G-1")["parent_ids"] == []
    assert org.store.get("goals", org.id, "G-RD")["parent_ids"] == ["G-1"]


def test_pages_render_the_tree_manager_view_and_strategy_map(org: Any) -> None:
    client = org.client("strategist")
    tree = client.get("/goals/tree")
    assert tree.status_code == 200 and 'id="goal-G-RD"' in tree.text
    manager = client.get("/goals/manager?unit=U-RD")
    assert manager.status_code == 200 and 'data-goal="G-RD"' in manager.text and "G-1" in manager.text
    strategy = client.get("/goals/strategy")
    assert strategy.status_code == 200
    assert 'id="coverage"' in strategy.text and 'data-chart="coverage-chart-spec"' in strategy.text
    assert "To make refrigerators" in strategy.text
    form = client.get("/goals")
    assert 'id="parent-suggestions"' in form.text and "/goals/strategy" in form.text
    edit = client.get("/goals/G-RD/edit")
    assert 'data-goal-id="G-RD"' in edit.text


def test_okr_import_over_http_needs_the_import_right(org: Any) -> None:
    data = "Objective,Key Result,Team\nGrow service revenue,Sign 20 service contracts,U-SALES\n"
    files = {"file": ("okrs.csv", io.BytesIO(data.encode()), "text/csv")}
    manager = org.client("unit_manager", how="token")
    assert manager.post("/api/v1/goals/import-okr", files=files).status_code == 403
    strategist = org.client("strategist", how="token")
    files = {"file": ("okrs.csv", io.BytesIO(data.encode()), "text/csv")}
    response = strategist.post("/api/v1/goals/import-okr", files=files)
    assert response.status_code == 200, response.text
    assert response.json() == {"kind": "goals", "created": 2, "updated": 0}
    bad = {"file": ("okrs.txt", io.BytesIO(b"x"), "text/plain")}
    assert strategist.post("/api/v1/goals/import-okr", files=bad).status_code == 422


def test_a_tree_that_breaks_the_level_rule_is_named_and_the_goals_still_show(org: Any) -> None:
    # The store accepts a level-2 parent for a level-2 goal; the checks refuse such a tree.
    org.store.upsert(
        "goals",
        org.id,
        [
            {
                "id": "G-SALES",
                "text": "Grow repeat purchases",
                "unit_id": "U-SALES",
                "level": 2,
                "parent_ids": ["G-RD"],
            }
        ],
    )
    client = org.client("strategist", how="token")
    check = client.post("/api/v1/cascade/check")
    assert check.status_code == 422
    assert "G-SALES" in check.json()["error"]["message"] and "level" in check.json()["error"]["message"]
    page = client.get("/goals/tree")
    assert page.status_code == 200
    assert "The checks cannot run" in page.text and 'id="goal-G-SALES"' in page.text


def test_only_a_writing_role_may_force_a_fresh_check(org: Any) -> None:
    """A refresh re-scores and stores a verdict per goal: a write, which a viewer may not make."""
    for role in ("viewer", "contributor"):
        refused = org.client(role, how="token").post("/api/v1/cascade/check", params={"refresh": "true"})
        assert refused.status_code == 403, role
        assert "refresh" in refused.json()["error"]["message"]
    assert org.client("viewer", how="token").post("/api/v1/cascade/check").status_code == 200
    strategist = org.client("strategist", how="token")
    assert strategist.post("/api/v1/cascade/check", params={"refresh": "true"}).status_code == 200


def test_a_goal_cannot_sit_below_a_goal_of_its_own_or_a_lower_level(org: Any) -> None:
    """A level-2 goal under a level-3 one broke every organisation-wide view; now it is refused."""
    client = org.client("strategist", how="token")
    made = client.post(
        "/api/v1/goals",
        json={"id": "G-3", "text": "Log test hours", "level": 3, "unit_id": "U-RD", "parent_ids": ["G-RD"]},
    )
    assert made.status_code in (200, 201), made.text
    under = client.post(
        "/api/v1/goals",
        json={"id": "G-X", "text": "Upside down", "level": 2, "unit_id": "U-RD", "parent_ids": ["G-3"]},
    )
    assert under.status_code == 422
    assert under.json()["error"]["field"] == "parent_ids" and "G-3" in under.json()["error"]["message"]
    sunk = client.patch("/api/v1/goals/G-RD", json={"level": 3})  # its child G-3 is at level 3
    assert sunk.status_code == 422
    assert sunk.json()["error"]["field"] == "level" and "G-3" in sunk.json()["error"]["message"]
    assert client.get("/api/v1/goals/tree").status_code == 200
