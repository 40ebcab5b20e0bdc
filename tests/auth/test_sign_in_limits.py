"""Brute-force limits on password sign-in: per user name and per client address, over a sliding
window, on the web form and the token route, counted in the database so that every server process
meets the same count (issue 23 #8)."""

from __future__ import annotations

import statistics
import threading
import time
import uuid

import pytest
from fastapi.testclient import TestClient

from hoshin.app import create_app
from hoshin.config import SignInLimits, sign_in_limits
from hoshin.errors import ConfigError
from hoshin.service.sign_in_limits import SignInGuard
from support import PASSWORD, SECRET, Org, csrf_of


class Clock:
    """A clock the test moves on by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _guard(org: Org, per_name: int = 3, per_address: int = 0, window_s: float = 600) -> Clock:
    clock = Clock()
    org.app.state.sign_in = SignInGuard(SignInLimits(per_name, per_address, window_s), clock=clock)
    return clock


def _client(org: Org, app: object = None) -> TestClient:
    """A client from an address of its own: the PostgreSQL database is shared by a module's tests."""
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    return TestClient(app or org.app, client=(address, 50000))


def _token(client: TestClient, username: str, password: str) -> object:
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def _form(client: TestClient, username: str, password: str) -> object:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passwords checked against a stored hash, in order."""
    from hoshin.store import passwords

    checked: list[str] = []
    real = passwords.verify_password

    def counting(password: str, stored: str) -> bool:
        checked.append(password)
        return real(password, stored)

    monkeypatch.setattr(passwords, "verify_password", counting)
    return checked


def test_the_token_route_refuses_a_name_after_its_failures_without_checking_the_password(
    org: Org, hashes: list[str]
) -> None:
    _guard(org, per_name=3)
    client = _client(org)
    for _ in range(3):
        assert _token(client, org.name("admin"), "wrong").status_code == 401
    hashes.clear()
    refused = _token(_client(org), org.name("admin"), PASSWORD)  # even the right password, elsewhere
    assert refused.status_code == 429, refused.text
    assert refused.headers["Retry-After"] == "600"
    error = refused.json()["error"]
    assert error["retry_after_s"] == 600
    assert "too many failed sign-ins for this user name; try again in 10 minutes" in error["message"]
    assert hashes == []  # refused before any password was checked
    assert _token(client, org.name("viewer"), PASSWORD).status_code == 200  # other names go on


def test_the_web_form_is_limited_the_same_way(org: Org, hashes: list[str]) -> None:
    _guard(org, per_name=2)
    client = _client(org)
    for _ in range(2):
        assert _form(client, org.name("viewer"), "wrong").status_code == 401
    hashes.clear()
    refused = _form(client, org.name("viewer"), PASSWORD)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "600"
    assert "too many failed sign-ins for this user name; try again in 10 minutes" in refused.text
    assert 'name="username"' in refused.text  # the form again, with the message
    assert hashes == []
    assert client.get("/api/v1/me").status_code == 401


def test_unknown_names_are_counted_like_known_ones(org: Org) -> None:
    _guard(org, per_name=2)
    client = _client(org)
    answers = []
    for name in (org.name("admin"), f"nobody-{org.tag}"):
        answers.append([_token(client, name, "wrong").status_code for _ in range(3)])
    assert answers == [[401, 401, 429], [401, 401, 429]]


def test_a_success_starts_the_names_count_again(org: Org) -> None:
    _guard(org, per_name=3)
    client = _client(org)
    name = org.name("strategist")
    for _ in range(2):
        assert _token(client, name, "wrong").status_code == 401
    assert _token(client, name, PASSWORD).status_code == 200
    for _ in range(3):
        assert _token(client, name, "wrong").status_code == 401  # three more, not one
    assert _token(client, name, PASSWORD).status_code == 429


def test_the_window_slides(org: Org) -> None:
    clock = _guard(org, per_name=2, window_s=600)
    client = _client(org)
    name = org.name("contributor")
    assert _token(client, name, "wrong").status_code == 401
    clock.now += 200
    assert _token(client, name, "wrong").status_code == 401
    clock.now += 100
    refused = _token(client, name, PASSWORD)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "300"  # when the first failure leaves the window
    clock.now += 300  # the first failure leaves the window now
    assert _token(client, name, "wrong").status_code == 401  # one slot free again, now used
    assert _token(client, name, PASSWORD).headers["Retry-After"] == "200"
    clock.now += 200
    assert _token(client, name, PASSWORD).status_code == 200


def test_one_address_is_limited_whatever_names_it_tries(org: Org) -> None:
    _guard(org, per_name=0, per_address=4)
    client = _client(org)
    for i in range(4):
        assert _token(client, f"guess-{i}-{org.tag}", "wrong").status_code == 401
    refused = _token(client, org.name("admin"), PASSWORD)
    assert refused.status_code == 429
    assert "too many failed sign-ins for your address" in refused.json()["error"]["message"]
    assert _token(_client(org), org.name("admin"), PASSWORD).status_code == 200  # another address


def test_good_sign_ins_do_not_use_up_their_address(org: Org) -> None:
    _guard(org, per_name=0, per_address=3)
    client = _client(org)
    for _ in range(5):
        assert _token(client, org.name("viewer"), PASSWORD).status_code == 200
    assert _token(client, org.name("viewer"), "wrong").status_code == 401


def test_server_processes_share_one_count(org: Org, database_url: str) -> None:
    """Two apps on one database stand for two worker processes: attempts sent to both at once,
    more than the limit, are all counted, and no more than the limit get their password checked."""
    limits = SignInLimits(per_name=4, per_address=0, window_s=600)
    other = create_app(database_url, secret=SECRET)
    org.app.state.sign_in = SignInGuard(limits)
    other.state.sign_in = SignInGuard(limits)
    name = org.name("unit_manager")
    answers: list[int] = []
    lock = threading.Lock()

    def attempt(app: object) -> None:
        status = _token(_client(org, app), name, "wrong").status_code
        with lock:
            answers.append(status)

    try:
        for app in (org.app, other):  # each app builds its routes on first use: one at a time
            assert _token(_client(org, app), f"warm-up-{org.tag}", "wrong").status_code == 401
        threads = [threading.Thread(target=attempt, args=(app,)) for app in [org.app, other] * 6]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(answers) == [401] * 4 + [429] * 8
        assert _token(_client(org, other), name, PASSWORD).status_code == 429
    finally:
        if other.state.store is not None:
            other.state.store.close()


def test_known_and_unknown_names_take_about_as_long(org: Org) -> None:
    _guard(org, per_name=0, per_address=0)
    client = _client(org)

    def took(name: str) -> float:
        started = time.perf_counter()
        assert _token(client, name, "wrong").status_code == 401
        return time.perf_counter() - started

    took(org.name("admin"))  # the first request opens the store
    known = statistics.median(took(org.name("admin")) for _ in range(5))
    unknown = statistics.median(took(f"nobody-{org.tag}") for _ in range(5))
    assert 0.5 < unknown / known < 2, (known, unknown)


def test_limits_are_read_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert sign_in_limits() == SignInLimits(5, 30, 900.0)
    monkeypatch.setenv("HOSHIN_SIGN_IN_FAILURES", "0")
    monkeypatch.setenv("HOSHIN_SIGN_IN_ADDRESS_FAILURES", "100")
    monkeypatch.setenv("HOSHIN_SIGN_IN_WINDOW_MIN", "1.5")
    assert sign_in_limits() == SignInLimits(0, 100, 90.0)
    monkeypatch.setenv("HOSHIN_SIGN_IN_WINDOW_MIN", "0")
    with pytest.raises(ConfigError, match="HOSHIN_SIGN_IN_WINDOW_MIN"):
        sign_in_limits()
    monkeypatch.setenv("HOSHIN_SIGN_IN_WINDOW_MIN", "15")
    monkeypatch.setenv("HOSHIN_SIGN_IN_FAILURES", "-1")
    with pytest.raises(ConfigError, match="HOSHIN_SIGN_IN_FAILURES"):
        sign_in_limits()
