"""Users (sign-in, sessions) and the sign-in attempts every server process counts alike."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, select, update

from hoshin.store import schema, statements
from hoshin.store.records import Records
from hoshin.store.trees import unit_parents

__all__ = ["Users"]


class Users(Records):
    """Find users to sign in, end their sessions, set passwords, count sign-in attempts."""

    def find_user(self, username: str, org_id: str | None = None) -> dict[str, Any] | None:
        """The user (with password_hash and organisation_id) by name; None when unknown.

        Without org_id the name must be unique across organisations (a login form has no org field).
        """
        t = schema.users
        query = select(t).where(t.c.username == username)
        if org_id is not None:
            query = query.where(t.c.organisation_id == org_id)
        with self._reading() as conn:
            found = [dict(r._mapping) for r in conn.execute(query.limit(2))]
        return found[0] if len(found) == 1 else None

    def sign_in_candidates(self, username: str, org_id: str | None = None) -> list[dict[str, Any]]:
        """Every active user called `username` that has a password (only in `org_id` when given),
        by organisation. A login form names no organisation, and the same name may be taken in
        several; the password decides which of them is signing in."""
        t = schema.users
        query = select(t).where(
            t.c.username == username, t.c.active.is_(True), t.c.password_hash.is_not(None)
        )
        if org_id is not None:
            query = query.where(t.c.organisation_id == org_id)
        with self._reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(t.c.organisation_id))]

    def user_with_units(
        self, username: str, org_id: str, tree_for: Collection[str] | None = None
    ) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
        """`find_user(username, org_id)` and, when that user belongs to a unit (and has one of the
        roles `tree_for`, when given), the organisation's units as {unit: [parent]} (else {}),
        read on one connection. Every request checks its user; three separate reads (user, unit,
        unit tree) cost about twice as much, and the tree is the whole organisation's."""
        query = statements.user_by_name()
        with self._reading() as conn:
            found = [dict(r._mapping) for r in conn.execute(query, {"username": username, "org_id": org_id})]
            row = found[0] if len(found) == 1 else None
            wanted = (
                row is not None and row.get("unit_id") and (tree_for is None or row.get("role") in tree_for)
            )
            parents = unit_parents(conn, org_id) if wanted else {}
        return row, parents

    def end_sessions(self, org_id: str, username: str) -> None:
        """Raise the user's session epoch: every session cookie issued to them so far stops working."""
        t = schema.users
        with self.transaction() as conn:
            conn.execute(
                update(t)
                .where(t.c.organisation_id == org_id, t.c.username == username)
                .values(session_epoch=t.c.session_epoch + 1)
            )

    def set_password_hash(self, org_id: str, username: str, password_hash: str) -> None:
        self.get("users", org_id, username)
        self.upsert("users", org_id, [{"username": username, "password_hash": password_hash}])

    def take_sign_in_attempt(self, limits: dict[str, int], now_ms: int, window_ms: int) -> dict[str, int]:
        """Count one sign-in attempt against each key of `limits` ({key: most attempts within the
        window}), unless a key already holds its most: then count nothing and return, for each
        such key, the milliseconds until its oldest attempt in the way leaves the window. Empty
        when the attempt was counted.

        One transaction, with the keys' rows locked (PostgreSQL: FOR UPDATE, in key order, so two
        processes never deadlock; SQLite: one writer at a time), so attempts made at the same
        moment through several server processes are all counted and none slips past a limit."""
        t = schema.sign_in_attempts
        since = now_ms - window_ms
        keys = sorted(limits)
        waits: dict[str, int] = {}
        with self.transaction() as conn:
            conn.execute(
                statements.add_sign_in_key(self.dialect), [{"k": key, "now": now_ms} for key in keys]
            )
            query = select(t.c.key, t.c.attempts).where(t.c.key.in_(keys)).order_by(t.c.key)
            rows = conn.execute(query.with_for_update()).all()
            recent = {key: sorted(int(at) for at in attempts if int(at) > since) for key, attempts in rows}
            for key in keys:
                held, most = recent[key], limits[key]
                if len(held) >= most:
                    waits[key] = max(1, held[len(held) - most] + window_ms - now_ms)
            if not waits:
                conn.execute(
                    update(t)
                    .where(t.c.key == bindparam("k"))
                    .values(attempts=bindparam("a"), last_at=now_ms),
                    [{"k": key, "a": [*recent[key], now_ms]} for key in keys],
                )
            # Keys nobody tried for a whole window hold nothing that still counts. Rows another
            # attempt holds locked are left to a later one: waiting for them could deadlock.
            stale = select(t.c.key).where(t.c.last_at <= since).with_for_update(skip_locked=True)
            conn.execute(delete(t).where(t.c.key.in_(stale)))
        return waits

    def forget_sign_in_attempts(self, keys: Sequence[str], at_ms: int | None = None) -> None:
        """Drop the attempt counted at `at_ms` from each key (every attempt of them when None)."""
        t = schema.sign_in_attempts
        with self.transaction() as conn:
            if at_ms is None:
                conn.execute(delete(t).where(t.c.key.in_(list(keys))))
                return
            query = select(t.c.key, t.c.attempts).where(t.c.key.in_(sorted(keys))).order_by(t.c.key)
            for key, attempts in conn.execute(query.with_for_update()).all():
                kept = [int(at) for at in attempts]
                if at_ms in kept:
                    kept.remove(at_ms)
                    conn.execute(update(t).where(t.c.key == key).values(attempts=kept))
