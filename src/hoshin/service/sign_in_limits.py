"""Brute-force limits on signing in with a password: per user name and per client address.

Every password sign-in (the web form and POST /api/v1/auth/token) first takes a turn: the attempt
is counted against the name it tries and the address it comes from, over a sliding window
(HOSHIN_SIGN_IN_WINDOW_MIN). A name or address that already holds its most attempts within the
window is refused with TooManyAttempts (HTTP 429 and Retry-After) before any password is checked;
a refusal costs no password hash. A successful sign-in wipes its name's count and takes back its
own attempt from the address, so an office behind one address is not held back by colleagues
who typed their passwords right.

The attempt is counted before the password is checked, not after a failure: attempts sent all
at once would otherwise all be checked before the first failure was counted. Unknown names are
counted like known ones, so a refusal tells nobody which names exist, and the password check
itself costs one hash either way (service/auth.py, `login`).

Why the counts live in the database (store table sign_in_attempts, migration 8), not in memory,
a file or Redis: `hoshin serve` runs several worker processes, and an attacker whose attempts are
spread over them must meet one count. Per-process memory would multiply the limit by the number
of workers; the file that service/shared_counter.py uses reaches only the processes of one
machine; Redis is there only where a job queue is configured (HOSHIN_JOB_QUEUE), and the
default deployment has none. The database is the one thing every process of every deployment
shares, SQLite or PostgreSQL, and a sign-in reads it anyway; the count is one small locked
read-and-write per attempt.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import Any

from hoshin.config import SignInLimits
from hoshin.errors import TooManyAttempts
from hoshin.service.auth import Principal, login

__all__ = ["SignInGuard", "attempt_key"]


def attempt_key(what: str, value: str) -> str:
    """The stored key that counts attempts of one user name (`what` "name") or one address."""
    return hashlib.sha256(f"{what}\x00{value}".encode()).hexdigest()


def _wait_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class SignInGuard:
    """Password sign-in under the limits; `clock` gives the time in seconds (tests move it on)."""

    def __init__(self, limits: SignInLimits, clock: Callable[[], float] = time.time) -> None:
        self.limits = limits
        self.clock = clock

    def sign_in(
        self,
        store: Any,
        username: str,
        password: str,
        address: str,
        organisation_id: str | None = None,
    ) -> tuple[Principal, str]:
        """`login` (the user and their session fingerprint) after taking a turn; TooManyAttempts
        when the name or the address used up its attempts, AuthenticationError as `login`."""
        name_key, address_key = attempt_key("name", username), attempt_key("address", address)
        limits = {}
        if self.limits.per_name > 0:
            limits[name_key] = self.limits.per_name
        if self.limits.per_address > 0:
            limits[address_key] = self.limits.per_address
        if not limits:
            return login(store, username, password, organisation_id)
        now_ms = int(self.clock() * 1000)
        waits = store.take_sign_in_attempt(limits, now_ms, int(self.limits.window_s * 1000))
        if waits:
            self._refuse(waits, name_key)
        # A failure raises here and leaves the attempt counted against the name and the address.
        signed_in = login(store, username, password, organisation_id)
        store.forget_sign_in_attempts([name_key])
        store.forget_sign_in_attempts([address_key], at_ms=now_ms)
        return signed_in

    def _refuse(self, waits: dict[str, int], name_key: str) -> None:
        seconds = math.ceil(max(waits.values()) / 1000)
        whose = "this user name" if name_key in waits else "your address"
        raise TooManyAttempts(
            f"too many failed sign-ins for {whose}; try again in {_wait_words(seconds)} "
            "(the password was not checked)",
            retry_after_s=seconds,
        )
