"""Helpers shared by the knowledge tests (fixtures are in conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

ORG = "frostline"
SECRET = "k2J9-vQx7pLm4TzR8wYc1NbH6sDf3GaE0uKo5iVe"


def snapshot(store: Any) -> dict[str, Any]:
    """Everything a knowledge action could change."""
    kinds = ("people", "skills", "knowledge_areas", "documents")
    return {kind: store.rows(kind, ORG) for kind in kinds} | {"audit": store.audit_events(ORG)}


def signed_in(app: Any, username: str, password: str) -> TestClient:
    client = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def csrf(client: TestClient, page: str = "/knowledge/documents") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert match
    return match.group(1)


def write_hr(path: Path, rows: list[str]) -> Path:
    path.write_text("person,unit,skill,profile,level\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path
