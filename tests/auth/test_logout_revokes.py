"""Signing out ends the session on the server: a copy of the old cookie no longer works."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hoshin.app import SESSION_COOKIE
from support import Org, csrf_of, login


def _signed_in(org: Org, role: str) -> tuple[TestClient, str]:
    client = TestClient(org.app)
    login(client, org.name(role))
    return client, client.cookies[SESSION_COOKIE]


def _with_cookie(org: Org, cookie: str) -> TestClient:
    client = TestClient(org.app)
    client.cookies.set(SESSION_COOKIE, cookie)
    return client


def test_an_old_session_cookie_is_refused_after_logout(org: Org) -> None:
    client, cookie = _signed_in(org, "viewer")
    assert _with_cookie(org, cookie).get("/api/v1/me").status_code == 200
    page = client.get("/")
    response = client.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert response.status_code == 303
    replayed = _with_cookie(org, cookie)
    assert replayed.get("/api/v1/me").status_code == 401
    assert replayed.get("/", follow_redirects=False).status_code == 303  # back to the login form


def test_signing_in_again_after_logout_works_and_tokens_are_untouched(org: Org) -> None:
    token_client = org.client("viewer", how="token")
    client, _ = _signed_in(org, "viewer")
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/").text)}, follow_redirects=False)
    again, _ = _signed_in(org, "viewer")
    assert again.get("/api/v1/me").status_code == 200
    assert token_client.get("/api/v1/me").status_code == 200  # a bearer token is not a session


def test_another_users_session_survives_their_colleagues_logout(org: Org) -> None:
    _, viewer_cookie = _signed_in(org, "viewer")
    admin, _ = _signed_in(org, "admin")
    admin.post("/logout", data={"csrf_token": csrf_of(admin.get("/").text)}, follow_redirects=False)
    assert _with_cookie(org, viewer_cookie).get("/api/v1/me").status_code == 200
