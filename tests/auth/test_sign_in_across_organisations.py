"""Sign-in is not fooled by the same user name in another organisation: an admin of another
organisation who creates a user with a taken name cannot lock the first one out."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hoshin.errors import AuthenticationError
from hoshin.service import auth
from hoshin.store import hash_password
from support import PASSWORD, Org, login

OTHER_PASSWORD = "another org's own password"


@pytest.fixture
def twin(org: Org) -> str:
    """A second organisation holding a user with the same name as `org`'s admin."""
    other = f"{org.id}-b"
    org.store.create_organisation(other, "Rival Appliances")
    org.store.upsert(
        "users",
        other,
        [
            {
                "username": org.name("admin"),
                "role": "admin",
                "password_hash": hash_password(OTHER_PASSWORD),
                "active": True,
            }
        ],
    )
    return other


def test_a_same_named_user_elsewhere_does_not_lock_out_the_first(org: Org, twin: str) -> None:
    client = TestClient(org.app)
    login(client, org.name("admin"))  # the web form
    assert client.get("/api/v1/me").json()["organisation_id"] == org.id
    token = TestClient(org.app).post(
        "/api/v1/auth/token", json={"username": org.name("admin"), "password": PASSWORD}
    )
    assert token.status_code == 200, token.text
    bearer = {"Authorization": f"Bearer {token.json()['token']}"}
    assert TestClient(org.app).get("/api/v1/me", headers=bearer).json()["organisation_id"] == org.id


def test_each_same_named_user_signs_in_to_their_own_organisation(org: Org, twin: str) -> None:
    client = TestClient(org.app)
    login(client, org.name("admin"), OTHER_PASSWORD)
    assert client.get("/api/v1/me").json()["organisation_id"] == twin


def test_a_wrong_password_still_fails_with_the_same_message(org: Org, twin: str) -> None:
    with pytest.raises(AuthenticationError, match="unknown user name or wrong password"):
        auth.login(org.store, org.name("admin"), "not the password")
    with pytest.raises(AuthenticationError, match="unknown user name or wrong password"):
        auth.login(org.store, "nobody-at-all", PASSWORD)


def test_the_organisation_can_be_named_to_pick_one(org: Org, twin: str) -> None:
    user, _ = auth.login(org.store, org.name("admin"), OTHER_PASSWORD, organisation_id=twin)
    assert user.organisation_id == twin
    with pytest.raises(AuthenticationError):
        auth.login(org.store, org.name("admin"), OTHER_PASSWORD, organisation_id=org.id)
    response = TestClient(org.app).post(
        "/api/v1/auth/token",
        json={"username": org.name("admin"), "password": OTHER_PASSWORD, "organisation": twin},
    )
    assert response.status_code == 200, response.text
