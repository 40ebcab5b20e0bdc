"""Import (all or nothing, by role) and export through the API."""

from __future__ import annotations

from support import Org


def test_import_csv_then_export_it(org: Org) -> None:
    client = org.client("strategist", how="token")
    csv = (
        "id,text,level,unit_id,parent_ids\nG-A,Quieter compressors,2,U-RD,G-1\nG-B,Greener foam,2,U-RD,G-1\n"
    )
    response = client.post("/api/v1/import/goals", files={"file": ("goals.csv", csv, "text/csv")})
    assert response.status_code == 200, response.text
    assert response.json() == {"kind": "goals", "created": 2, "updated": 0}
    exported = client.get("/api/v1/export/goals", params={"format": "json"}).json()
    assert {g["id"] for g in exported} >= {"G-A", "G-B"}
    as_csv = client.get("/api/v1/export/goals", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv") and "G-A" in as_csv.text


def test_a_bad_row_imports_nothing_and_names_the_row(org: Org) -> None:
    client = org.client("admin", how="token")
    csv = "id,text,level\nG-A,Fine,2\nG-B,Bad level,nine\n"
    response = client.post("/api/v1/import/goals", files={"file": ("goals.csv", csv, "text/csv")})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["row"], error["field"]) == (3, "level") and "goals.csv" in error["source"]
    assert "G-A" not in org.store.keys("goals", org.id)


def test_import_needs_a_role_that_may_import_the_kind(org: Org) -> None:
    csv = "id,name\nU-X,Unit X\n"
    for role in ("viewer", "unit_manager", "strategist"):
        response = org.client(role, how="token").post("/api/v1/import/units", files={"file": ("u.csv", csv)})
        assert response.status_code == 403, role
    assert "U-X" not in org.store.keys("units", org.id)


def test_import_refuses_unknown_kinds_and_file_types(org: Org) -> None:
    client = org.client("admin", how="token")
    assert client.post("/api/v1/import/cats", files={"file": ("c.csv", "id\n1\n")}).status_code == 422
    assert client.post("/api/v1/import/goals", files={"file": ("g.txt", "id\n1\n")}).status_code == 422


def test_export_hides_users_from_non_admins(org: Org) -> None:
    assert org.client("viewer", how="token").get("/api/v1/export/users").status_code == 403
    exported = org.client("admin", how="token").get("/api/v1/export/users").text
    assert org.name("viewer") in exported and "scrypt" not in exported
