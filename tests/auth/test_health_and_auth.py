"""The app boots, reports its health, signs users in and out, and refuses the unauthenticated."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hoshin.app import create_app
from hoshin.errors import ConfigError
from support import PASSWORD, SECRET, Org, csrf_of, login


def test_health_reports_a_working_database(org: Org) -> None:
    response = org.client().get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable() -> None:
    app = create_app("postgresql+psycopg://nobody@127.0.0.1:1/none", secret=SECRET)
    response = TestClient(app).get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_app_refuses_to_start_with_a_weak_key() -> None:
    with pytest.raises(ConfigError):
        create_app("sqlite://", secret="changeme")


def test_docs_and_openapi_are_served(org: Org) -> None:
    client = org.client()
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/goals/{key}" in paths and "/api/v1/import/{kind}" in paths


def test_api_without_credentials_is_401_json(org: Org) -> None:
    response = org.client().get("/api/v1/goals")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["type"] == "AuthenticationError"


def test_pages_without_a_session_redirect_to_login(org: Org) -> None:
    response = org.client().get("/goals?x=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/goals%3Fx%3D1"


def test_login_sets_a_session_and_logout_ends_it(org: Org) -> None:
    client = org.client()
    login(client, org.name("viewer"))
    page = client.get("/")
    assert page.status_code == 200
    assert "Frostline Appliances" in page.text and "never let food spoil" in page.text
    assert client.get("/api/v1/me").json()["role"] == "viewer"  # the API accepts the session too
    client.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert client.get("/api/v1/me").status_code == 401


def test_wrong_password_and_unknown_user_get_the_same_answer(org: Org) -> None:
    client = org.client()
    answers = []
    for username, password in ((org.name("admin"), "wrong password"), ("nobody-at-all", PASSWORD)):
        token = csrf_of(client.get("/login").text)
        response = client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )
        answers.append((response.status_code, "unknown user name or wrong password" in response.text))
    assert answers == [(401, True), (401, True)]
    assert client.get("/api/v1/me").status_code == 401


def test_login_without_csrf_token_is_refused(org: Org) -> None:
    client = org.client()
    client.get("/login")
    response = client.post("/login", data={"username": org.name("admin"), "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/api/v1/me").status_code == 401


def test_login_never_redirects_off_site(org: Org) -> None:
    client = org.client()
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "username": org.name("admin"),
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_deactivated_user_loses_session_and_token(org: Org) -> None:
    session_client = org.client("viewer")
    token_client = org.client("viewer", how="token")
    org.store.upsert("users", org.id, [{"username": org.name("viewer"), "active": False}])
    assert session_client.get("/api/v1/me").status_code == 401
    assert token_client.get("/api/v1/me").status_code == 401


def test_bearer_token_works_and_a_password_change_revokes_it(org: Org) -> None:
    client = org.client("strategist", how="token")
    assert client.get("/api/v1/me").json()["username"] == org.name("strategist")
    from hoshin.store import hash_password

    org.store.set_password_hash(org.id, org.name("strategist"), hash_password("a new password"))
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]


def test_forged_token_is_refused(org: Org) -> None:
    client = org.client()
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer not.a.token"})
    assert response.status_code == 401


def test_token_for_wrong_password_is_refused(org: Org) -> None:
    response = org.client().post(
        "/api/v1/auth/token", json={"username": org.name("admin"), "password": "nope"}
    )
    assert response.status_code == 401
