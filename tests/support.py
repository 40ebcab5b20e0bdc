"""Shared by the API and web tests: an organisation with one user per role, served in-process
on SQLite and on PostgreSQL.

Each test gets its own organisation and user names (a random tag), so the PostgreSQL database the
session shares never mixes one test's rows with another's.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hoshin.app import create_app
from hoshin.service.verdict_reasons import open_store
from hoshin.store import hash_password

SECRET = "k2J9-vQx7pLm4TzR8wYc1NbH6sDf3GaE0uKo5iVe"
PASSWORD = "correct horse battery"
_HASH = hash_password(PASSWORD)  # hashing is slow on purpose: do it once per run


@dataclass
class Org:
    id: str
    tag: str
    store: Any
    app: Any

    def name(self, role: str) -> str:
        return f"{role}-{self.tag}"

    def client(self, role: str | None = None, how: str = "session") -> TestClient:
        client = TestClient(self.app)
        if role is not None:
            if how == "session":
                login(client, self.name(role))
            else:
                token = client.post(
                    "/api/v1/auth/token", json={"username": self.name(role), "password": PASSWORD}
                )
                assert token.status_code == 200, token.text
                client.headers["Authorization"] = f"Bearer {token.json()['token']}"
        return client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def api_csrf(client: TestClient) -> dict[str, str]:
    """The header a session-authenticated API client sends with a change."""
    return {"X-CSRF-Token": csrf_of(client.get("/goals").text)}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hoshin.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def org(database_url: str) -> Iterator[Org]:
    tag = uuid.uuid4().hex[:8]
    org_id = f"org-{tag}"
    store = open_store(database_url)
    store.create_organisation(org_id, "Frostline Appliances")
    store.upsert(
        "units",
        org_id,
        [
            {"id": "U-CO", "name": "Company", "parent_id": None},
            {"id": "U-RD", "name": "Research", "parent_id": "U-CO"},
            {"id": "U-RD-LAB", "name": "Lab", "parent_id": "U-RD"},
            {"id": "U-SALES", "name": "Sales", "parent_id": "U-CO"},
        ],
    )
    store.upsert("people", org_id, [{"id": "p01", "name": "Ana", "unit_id": "U-RD"}])
    store.upsert(
        "goals",
        org_id,
        [
            {"id": "G-1", "text": "Halve field failures", "unit_id": "U-CO", "level": 1},
            {
                "id": "G-RD",
                "text": "Test every compressor for 5000 hours",
                "unit_id": "U-RD",
                "level": 2,
                "parent_ids": ["G-1"],
            },
            {
                "id": "G-SALES",
                "text": "Grow repeat purchases",
                "unit_id": "U-SALES",
                "level": 2,
                "parent_ids": ["G-1"],
            },
        ],
    )
    store.upsert(
        "ideas",
        org_id,
        [
            {"id": "I-1", "text": "A sensor that warns before a compressor fails", "unit_id": "U-RD"},
            {"id": "I-2", "text": "A loyalty discount for service contracts", "unit_id": "U-SALES"},
        ],
    )
    users = [
        ("admin", None),
        ("strategist", None),
        ("unit_manager", "U-RD"),
        ("contributor", "U-RD"),
        ("viewer", None),
    ]
    store.upsert(
        "users",
        org_id,
        [
            {
                "username": f"{role}-{tag}",
                "role": role,
                "unit_id": unit,
                "password_hash": _HASH,
                "active": True,
            }
            for role, unit in users
        ],
    )
    store.add_mission_version(org_id, "To make refrigerators that never let food spoil.", created_by="test")
    app = create_app(database_url, secret=SECRET)
    yield Org(org_id, tag, store, app)
    if app.state.store is not None:
        app.state.store.close()
    store.close()


def audit_actions(org: Org) -> list[tuple[str, str | None, str | None]]:
    return [(e["action"], e["record_kind"], e["record_id"]) for e in org.store.audit_events(org.id)]
