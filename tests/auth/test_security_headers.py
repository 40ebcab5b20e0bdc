"""Every answer carries the browser security headers, and the session cookie can be marked Secure."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hoshin.app import create_app
from hoshin.config import secure_cookie
from hoshin.errors import ConfigError
from support import SECRET, Org, login

EXPECTED = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def _check(response) -> None:  # type: ignore[no-untyped-def]
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert "object-src 'none'" in policy


def test_pages_api_errors_and_static_files_carry_the_headers(org: Org) -> None:
    client = org.client("viewer")
    for path in ("/", "/login", "/api/v1/me", "/health", "/static/hoshin.css", "/no-such-page"):
        _check(client.get(path))
    _check(TestClient(org.app).get("/api/v1/goals"))  # 401


def test_the_size_limit_answer_carries_them_too(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_MAX_REQUEST_MB", "1")
    app = create_app("sqlite:///:memory:", secret=SECRET)
    response = TestClient(app).post("/api/v1/ideas", content=b"x" * (2 * 2**20))
    assert response.status_code == 413
    _check(response)


def test_the_session_cookie_is_marked_secure_when_set(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = TestClient(org.app).get("/login")
    assert "secure" not in plain.headers["set-cookie"].lower()
    monkeypatch.setenv("HOSHIN_SECURE_COOKIE", "on")
    app = create_app(org.store.url, secret=SECRET)
    client = TestClient(app, base_url="https://testserver")
    page = client.get("/login")
    assert "secure" in page.headers["set-cookie"].lower()
    login(client, org.name("viewer"))
    assert client.get("/api/v1/me").status_code == 200
    assert "strict-transport-security" in {k.lower() for k in client.get("/").headers}
    app.state.store.close()


def test_the_secure_cookie_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOSHIN_SECURE_COOKIE", raising=False)
    assert secure_cookie() is False
    for value, expected in (("on", True), ("true", True), ("1", True), ("off", False), ("0", False)):
        monkeypatch.setenv("HOSHIN_SECURE_COOKIE", value)
        assert secure_cookie() is expected
    monkeypatch.setenv("HOSHIN_SECURE_COOKIE", "maybe")
    with pytest.raises(ConfigError, match="HOSHIN_SECURE_COOKIE"):
        secure_cookie()
