"""Password hashing with scrypt (standard library), a fresh random salt per password.

A stored hash reads `scrypt$<n>$<r>$<p>$<salt b64>$<key b64>`, so the cost can be raised later
without breaking old hashes: each hash carries the parameters it was made with.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

__all__ = ["hash_password", "is_password_hash", "verify_password"]

_N, _R, _P = 2**14, 8, 1  # about 16 MiB and a few tens of milliseconds per hash
_KEY_BYTES = 32
_MAX_PASSWORD = 1024  # refuse megabyte "passwords" that would only burn CPU


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """A salted scrypt hash of `password`, safe to store."""
    if not isinstance(password, str) or not password:
        raise ValueError("a password must be a non-empty string")
    if len(password) > _MAX_PASSWORD:
        raise ValueError(f"a password must be at most {_MAX_PASSWORD} characters")
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=_KEY_BYTES)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(key)}"


def is_password_hash(value: str) -> bool:
    """True when `value` has the shape of a hash made by `hash_password`."""
    return _parse(value) is not None


def verify_password(password: str, stored: str | None) -> bool:
    """True when `password` matches `stored`; False for a wrong password or a missing/damaged hash."""
    parsed = _parse(stored)
    if parsed is None or not isinstance(password, str) or len(password) > _MAX_PASSWORD:
        return False
    n, r, p, salt, key = parsed
    candidate = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(key))
    return hmac.compare_digest(candidate, key)


def _parse(stored: str | None) -> tuple[int, int, int, bytes, bytes] | None:
    if not isinstance(stored, str):
        return None
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    # Bounds keep a forged hash from asking for gigabytes of memory.
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16 and salt and key):
        return None
    return n, r, p, salt, key
