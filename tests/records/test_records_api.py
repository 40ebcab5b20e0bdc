"""REST endpoints: CRUD, roles enforced per record, an audit event for every change, and a failed
request that changes nothing."""

from __future__ import annotations

import pytest

from support import Org, api_csrf, audit_actions


def test_viewer_reads_but_cannot_write(org: Org) -> None:
    client = org.client("viewer", how="token")
    goals = client.get("/api/v1/goals").json()
    assert [g["id"] for g in goals] == ["G-1", "G-RD", "G-SALES"]
    assert client.get("/api/v1/goals/G-RD").json()["parent_ids"] == ["G-1"]
    response = client.post("/api/v1/ideas", json={"id": "I-9", "text": "A quieter fan"})
    assert response.status_code == 403
    assert response.json()["error"]["type"] == "PermissionDenied"
    assert "I-9" not in org.store.keys("ideas", org.id)


def test_unit_manager_cannot_change_another_units_goal(org: Org) -> None:
    client = org.client("unit_manager", how="token")
    before = org.store.get("goals", org.id, "G-SALES")
    response = client.patch("/api/v1/goals/G-SALES", json={"text": "Sell more of anything"})
    # Answered as a goal that does not exist: nothing tells the manager it is there.
    assert response.status_code == 404
    assert "U-SALES" not in response.json()["error"]["message"]
    assert org.store.get("goals", org.id, "G-SALES") == before
    assert not any(action == "goal.update" for action, _, _ in audit_actions(org))


def test_unit_manager_cannot_move_own_goal_into_another_unit(org: Org) -> None:
    client = org.client("unit_manager", how="token")
    response = client.patch("/api/v1/goals/G-RD", json={"unit_id": "U-SALES"})
    assert response.status_code == 403
    assert org.store.get("goals", org.id, "G-RD")["unit_id"] == "U-RD"


