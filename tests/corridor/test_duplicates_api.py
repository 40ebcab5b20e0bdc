"""Similar ideas, duplicate groups, merge and unmerge over REST: roles, bad bodies, nothing half-done."""

from __future__ import annotations

from typing import Any

import pytest

from corridor.twins import TWIN, add_twins, state
from support import api_csrf


def test_similar_for_any_reader_and_refuses_bad_bodies(org: Any) -> None:
    add_twins(org)
    client = org.client("viewer", how="token")
    response = client.post("/api/v1/ideas/similar", json={"text": TWIN, "k": 2})
    assert response.status_code == 200, response.text
    assert [m["id"] for m in response.json()] == ["I-3", "I-4"] and response.json()[0]["twin"]
    before = state(org)
    for body in ({"text": ""}, {"text": "   "}, {"text": "x" * 20_001}, {"text": "ok", "k": 0}, {"txt": "a"}):
        assert client.post("/api/v1/ideas/similar", json=body).status_code == 422, body
    bad_utf8 = b'{"text": "caf\xe9 in the canteen"}'  # Latin-1 bytes sent as JSON
    response = client.post(
        "/api/v1/ideas/similar", content=bad_utf8, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400 and "error" in response.text.lower()
    assert state(org) == before
    assert org.client().post("/api/v1/ideas/similar", json={"text": TWIN}).status_code == 401


def test_session_clients_need_the_csrf_header_to_ask(org: Any) -> None:
    client = org.client("contributor")
    assert client.post("/api/v1/ideas/similar", json={"text": TWIN}).status_code == 403
    ok = client.post("/api/v1/ideas/similar", json={"text": TWIN}, headers=api_csrf(client))
    assert ok.status_code == 200


def test_duplicate_groups_over_rest(org: Any) -> None:
    add_twins(org)
    client = org.client("viewer", how="token")
    groups = client.get("/api/v1/ideas/duplicates?threshold=0.8").json()
    assert [g["ids"] for g in groups] == [["I-3", "I-4"]]
    assert client.get("/api/v1/ideas/duplicates?threshold=0").status_code == 422
    assert client.get("/api/v1/ideas/duplicates?threshold=2").status_code == 422


def test_merge_then_unmerge_over_rest(org: Any) -> None:
    add_twins(org)
    client = org.client("strategist", how="token")
    merged = client.post("/api/v1/ideas/merge", json={"primary": "I-3", "twins": ["I-4"]})
    assert merged.status_code == 200, merged.text
    assert merged.json()["added_tags"] == ["energy"]
    assert org.store.get("ideas", org.id, "I-4")["duplicate_group"] == "I-3"
    undone = client.post("/api/v1/ideas/unmerge", json={"group": "I-3"})
    assert undone.status_code == 200 and undone.json()["ids"] == ["I-3", "I-4"]
    assert org.store.get("ideas", org.id, "I-3")["tags"] == ["solar"]
    assert client.post("/api/v1/ideas/unmerge", json={"group": "I-3"}).status_code == 404


@pytest.mark.parametrize(
    ("role", "body", "status"),
    [
        ("viewer", {"primary": "I-3", "twins": ["I-4"]}, 403),
        ("contributor", {"primary": "I-3", "twins": ["I-4"]}, 403),
        ("unit_manager", {"primary": "I-3", "twins": ["I-2"]}, 403),  # I-2 is in Sales, not R&D
        ("unit_manager", {"primary": "I-3", "twins": ["I-4"]}, 200),  # both inside R&D
        ("admin", {"primary": "I-3", "twins": []}, 422),
        ("admin", {"primary": "I-3", "twins": ["I-3"]}, 422),
        ("admin", {"primary": "I-3", "twins": ["I-404"]}, 404),
        ("admin", {"primary": "I-3"}, 422),
        ("admin", {"primary": "I-3", "twins": ["I-4"], "extra": 1}, 422),
    ],
)
def test_merge_permissions_and_bad_bodies(org: Any, role: str, body: dict[str, Any], status: int) -> None:
    add_twins(org)
    before = state(org)
    response = org.client(role, how="token").post("/api/v1/ideas/merge", json=body)
    assert response.status_code == status, response.text
    if status != 200:
        assert state(org) == before
