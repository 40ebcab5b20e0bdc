"""The corridor over REST: verdicts in the idea list, preview, mission save with re-scoring, overrides."""

from __future__ import annotations

from typing import Any

import pytest

from corridor.support import state
from support import api_csrf


def _verdicts(org: Any) -> dict[str, dict[str, Any]]:
    return {v["record_id"]: v for v in org.store.verdicts(org.id, "idea")}


def test_a_new_idea_gets_a_verdict_on_arrival(org: Any) -> None:
    client = org.client("contributor", how="token")
    response = client.post(
        "/api/v1/ideas", json={"id": "I-7", "text": "A compressor that lasts 30 years", "unit_id": "U-RD"}
    )
    assert response.status_code == 201, response.text
    assert _verdicts(org)["I-7"]["mission_version"] == 1
    listed = {r["id"]: r for r in client.get("/api/v1/ideas").json()}
    row = listed["I-7"]
    assert row["tier"] in ("core", "adjacent", "off") and 0 <= row["score"] <= 1
    assert row["theme"] and row["why"] and row["effective_tier"] == row["tier"]
    assert listed["I-1"]["tier"] is None  # stored before the engine ran: no verdict yet, still listed


def test_idea_list_filters_and_refuses_unknown_values(org: Any) -> None:
    client = org.client("viewer", how="token")
    client_admin = org.client("admin", how="token")
    assert (
        client_admin.put("/api/v1/mission", json={"text": "Refrigerators that never fail."}).status_code
        == 200
    )
    rows = client.get("/api/v1/ideas").json()
    tier = rows[0]["tier"]
    assert {r["id"] for r in client.get(f"/api/v1/ideas?tier={tier}").json()} == {
        r["id"] for r in rows if r["tier"] == tier
    }
    assert [r["id"] for r in client.get("/api/v1/ideas?unit=U-SALES").json()] == ["I-2"]
    assert client.get("/api/v1/ideas?status=accepted").json() == []
    assert client.get("/api/v1/ideas?tier=great").status_code == 422
    assert client.get("/api/v1/ideas?unit=U-NOPE").status_code == 404


def test_put_mission_saves_themes_and_rescores_every_idea(org: Any) -> None:
    client = org.client("strategist", how="token")
    body = {
        "text": "We make reliable refrigerators for families.",
        "focus_areas": ["door seals"],
        "exclusions": ["sport"],
    }
    response = client.put("/api/v1/mission", json=body)
    assert response.status_code == 200, response.text
    mission = response.json()
    assert mission["version"] == 2 and mission["themes"] and mission["focus_areas"] == ["door seals"]
    assert {v["mission_version"] for v in _verdicts(org).values()} == {2}
    assert set(_verdicts(org)) == {"I-1", "I-2"}


@pytest.mark.parametrize("role", ["viewer", "contributor", "unit_manager"])
def test_only_strategists_and_admins_change_or_preview_the_corridor(org: Any, role: str) -> None:
    client = org.client(role, how="token")
    before = state(org)
    assert client.put("/api/v1/mission", json={"text": "Anything."}).status_code == 403
    assert client.post("/api/v1/corridor/preview", json={"focus_areas": ["x"]}).status_code == 403
    assert state(org) == before


def test_preview_lists_changes_and_saves_nothing(org: Any) -> None:
    client = org.client("strategist")  # a session: the change needs the CSRF header
    before = state(org)
    focus = org.store.get("ideas", org.id, "I-2")["text"]
    response = client.post(
        "/api/v1/corridor/preview", json={"focus_areas": [focus]}, headers=api_csrf(client)
    )
    assert response.status_code == 200, response.text
    changes = response.json()
    assert [c["id"] for c in changes] == ["I-2"] and changes[0]["after"]["tier"] == "core"
    assert state(org) == before
    assert (
        client.post("/api/v1/corridor/preview", json={"focus_areas": [focus]}).status_code == 403
    )  # no CSRF
    bad = client.post("/api/v1/corridor/preview", json={"focus_areas": "x"}, headers=api_csrf(client))
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("role", "idea", "status"),
    [
        ("admin", "I-2", 200),
        ("strategist", "I-2", 200),
        ("unit_manager", "I-1", 200),  # manages U-RD, the idea's unit
        ("unit_manager", "I-2", 403),  # U-SALES is not theirs
        ("contributor", "I-1", 403),
        ("viewer", "I-1", 403),
    ],
)
def test_override_roles(org: Any, role: str, idea: str, status: int) -> None:
    client = org.client(role, how="token")
    before = state(org)
    response = client.post(
        f"/api/v1/ideas/{idea}/override", json={"tier": "core", "reason": "our core market"}
    )
    assert response.status_code == status, response.text
    if status == 200:
        assert response.json()["override_tier"] == "core" and response.json()["effective_tier"] == "core"
        # The override, then the re-score of every idea it caused (it teaches the corridor).
        actions = [e["action"] for e in org.store.audit_events(org.id)[-2:]]
        assert actions == ["idea.override", "corridor.relearn"]
    else:
        assert state(org) == before


@pytest.mark.parametrize(
    ("idea", "body", "status"),
    [
        ("I-1", {"tier": "great", "reason": "x"}, 422),
        ("I-1", {"tier": "core", "reason": "   "}, 422),
        ("I-1", {"tier": "core"}, 422),
        ("I-NOPE", {"tier": "core", "reason": "x"}, 404),
    ],
)
def test_bad_override_requests_change_nothing(org: Any, idea: str, body: dict[str, Any], status: int) -> None:
    client = org.client("admin", how="token")
    before = state(org)
    assert client.post(f"/api/v1/ideas/{idea}/override", json=body).status_code == status
    assert state(org) == before


def test_a_corridor_edit_keeps_the_themes_people_gave_until_the_statement_changes(org: Any) -> None:
    text = "To make refrigerators that never let food spoil."
    given = [{"name": "cold chain", "text": "cold chain logistics", "kind": "what"}]
    org.store.add_mission_version(org.id, text, themes=given, theme_rules=0)
    client = org.client("strategist", how="token")
    assert client.put("/api/v1/mission", json={"text": text, "exclusions": ["sport"]}).status_code == 200
    mission = org.store.mission(org.id)
    assert (mission["themes"], mission["theme_rules"], mission["exclusions"]) == (given, 0, ["sport"])
    changed = client.put("/api/v1/mission", json={"text": "To make freezers that last.", "exclusions": []})
    assert changed.status_code == 200
    assert org.store.mission(org.id)["themes"] != given and org.store.mission(org.id)["theme_rules"] > 0
