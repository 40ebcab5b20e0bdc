"""The secret that signs cookies and tokens, and the CSRF token that guards every HTML form.

`secret_key()` refuses to run with a weak explicit key rather than quietly signing sessions with
something guessable; without HOSHIN_SECRET_KEY a random key is created once per data folder, so a
development server keeps its sessions across restarts.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from hoshin.config import data_dir, settings
from hoshin.errors import ConfigError, PermissionDenied

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "TOKEN_MAX_AGE_S",
    "carries_credential",
    "check_csrf",
    "csrf_token",
    "secret_key",
]

TOKEN_MAX_AGE_S = 90 * 24 * 3600  # how long an API token from /api/v1/auth/token stays valid
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_MIN_KEY_LENGTH = 32
_MIN_DISTINCT_CHARS = 12
_KNOWN_WEAK = {"changeme", "secret", "password", "development", "dev", "test", "hoshin"}
_KEY_FILE = "secret_key"


def _check_strength(key: str) -> None:
    lowered = key.lower()
    if lowered in _KNOWN_WEAK or any(
        lowered.startswith(word) and len(set(lowered)) < 8 for word in _KNOWN_WEAK
    ):
        raise ConfigError(
            "HOSHIN_SECRET_KEY is a well-known placeholder; generate one: "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if len(key) < _MIN_KEY_LENGTH:
        raise ConfigError(
            f"HOSHIN_SECRET_KEY is too short ({len(key)} characters, need at least "
            f"{_MIN_KEY_LENGTH}); generate one: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if len(set(key)) < _MIN_DISTINCT_CHARS:
        raise ConfigError(
            "HOSHIN_SECRET_KEY repeats too few characters to be secret; "
            "generate one: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )


def secret_key(explicit: str | None = None, folder: Path | None = None) -> str:
    """The signing key: `explicit`, else HOSHIN_SECRET_KEY, else a random key kept in the data folder.

    Raises ConfigError for an explicit key that is short, low-variety or a known placeholder.
    """
    key = explicit if explicit is not None else settings.secret_key
    if key is not None:
        _check_strength(key)
        return key
    path = (folder or data_dir()) / _KEY_FILE
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if len(stored) >= _MIN_KEY_LENGTH:
            return stored
    generated = secrets.token_urlsafe(48)
    # Created readable by the owner only: anyone who can read it can forge sessions.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(generated)
    return generated


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """This session's CSRF token, created on first use; forms carry it in a hidden field."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def check_csrf(session: MutableMapping[str, Any], submitted: str | None) -> None:
    """PermissionDenied unless `submitted` equals this session's token (compared in constant time)."""
    expected = session.get(CSRF_FIELD)
    if not expected or not submitted or not secrets.compare_digest(str(expected), str(submitted)):
        raise PermissionDenied(
            "the form's security token is missing or out of date; reload the page and try again"
        )


def carries_credential(scope: Any, secret_key: str, session_cookie: str, session_max_age_s: int) -> bool:
    """Whether a request's headers hold a bearer token or a signed-in session cookie whose signature
    (and age) is valid. Signatures only, no database: the body-size layer asks before anything
    else runs, and a revoked but well-signed credential is still refused later by authentication."""
    import base64
    import json
    from http.cookies import SimpleCookie

    from itsdangerous import BadSignature, TimestampSigner

    from hoshin.errors import AuthenticationError
    from hoshin.service.auth import read_token

    headers = {name.lower(): value for name, value in scope.get("headers", ())}
    authorization = headers.get(b"authorization", b"").decode("latin-1")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        try:
            read_token(secret_key, token.strip(), TOKEN_MAX_AGE_S)
            return True
        except AuthenticationError:
            return False
    cookies = SimpleCookie()
    try:
        cookies.load(headers.get(b"cookie", b"").decode("latin-1"))
    except Exception:  # noqa: BLE001 - a malformed cookie header is no credential
        return False
    morsel = cookies.get(session_cookie)
    if morsel is None:
        return False
    try:
        # The session layer's own format: a timestamp-signed, base64-encoded JSON object.
        data = TimestampSigner(str(secret_key)).unsign(
            morsel.value.encode("utf-8"), max_age=session_max_age_s
        )
        session = json.loads(base64.b64decode(data))
    except (BadSignature, ValueError):
        return False
    return isinstance(session, dict) and isinstance(session.get("user"), dict)
