"""Signing in through an OpenID Connect provider: from the ID token's claims to a Hoshin user.

The web adapter (features/single_sign_on.py) runs the protocol: it sends the browser to the
provider, and on the way back checks state and nonce and the ID token's signature, issuer,
audience and expiry. What arrives here are claims the provider vouched for. This module decides
who they name and what they may do:

- the user name is the configured claim (HOSHIN_OIDC_USERNAME_CLAIM, preferred_username by default);
- the role comes from the role claim (HOSHIN_OIDC_ROLE_CLAIM) through the mapping
  (HOSHIN_OIDC_ROLES): of several mapped values the strongest role wins; a user with no mapped
  value is refused, never given a default role;
- the user is found in, or created in, the configured organisation, and takes the mapped role and
  unit on every sign-in, so the provider stays the one place where access is granted or taken.
  A user deactivated in Hoshin stays out.

The session that follows is the one a password sign-in starts (`session_fingerprint`), so
signing out ends it the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hoshin.config import SingleSignOn
from hoshin.errors import InputError, PermissionDenied
from hoshin.service.audit import record_event
from hoshin.service.auth import ROLES, Principal, signed_in

__all__ = ["ACTOR", "claim", "mapped_role", "sign_in_with_claims"]

ACTOR = "single-sign-on"  # who the audit log names for users created or changed at sign-in
_MAX_NAME = 64


def claim(claims: Mapping[str, Any], path: str) -> Any:
    """The claim at `path`; a dotted path reaches into objects ("realm_access.roles")."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return claims.get(path)  # a claim whose own name holds a dot
        value = value[part]
    return value


def mapped_role(settings: SingleSignOn, claims: Mapping[str, Any]) -> tuple[str, str | None]:
    """(role, unit) that the role claim's values map to, the strongest when several do;
    PermissionDenied, naming the values seen, when none does."""
    raw = claim(claims, settings.role_claim)
    if isinstance(raw, str):
        values = [raw]
    elif isinstance(raw, list | tuple):
        values = [str(item) for item in raw if isinstance(item, str | int)]
    else:
        values = []
    found = [(role, unit) for value, role, unit in settings.roles if value in values]
    if not found:
        seen = ", ".join(repr(v) for v in values[:10]) if values else "none"
        raise PermissionDenied(
            f"your {settings.name} account has no role that Hoshin knows "
            f"(claim {settings.role_claim!r}: {seen}); ask an administrator to map one of them "
            "to a Hoshin role (HOSHIN_OIDC_ROLES)"
        )
    return min(found, key=lambda pair: ROLES.index(pair[0]))


def _username(settings: SingleSignOn, claims: Mapping[str, Any]) -> str:
    name = claim(claims, settings.username_claim)
    if not isinstance(name, str) or not name.strip():
        raise InputError(
            f"the {settings.name} sign-in carries no {settings.username_claim!r} claim to name the "
            "user by; set HOSHIN_OIDC_USERNAME_CLAIM to a claim it sends (for example email)"
        )
    name = name.strip()
    if len(name) > _MAX_NAME or ";" in name:
        raise InputError(
            f"the user name {name[:80]!r} from {settings.name} does not fit Hoshin "
            f"(at most {_MAX_NAME} characters, no ';')"
        )
    return name


def sign_in_with_claims(
    store: Any, settings: SingleSignOn, claims: Mapping[str, Any]
) -> tuple[Principal, str]:
    """The user the verified ID token `claims` name, created or brought to the mapped role, and
    their session fingerprint. PermissionDenied for an unmapped role or a deactivated user."""
    from hoshin.service.records import Batch, validate_batches

    role, unit = mapped_role(settings, claims)
    username = _username(settings, claims)
    org = settings.organisation or store.default_organisation()
    with store.transaction():
        row = store.find_user(username, org)
        if row is not None and not row.get("active"):
            raise PermissionDenied(f"the Hoshin user {username!r} is deactivated; ask an administrator")
        wanted = {"username": username, "role": role, "unit_id": unit}
        if row is None or (row["role"], row.get("unit_id")) != (role, unit):
            record = {**wanted, "active": True} if row is None else wanted
            batch = Batch(kind="users", source=f"{settings.name} sign-in", rows=[(1, record)])
            validate_batches(store, org, [batch])  # an unknown unit in the mapping is named here
            store.upsert("users", org, batch.records)
            action = "user.create" if row is None else "user.update"
            before = None if row is None else {"role": row["role"], "unit_id": row.get("unit_id")}
            detail = wanted if before is None else {"changed": wanted, "before": before}
            record_event(store, org, ACTOR, action, "users", username, detail)
        row = store.find_user(username, org)
    return signed_in(store, row)
