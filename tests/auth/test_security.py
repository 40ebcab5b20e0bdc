"""The signing key and API tokens: insecure configuration is refused, forged tokens are rejected."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from hoshin.api.security import check_csrf, csrf_token, secret_key
from hoshin.errors import AuthenticationError, ConfigError, PermissionDenied
from hoshin.service.auth import issue_token, read_token

STRONG = "k2J9-vQx7pLm4TzR8wYc1NbH6sDf3GaE0uKo5iVe"


@pytest.mark.parametrize(
    "weak", ["changeme", "secret", "short-key-123", "a" * 64, "abababababababababababababababab"]
)
def test_weak_explicit_keys_are_refused(weak: str) -> None:
    with pytest.raises(ConfigError, match="HOSHIN_SECRET_KEY"):
        secret_key(weak)


def test_weak_key_from_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_SECRET_KEY", "password")
    with pytest.raises(ConfigError):
        secret_key()


def test_strong_key_is_used_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_SECRET_KEY", STRONG)
    assert secret_key() == STRONG


def test_development_key_is_generated_once_and_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HOSHIN_SECRET_KEY", raising=False)
    first = secret_key(folder=tmp_path)
    assert len(first) >= 32
    assert secret_key(folder=tmp_path) == first  # sessions survive a restart
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_csrf_token_is_stable_per_session_and_checked() -> None:
    session: dict[str, str] = {}
    token = csrf_token(session)
    assert csrf_token(session) == token
    check_csrf(session, token)
    for bad in (None, "", token + "x", csrf_token({})):
        with pytest.raises(PermissionDenied, match="security token"):
            check_csrf(session, bad)


def test_check_csrf_refuses_a_session_without_a_token() -> None:
    with pytest.raises(PermissionDenied):
        check_csrf({}, "anything")


def test_token_round_trip_and_forgery() -> None:
    token = issue_token(STRONG, "ana", "scrypt$hash-one")
    assert read_token(STRONG, token, max_age_s=60)[0] == "ana"
    with pytest.raises(AuthenticationError, match="not valid"):
        read_token(STRONG.replace("k", "j"), token, max_age_s=60)
    with pytest.raises(AuthenticationError, match="not valid"):
        read_token(STRONG, token[:-2] + "xx", max_age_s=60)
    with pytest.raises(AuthenticationError, match="not valid"):
        read_token(STRONG, "garbage", max_age_s=60)


def test_token_carries_a_password_fingerprint_that_changes_with_the_password() -> None:
    one = read_token(STRONG, issue_token(STRONG, "ana", "hash-one"), 60)[1]
    two = read_token(STRONG, issue_token(STRONG, "ana", "hash-two"), 60)[1]
    assert one != two
