"""Values no store can hold are refused at the boundary with a 422 (or exit 2) that names the field:
NaN and Infinity as check-in values (SQLite answered 409 with the database's text, PostgreSQL 503),
a NUL character in a text (503 on PostgreSQL), JSON nested 100,000 deep in an import (500)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app as cli
from hoshin.errors import InputError
from hoshin.service.importing import import_file
from support import Org

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_a_check_in_value_must_be_a_finite_number(org: Org, value: str) -> None:
    client = org.client("contributor", how="token")
    body = '{"date": "2026-03-14", "value": ' + value + "}"
    response = client.post(
        "/api/v1/goals/G-RD/checkins", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    message = response.json()["error"]["message"]
    assert "value" in message and "finite" in message
    assert org.store.checkins(org.id, "G-RD") == []


def test_the_service_refuses_a_check_in_value_that_is_not_finite(org: Org) -> None:
    from hoshin.service.auth import Principal
    from hoshin.service.editing import add_checkin

    user = Principal(org.name("admin"), "admin", org.id)
    with pytest.raises(InputError, match="value"):
        add_checkin(org.store, user, "G-RD", "2026-03-14", math.nan, None)
    assert org.store.checkins(org.id, "G-RD") == []


def test_a_nul_character_in_a_text_is_refused_naming_the_field(org: Org) -> None:
    client = org.client("strategist", how="token")
    created = client.post("/api/v1/goals", json={"id": "G-NUL", "text": "Cut\x00 returns", "level": 1})
    assert created.status_code == 422, created.text
    assert "text" in created.json()["error"]["message"] and "NUL" in created.json()["error"]["message"]
    note = client.post(
        "/api/v1/goals/G-RD/checkins", json={"date": "2026-03-14", "value": 3, "note": "a\x00b"}
    )
    assert note.status_code == 422 and "note" in note.json()["error"]["message"]
    assert "G-NUL" not in org.store.keys("goals", org.id)


def test_a_nul_character_in_an_imported_row_names_file_row_and_field(org: Org, tmp_path: Path) -> None:
    path = tmp_path / "ideas.json"
    path.write_text('[{"id": "I-7", "text": "A quieter\\u0000 fan"}]', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_file(org.store, org.id, "ideas", path, "test")
    message = str(caught.value)
    assert "ideas.json" in message and "row 1" in message and "'text'" in message and "NUL" in message
    files = {"file": ("ideas.json", io.BytesIO(path.read_bytes()), "application/json")}
    response = org.client("admin", how="token").post("/api/v1/import/ideas", files=files)
    assert response.status_code == 422 and response.json()["error"]["field"] == "text"


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_json_nested_a_hundred_thousand_deep_is_refused(org: Org, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"deep{suffix}"
    path.write_text(DEEP + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_file(org.store, org.id, "ideas", path, "test")
    assert f"deep{suffix}" in str(caught.value) and "deep" in str(caught.value).split(":", 1)[1]
    files = {"file": (f"deep{suffix}", io.BytesIO(path.read_bytes()), "application/json")}
    response = org.client("admin", how="token").post("/api/v1/import/ideas", files=files)
    assert response.status_code == 422, response.text
    result = CliRunner().invoke(cli, ["import", "ideas", str(path), "--db", org.store.url, "--org", org.id])
    assert result.exit_code == 2, result.output


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/ideas?unit=U-RD%00", "unit"),
        ("/api/v1/ideas?theme=a%00b&tier=core", "theme"),
        ("/api/v1/goals/G-RD%00", "key"),
        ("/api/v1/people/p01%00/line-of-sight", "key"),
    ],
)
def test_a_nul_character_in_a_parameter_is_refused_naming_it(org: Org, url: str, parameter: str) -> None:
    # PostgreSQL answered 503 when the text reached a query; the request is refused before the route.
    response = org.client("admin", how="token").get(url)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["fields"] == [{"field": parameter, "problem": error["fields"][0]["problem"]}]
    assert "NUL" in error["message"] and f"{parameter}: " in error["message"]


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/knowledge/needs", [{"id": "K-A\x00", "name": "Cold chain"}], "0.id"),
        ("/api/v1/knowledge/needs", [{"id": "K-A", "description": "cold\x00chain"}], "0.description"),
        ("/api/v1/knowledge/skills", [{"person_id": "p01", "area_id": "K\x00", "level": 2}], "0.area_id"),
        ("/api/v1/knowledge/documents/suggest", {"text": "seals\x00"}, "text"),
    ],
)
def test_a_nul_character_in_a_knowledge_body_is_refused_naming_the_field(
    org: Org, url: str, body: object, field: str
) -> None:
    # The knowledge routes had request models of their own, without the NUL check (503 on PostgreSQL).
    client = org.client("admin", how="token")
    response = client.request("PUT" if url.endswith("needs") else "POST", url, json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert [item["field"] for item in error["fields"]] == [field] and "NUL" in error["message"]
    assert "K-A" not in org.store.keys("knowledge_areas", org.id)