def test_unit_manager_edits_own_and_sub_unit_goals_and_it_is_audited(org: Org) -> None:
    client = org.client("unit_manager", how="token")
    response = client.patch(
        "/api/v1/goals/G-RD", json={"text": "Test every compressor for 8000 hours", "unit_id": "U-RD-LAB"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["text"].endswith("8000 hours")
    stored = org.store.get("goals", org.id, "G-RD")
    assert (stored["unit_id"], stored["parent_ids"]) == ("U-RD-LAB", ["G-1"])  # untouched fields stay
    assert audit_actions(org)[-1] == ("goal.update", "goals", "G-RD")
    event = org.store.audit_events(org.id)[-1]
    assert event["username"] == org.name("unit_manager")
    assert event["detail"]["before"]["text"] == "Test every compressor for 5000 hours"


def test_goal_crud_by_strategist_with_audit(org: Org) -> None:
    client = org.client("strategist", how="token")
    created = client.post(
        "/api/v1/goals",
        json={
            "id": "G-NEW",
            "text": "Cut energy use by 20%",
            "level": 2,
            "unit_id": "U-SALES",
            "parent_ids": ["G-1"],
            "target": 20,
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["parent_ids"] == ["G-1"]
    assert client.delete("/api/v1/goals/G-NEW").status_code == 204
    assert client.get("/api/v1/goals/G-NEW").status_code == 404
    assert [a for a in audit_actions(org) if a[2] == "G-NEW"] == [
        ("goal.create", "goals", "G-NEW"),
        ("goal.delete", "goals", "G-NEW"),
    ]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"id": "G-X", "text": "x", "level": 7}, "level"),
        ({"id": "G-X", "text": "", "level": 2}, "text"),
        ({"id": "G-X", "text": "x" * 20_001, "level": 2}, "text"),
        ({"id": "G;X", "text": "x", "level": 2}, "id"),
        ({"id": "G-X", "text": "x", "level": 2, "colour": "red"}, "colour"),
    ],
)
def test_bad_goal_bodies_are_422_and_store_nothing(org: Org, body: dict, field: str) -> None:
    client = org.client("admin", how="token")
    response = client.post("/api/v1/goals", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "InputError"
    assert any(f["field"] == field for f in error["fields"])
    assert "G-X" not in org.store.keys("goals", org.id) and "G;X" not in org.store.keys("goals", org.id)


def test_unknown_reference_is_422_naming_the_field(org: Org) -> None:
    client = org.client("admin", how="token")
    response = client.post(
        "/api/v1/goals", json={"id": "G-X", "text": "x", "level": 2, "parent_ids": ["G-NOPE"]}
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "parent_ids"
    assert "G-NOPE" in response.json()["error"]["message"]
    assert "G-X" not in org.store.keys("goals", org.id)


def test_a_goal_cycle_is_refused_and_nothing_changes(org: Org) -> None:
    client = org.client("admin", how="token")
    response = client.patch("/api/v1/goals/G-1", json={"parent_ids": ["G-RD"]})
    assert response.status_code in (409, 422)
    assert "cycle" in response.json()["error"]["message"]
    assert org.store.get("goals", org.id, "G-1")["parent_ids"] == []
    assert not any(a[0] == "goal.update" for a in audit_actions(org))


def test_duplicate_id_is_409(org: Org) -> None:
    client = org.client("admin", how="token")
    response = client.post("/api/v1/goals", json={"id": "G-1", "text": "Another", "level": 1})
    assert response.status_code == 409
    assert org.store.get("goals", org.id, "G-1")["text"] == "Halve field failures"


def test_missing_record_is_404_json(org: Org) -> None:
    response = org.client("viewer", how="token").get("/api/v1/ideas/I-404")
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "NotFoundError"


def test_deleting_a_goal_others_depend_on_is_refused(org: Org) -> None:
    response = org.client("admin", how="token").delete("/api/v1/goals/G-1")
    assert response.status_code == 409
    assert "G-1" in org.store.keys("goals", org.id)


def test_contributor_submits_ideas_and_checkins_but_cannot_triage(org: Org) -> None:
    client = org.client("contributor", how="token")
    idea = client.post(
        "/api/v1/ideas",
        json={"id": "I-3", "text": "Recyclable door seals", "unit_id": "U-SALES", "tags": ["materials"]},
    )
    assert idea.status_code == 201, idea.text
    assert idea.json()["status"] == "new"
    checkin = client.post(
        "/api/v1/goals/G-RD/checkins", json={"date": "2026-05-02", "value": 1200, "note": "on track"}
    )
    assert checkin.status_code == 201, checkin.text
    assert client.get("/api/v1/goals/G-RD/checkins").json()[0]["value"] == 1200
    assert client.post("/api/v1/ideas/I-3/status", json={"status": "accepted"}).status_code == 403
    assert client.patch("/api/v1/goals/G-RD", json={"text": "changed"}).status_code == 403
    actions = audit_actions(org)
    assert ("idea.create", "ideas", "I-3") in actions and ("checkin.create", "goals", "G-RD") in actions


def test_checkin_with_an_impossible_date_is_refused(org: Org) -> None:
    client = org.client("contributor", how="token")
    assert (
        client.post("/api/v1/goals/G-RD/checkins", json={"date": "2026-13-45", "value": 1}).status_code == 422
    )
    assert org.store.checkins(org.id, "G-RD") == []


def test_idea_status_change_by_unit_manager_records_reviewer(org: Org) -> None:
    client = org.client("unit_manager", how="token")
    response = client.post(
        "/api/v1/ideas/I-1/status",
        json={"status": "accepted", "override_tier": "core", "override_reason": "safety first"},
    )
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["reviewer"]) == ("accepted", org.name("unit_manager"))
    assert client.post("/api/v1/ideas/I-2/status", json={"status": "rejected"}).status_code == 403
    assert org.store.get("ideas", org.id, "I-2")["status"] == "new"


def test_tier_override_needs_a_reason(org: Org) -> None:
    client = org.client("strategist", how="token")
    response = client.post("/api/v1/ideas/I-1/status", json={"status": "accepted", "override_tier": "off"})
    assert response.status_code == 422
    assert org.store.get("ideas", org.id, "I-1")["override_tier"] is None


def test_mission_versions(org: Org) -> None:
    strategist = org.client("strategist", how="token")
    response = strategist.post(
        "/api/v1/mission",
        json={"text": "To keep food fresh with less energy.", "focus_areas": ["energy efficiency"]},
    )
    assert response.status_code == 201, response.text
    assert response.json()["version"] == 2
    assert strategist.get("/api/v1/mission").json()["text"] == "To keep food fresh with less energy."
    assert len(strategist.get("/api/v1/mission/versions").json()) == 2
    assert (
        org.client("unit_manager", how="token").post("/api/v1/mission", json={"text": "Mine"}).status_code
        == 403
    )
    assert ("mission.create", "mission", "2") in audit_actions(org)


def test_users_are_admin_only_and_never_show_passwords(org: Org) -> None:
    assert org.client("strategist", how="token").get("/api/v1/users").status_code == 403
    admin = org.client("admin", how="token")
    created = admin.post(
        "/api/v1/users", json={"username": f"new-{org.tag}", "password": "long enough pw", "role": "viewer"}
    )
    assert created.status_code == 201, created.text
    listing = admin.get("/api/v1/users").text
    assert "password" not in listing and "scrypt" not in listing
    event = org.store.audit_events(org.id)[-1]
    assert event["action"] == "user.create" and event["detail"]["password"] == "***"
    new = org.client()
    token = new.post("/api/v1/auth/token", json={"username": f"new-{org.tag}", "password": "long enough pw"})
    assert token.status_code == 200


def test_audit_is_for_admins_and_strategists(org: Org) -> None:
    org.client("strategist", how="token").patch("/api/v1/goals/G-1", json={"period": "2027"})
    events = org.client("strategist", how="token").get("/api/v1/audit", params={"record_id": "G-1"}).json()
    assert [e["action"] for e in events] == ["goal.update"]
    assert org.client("unit_manager", how="token").get("/api/v1/audit").status_code == 403


def test_other_kinds_round_trip(org: Org) -> None:
    admin = org.client("admin", how="token")
    assert (
        admin.post("/api/v1/units", json={"id": "U-NEW", "name": "New", "parent_id": "U-CO"}).status_code
        == 201
    )
    assert (
        admin.post("/api/v1/people", json={"id": "p02", "name": "Bo", "unit_id": "U-NEW"}).status_code == 201
    )
    assert (
        admin.post("/api/v1/knowledge-areas", json={"id": "K-1", "name": "Thermodynamics"}).status_code == 201
    )
    assert (
        admin.post(
            "/api/v1/documents",
            json={"id": "D-1", "title": "Heat", "text": "On heat pumps.", "area_ids": ["K-1"]},
        ).status_code
        == 201
    )
    assert (
        admin.post(
            "/api/v1/communications",
            json={"id": "M-1", "text": "New fridge!", "channel": "press", "date": "2026-05-02"},
        ).status_code
        == 201
    )
    assert admin.get("/api/v1/documents/D-1").json()["area_ids"] == ["K-1"]
    assert admin.get("/api/v1/organisation").json()["name"] == "Frostline Appliances"
    assert admin.patch("/api/v1/units/U-NEW", json={}).status_code == 422  # changes nothing: refused


def test_session_api_changes_need_the_csrf_header(org: Org) -> None:
    client = org.client("admin")
    refused = client.patch("/api/v1/goals/G-1", json={"period": "2030"})
    assert refused.status_code == 403
    assert org.store.get("goals", org.id, "G-1")["period"] is None
    allowed = client.patch("/api/v1/goals/G-1", json={"period": "2030"}, headers=api_csrf(client))
    assert allowed.status_code == 200
