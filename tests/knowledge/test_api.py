"""The knowledge REST API: guarded routes over the same service functions as the CLI and pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from knowledge.support import ORG, signed_in, snapshot, write_hr


def _token_client(app: Any, username: str, password: str) -> Any:
    from fastapi.testclient import TestClient

    client = TestClient(app)
    token = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Bearer {token.json()['token']}"
    return client


def test_needs_coverage_gaps_and_documents_read_for_a_viewer(app: Any) -> None:
    client = _token_client(app, "viewer", "demo-viewer")
    needs = client.get("/api/v1/knowledge/needs", params={"limit": 4})
    assert needs.status_code == 200
    assert sum(1 for r in needs.json() if not r["stored"]) == 4
    gaps = client.get("/api/v1/knowledge/gaps", params={"only": "spof"}).json()
    assert {g["area_id"] for g in gaps} == {"K-MOTOR", "K-REFSAFE"}
    coverage = client.get("/api/v1/knowledge/coverage").json()
    assert [g["area_id"] for g in coverage["uncovered"]] == ["K-LCA"]
    docs = client.get("/api/v1/knowledge/documents").json()
    assert {a["id"] for a in docs["undocumented"]} == {"K-MOTOR", "K-ACOUST", "K-LCA"}
    assert client.get("/api/v1/knowledge/gaps", params={"only": "everything"}).status_code == 422


def test_anonymous_callers_and_weak_roles_are_refused(app: Any, store: Any, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    assert TestClient(app).get("/api/v1/knowledge/coverage").status_code == 401
    viewer = _token_client(app, "viewer", "demo-viewer")
    before = snapshot(store)
    assert viewer.put("/api/v1/knowledge/needs", json=[{"id": "K-LCA", "weight": 2}]).status_code == 403
    hr = write_hr(tmp_path / "hr.csv", ["p06,,motor,,3"])
    with hr.open("rb") as fh:
        assert viewer.post("/api/v1/knowledge/skills/map", files={"file": ("hr.csv", fh)}).status_code == 403
    assert viewer.post("/api/v1/knowledge/documents", json={"title": "x", "text": "y"}).status_code == 403
    assert snapshot(store) == before


def test_strategist_reweights_needs_and_bad_weights_are_refused(app: Any, store: Any) -> None:
    client = _token_client(app, "strategist", "demo-strategist")
    ok = client.put("/api/v1/knowledge/needs", json=[{"id": "K-LCA", "weight": 2.5}])
    assert ok.status_code == 200 and ok.json() == {"created": 0, "updated": 1}
    assert store.get("knowledge_areas", ORG, "K-LCA")["weight"] == 2.5
    assert client.put("/api/v1/knowledge/needs", json=[{"id": "K-LCA", "weight": -1}]).status_code == 422
    assert client.put("/api/v1/knowledge/needs", json=[]).status_code == 422


def test_admin_maps_an_hr_file_then_saves_the_corrected_mapping(app: Any, store: Any, tmp_path: Path) -> None:
    client = _token_client(app, "admin", "demo-admin")
    hr = write_hr(tmp_path / "hr.csv", ["p06,,brushless motor windings,,3"])
    with hr.open("rb") as fh:
        mapped = client.post("/api/v1/knowledge/skills/map", files={"file": ("hr.csv", fh)})
    assert mapped.status_code == 200, mapped.text
    (proposal,) = mapped.json()
    assert proposal["area_id"] == "K-MOTOR" and proposal["why"]
    body = [{k: proposal[k] for k in ("person_id", "area_id", "level", "skill_text")}]
    saved = client.post("/api/v1/knowledge/skills", json=body)
    assert saved.status_code == 200 and saved.json()["skills_created"] == 1
    gaps = client.get("/api/v1/knowledge/gaps", params={"only": "spof"}).json()
    assert {g["area_id"] for g in gaps} == {"K-REFSAFE"}


def test_a_bad_hr_upload_names_the_row_and_stores_nothing(app: Any, store: Any, tmp_path: Path) -> None:
    client = _token_client(app, "admin", "demo-admin")
    before = snapshot(store)
    hr = write_hr(tmp_path / "hr.csv", ["p06,,motor,,3", "ghost,,motor,,3"])
    with hr.open("rb") as fh:
        response = client.post("/api/v1/knowledge/skills/map", files={"file": ("hr.csv", fh)})
    assert response.status_code == 422
    assert "row 3" in response.text and "ghost" in response.text
    with hr.open("rb") as fh:
        wrong_type = client.post("/api/v1/knowledge/skills/map", files={"file": ("hr.pdf", fh)})
    assert wrong_type.status_code == 422
    assert snapshot(store) == before


def test_documents_get_suggested_areas_when_none_are_given(app: Any, store: Any) -> None:
    client = _token_client(app, "strategist", "demo-strategist")
    text = "Winding and balancing the brushless motor; motor efficiency maps for the fan."
    response = client.post("/api/v1/knowledge/documents", json={"title": "Fan motor handbook", "text": text})
    assert response.status_code == 201, response.text
    assert response.json()["id"] == "D-fan-motor-handbook" and "K-MOTOR" in response.json()["area_ids"]
    suggest = client.post("/api/v1/knowledge/documents/suggest", json={"text": text}).json()
    assert suggest[0]["area_id"] == "K-MOTOR"
    bad = client.post("/api/v1/knowledge/documents", json={"title": "x", "text": "y", "area_ids": ["K-NOPE"]})
    assert bad.status_code == 422 and "K-NOPE" in bad.text


def test_session_clients_must_send_the_csrf_token(app: Any) -> None:
    client = signed_in(app, "strategist", "demo-strategist")
    assert client.put("/api/v1/knowledge/needs", json=[{"id": "K-LCA", "weight": 2}]).status_code == 403


def test_stored_skills_read_with_their_areas_and_reasons(app: Any, store: Any) -> None:
    skills = signed_in(app, "viewer", "demo-viewer").get("/api/v1/knowledge/skills").json()
    assert len(skills) == len(store.rows("skills", ORG))
    first = next(s for s in skills if (s["person_id"], s["area_id"]) == ("p02", "K-ENERGY"))
    assert first["area"] == "EU energy labelling and ecodesign" and first["level"] == 3
    assert first["why"].startswith("shares ") and first["person"] == "Elena Marković"


def test_a_unit_manager_sees_their_units_people_and_unnamed_holders_elsewhere(app: Any, store: Any) -> None:
    """The sales manager reads Sales' (and Service's) skills and columns; the organisation's gaps stay
    whole, but the single holder of an area in another unit is not named."""
    everyone = _token_client(app, "viewer", "demo-viewer")
    manager = _token_client(app, "sales-manager", "demo-manager")
    people = {p["id"]: p for p in store.rows("people", ORG)}
    all_skills = everyone.get("/api/v1/knowledge/skills").json()
    seen = manager.get("/api/v1/knowledge/skills").json()
    assert seen and {s["unit_id"] for s in seen} <= {"U-SAL", "U-SVC"}
    assert len(seen) == sum(1 for s in all_skills if s["unit_id"] in ("U-SAL", "U-SVC"))
    coverage = manager.get("/api/v1/knowledge/coverage").json()
    assert {u["id"] for u in coverage["units"]} == {"U-SAL", "U-SVC"}
    assert all(len(row) == 2 for row in coverage["depth"]) and all(
        len(row) == 2 for row in coverage["holders"]
    )
    full = everyone.get("/api/v1/knowledge/coverage").json()
    assert len(full["units"]) == len(store.rows("units", ORG))
    spof = {g["area_id"]: g for g in manager.get("/api/v1/knowledge/gaps", params={"only": "spof"}).json()}
    assert set(spof) == {"K-MOTOR", "K-REFSAFE"}  # the organisation's gaps, as everyone sees them
    for gap in spof.values():
        named = {g["area_id"]: g for g in full["single_points_of_failure"]}[gap["area_id"]]
        holder_unit = people[named["sole_holder"]]["unit_id"]
        if holder_unit in ("U-SAL", "U-SVC"):
            assert gap["sole_holder_name"] == named["sole_holder_name"]
        else:
            assert gap["sole_holder"] is None and named["sole_holder_name"] not in str(gap)
    page = signed_in(app, "sales-manager", "demo-manager").get("/knowledge/skills")
    assert page.status_code == 200
    outsiders = {people[s["person_id"]]["name"] for s in all_skills if s["unit_id"] not in ("U-SAL", "U-SVC")}
    assert not any(name in page.text for name in outsiders)
