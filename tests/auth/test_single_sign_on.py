"""Single sign-on with OpenID Connect, end to end: Hoshin (in-process) and a real provider served
over HTTP on localhost (tests/auth/oidc_provider.py). The test is the browser: it follows every
redirect between the two, and Hoshin's callback talks to the provider itself (discovery, token,
keys), so the whole protocol runs, state, nonce, PKCE and signature checks included."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import httpx
import pytest
from fastapi.testclient import TestClient

from hoshin.app import SESSION_COOKIE, create_app
from hoshin.config import single_sign_on
from hoshin.errors import ConfigError
from support import SECRET, Org, csrf_of

from .oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

ROLES = "hoshin-admins=admin, planners=strategist, rd-leads=unit_manager:U-RD, staff=contributor, all=viewer"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    running = Provider()
    running.start()
    yield running
    running.stop()


@pytest.fixture
def sso(
    org: Org, provider: Provider, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Iterator[TestClient]:
    """A Hoshin app with single sign-on through `provider` into `org`, and a browser for it."""
    provider.reset()
    monkeypatch.setenv("HOSHIN_OIDC_ISSUER", provider.url)
    monkeypatch.setenv("HOSHIN_OIDC_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("HOSHIN_OIDC_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("HOSHIN_OIDC_NAME", "Frostline ID")
    monkeypatch.setenv("HOSHIN_OIDC_ROLES", ROLES)
    monkeypatch.setenv("HOSHIN_OIDC_ORGANISATION", org.id)
    app = create_app(database_url, secret=SECRET)
    yield TestClient(app)
    if app.state.store is not None:
        app.state.store.close()


def _signs_in_as(provider: Provider, name: str, roles: object) -> None:
    provider.claims = {"sub": f"sub-{name}", "preferred_username": name, "roles": roles}


def browse(browser: TestClient, url: str, hops: int = 10) -> httpx.Response:
    """GET `url` and follow redirects across Hoshin (the TestClient, with its cookies) and the
    provider (plain HTTP); the last answer."""
    with httpx.Client() as web:
        for _ in range(hops):
            if url.startswith("http://127.0.0.1"):
                response = web.get(url)
            else:
                response = browser.get(url, follow_redirects=False)
            if response.status_code not in (301, 302, 303, 307):
                return response
            url = urljoin(str(response.url), response.headers["location"])
    raise AssertionError("too many redirects")


def _me(browser: TestClient) -> dict[str, object]:
    response = browser.get("/api/v1/me")
    assert response.status_code == 200, response.text
    return response.json()


def test_the_sign_in_page_offers_the_provider(sso: TestClient, org: Org) -> None:
    page = sso.get("/login?next=/goals")
    assert "Sign in with Frostline ID" in page.text
    assert 'href="/login/sso?next=/goals"' in page.text
    plain = TestClient(org.app)  # the same database without the settings: no button, no route
    assert "Sign in with" not in plain.get("/login").text
    assert plain.get("/login/sso", follow_redirects=False).status_code == 404


def test_a_new_user_signs_in_with_the_mapped_role(sso: TestClient, org: Org, provider: Provider) -> None:
    _signs_in_as(provider, f"ana-{org.tag}", ["all", "planners"])  # the strongest role wins
    landed = browse(sso, "http://testserver/login/sso?next=/api/v1/me")
    assert landed.status_code == 200, landed.text
    me = landed.json()
    assert (me["username"], me["role"], me["organisation_id"]) == (f"ana-{org.tag}", "strategist", org.id)
    stored = org.store.get("users", org.id, f"ana-{org.tag}")
    assert (stored["role"], stored["active"]) == ("strategist", True)
    events = [(e["username"], e["action"], e["record_id"]) for e in org.store.audit_events(org.id)]
    assert ("single-sign-on", "user.create", f"ana-{org.tag}") in events
    # No password: the new user cannot sign in by one, nor get an API token.
    token = sso.post("/api/v1/auth/token", json={"username": f"ana-{org.tag}", "password": "x"})
    assert token.status_code == 401


def test_a_unit_manager_gets_the_mapped_unit(sso: TestClient, org: Org, provider: Provider) -> None:
    _signs_in_as(provider, f"ben-{org.tag}", ["staff", "rd-leads"])
    browse(sso, "http://testserver/login/sso")
    me = _me(sso)
    assert (me["role"], me["unit_id"]) == ("unit_manager", "U-RD")


def test_a_known_user_takes_the_role_the_provider_gives_now(
    sso: TestClient, org: Org, provider: Provider
) -> None:
    name = org.name("viewer")  # a password user of the organisation, a viewer so far
    _signs_in_as(provider, name, "hoshin-admins")  # a single value, not a list
    browse(sso, "http://testserver/login/sso")
    assert _me(sso)["role"] == "admin"
    assert org.store.get("users", org.id, name)["role"] == "admin"
    token = sso.post("/api/v1/auth/token", json={"username": name, "password": "correct horse battery"})
    assert token.status_code == 200  # the password still works for them


def test_signing_out_ends_the_single_sign_on_session(sso: TestClient, org: Org, provider: Provider) -> None:
    _signs_in_as(provider, f"cleo-{org.tag}", ["staff"])
    browse(sso, "http://testserver/login/sso")
    assert _me(sso)["role"] == "contributor"
    cookie = sso.cookies[SESSION_COOKIE]
    out = sso.post("/logout", data={"csrf_token": csrf_of(sso.get("/jobs").text)}, follow_redirects=False)
    assert out.status_code == 303
    copy = TestClient(sso.app)
    copy.cookies.set(SESSION_COOKIE, cookie)
    assert copy.get("/api/v1/me").status_code == 401


def _callback_url(sso: TestClient) -> str:
    """Start a sign-in and let the provider answer; the callback URL it sends the browser to."""
    to_provider = sso.get("/login/sso", follow_redirects=False)
    assert to_provider.status_code == 302
    with httpx.Client() as web:
        back = web.get(to_provider.headers["location"])
    assert back.status_code == 302, back.text
    return back.headers["location"]


def test_a_wrong_state_is_refused(sso: TestClient, org: Org, provider: Provider) -> None:
    _signs_in_as(provider, f"dan-{org.tag}", ["hoshin-admins"])
    callback = urlparse(_callback_url(sso))
    query = {key: values[0] for key, values in parse_qs(callback.query).items()}
    forged = f"/login/sso/callback?{urlencode({**query, 'state': 'not-the-state-we-sent'})}"
    refused = sso.get(forged)
    assert refused.status_code == 401
    assert "could not be matched to this browser" in refused.text
    assert sso.get("/api/v1/me").status_code == 401
    # Nor may another browser finish a sign-in this one started (login CSRF).
    elsewhere = TestClient(sso.app).get(f"/login/sso/callback?{callback.query}")
    assert elsewhere.status_code == 401
    assert org.store.find_user(f"dan-{org.tag}", org.id) is None


def test_an_id_token_signed_with_another_key_is_refused(
    sso: TestClient, org: Org, provider: Provider
) -> None:
    _signs_in_as(provider, f"eve-{org.tag}", ["hoshin-admins"])
    provider.signing_key = provider.rogue_key()
    refused = browse(sso, "http://testserver/login/sso")
    assert refused.status_code == 401
    assert "its ID token did not pass the checks" in refused.text
    assert sso.get("/api/v1/me").status_code == 401
    assert org.store.find_user(f"eve-{org.tag}", org.id) is None


def test_an_id_token_for_another_sign_in_is_refused(sso: TestClient, org: Org, provider: Provider) -> None:
    _signs_in_as(provider, f"fay-{org.tag}", ["hoshin-admins"])
    provider.override = {"nonce": "a-nonce-from-another-sign-in"}
    refused = browse(sso, "http://testserver/login/sso")
    assert refused.status_code == 401
    provider.override = {"aud": "some-other-client"}
    assert browse(sso, "http://testserver/login/sso").status_code == 401
    assert org.store.find_user(f"fay-{org.tag}", org.id) is None


def test_an_unmapped_role_is_refused_with_a_clear_message(
    sso: TestClient, org: Org, provider: Provider
) -> None:
    _signs_in_as(provider, f"gus-{org.tag}", ["guests", "newsletter"])
    refused = browse(sso, "http://testserver/login/sso")
    assert refused.status_code == 403
    assert "your Frostline ID account has no role that Hoshin knows" in refused.text
    assert "claim &#39;roles&#39;: &#39;guests&#39;, &#39;newsletter&#39;" in refused.text
    assert org.store.find_user(f"gus-{org.tag}", org.id) is None
    _signs_in_as(provider, f"gus-{org.tag}", None)  # no roles claim at all
    assert "(claim &#39;roles&#39;: none)" in browse(sso, "http://testserver/login/sso").text


def test_a_user_deactivated_in_hoshin_stays_out(sso: TestClient, org: Org, provider: Provider) -> None:
    org.store.upsert("users", org.id, [{"username": org.name("viewer"), "active": False}])
    _signs_in_as(provider, org.name("viewer"), ["all"])
    refused = browse(sso, "http://testserver/login/sso")
    assert refused.status_code == 403
    assert "is deactivated" in refused.text


def test_settings_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOSHIN_OIDC_ISSUER", raising=False)
    assert single_sign_on() is None
    monkeypatch.setenv("HOSHIN_OIDC_ISSUER", "https://id.example.com/realms/staff/")
    monkeypatch.setenv("HOSHIN_OIDC_CLIENT_ID", "hoshin")
    monkeypatch.setenv("HOSHIN_OIDC_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("HOSHIN_OIDC_ROLES", ROLES)
    settings = single_sign_on()
    assert settings is not None
    assert settings.discovery_url == "https://id.example.com/realms/staff/.well-known/openid-configuration"
    assert ("rd-leads", "unit_manager", "U-RD") in settings.roles
    monkeypatch.setenv("HOSHIN_OIDC_ROLES", json.dumps({"cn=planners,ou=groups": "strategist"}))
    assert single_sign_on().roles == (("cn=planners,ou=groups", "strategist", None),)
    for bad, words in (
        ("rd-leads=unit_manager", "without a unit"),
        ("x=superuser", "no role"),
        ("admins", "is not 'claim value=role'"),
    ):
        monkeypatch.setenv("HOSHIN_OIDC_ROLES", bad)
        with pytest.raises(ConfigError, match=words):
            single_sign_on()
    monkeypatch.delenv("HOSHIN_OIDC_CLIENT_SECRET")
    with pytest.raises(ConfigError, match="HOSHIN_OIDC_CLIENT_SECRET"):
        single_sign_on()
