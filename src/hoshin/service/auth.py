"""Who may do what: roles, the pure permission policy, login and API tokens.

The policy (`can`, `require`) is pure: it looks only at the `Principal` (the signed-in user, with the
set of units they manage already worked out) and at the record in question, so the REST API, the
web pages and the CLI ask exactly the same question and get the same answer.

Roles, from least to most power:

- ``viewer``        reads everything except users and the audit log.
- ``contributor``   also submits ideas and records goal check-ins.
- ``unit_manager``  also edits goals, ideas and people of their own unit and its sub-units.
- ``strategist``    also edits the mission (and its corridor), every goal and idea, knowledge areas,
                    documents and communications; reads the audit log.
- ``admin``         everything, users included.

Actions are spelled ``"<kind>.<verb>"``, for example ``"goal.update"`` or ``"idea.status"``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from hoshin.errors import AuthenticationError, InputError, PermissionDenied

__all__ = [
    "KINDS",
    "login",
    "load_principal",
    "session_fingerprint",
    "signed_in",
    "sign_out",
    "principal_from_token",
    "subtree",
    "token_for",
    "ROLES",
    "VERBS",
    "Principal",
    "can",
    "issue_token",
    "read_token",
    "require",
]

ROLES = ("admin", "strategist", "unit_manager", "contributor", "viewer")
# Roles whose unit scopes what they may do: only these need the unit tree when they sign in.
MANAGING_ROLES = frozenset({"unit_manager"})
KINDS = (
    "organisation",
    "mission",
    "unit",
    "goal",
    "checkin",
    "idea",
    "person",
    "skill",
    "knowledge_area",
    "document",
    "communication",
    "user",
    "audit",
)
VERBS = ("read", "create", "update", "delete", "status", "import", "export")

# Kinds a unit manager may change, but only inside the units they manage.
_UNIT_SCOPED = frozenset({"goal", "idea", "person", "checkin"})
# Kinds a strategist may change anywhere.
_STRATEGIST_KINDS = frozenset(
    {"mission", "goal", "checkin", "idea", "knowledge_area", "document", "communication"}
)
# Kinds only admins (and, for audit, strategists) may even read.
_RESTRICTED_READ = {"user": frozenset({"admin"}), "audit": frozenset({"admin", "strategist"})}


@dataclass(frozen=True)
class Principal:
    """The signed-in user as the policy sees them.

    `managed_units` holds a unit manager's own unit and every unit below it (empty for every
    other role, whose unit scopes nothing); the caller computes it from the unit tree so that
    `can` stays pure.
    """

    username: str
    role: str
    organisation_id: str
    unit_id: str | None = None
    person_id: str | None = None
    managed_units: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise InputError(f"unknown role {self.role!r}; use one of: {', '.join(ROLES)}")


def _split(action: str) -> tuple[str, str]:
    kind, _, verb = action.partition(".")
    if kind not in KINDS or verb not in VERBS:
        # A typo in an action name must fail loudly in development, never silently deny or allow.
        raise ValueError(f"unknown action {action!r}")
    return kind, verb


def _units_of(record: Mapping[str, Any] | None) -> list[str | None]:
    """The unit(s) a record belongs to; an update passes old and new unit as `unit_id` / `new_unit_id`."""
    if record is None:
        return []
    units = [record.get("unit_id")]
    if "new_unit_id" in record:
        units.append(record.get("new_unit_id"))
    return units


def can(user: Principal, action: str, record: Mapping[str, Any] | None = None) -> bool:
    """True when `user` may perform `action` on `record`.

    With `record=None` the question is "may this user do this to *some* record of that kind?" —
    routes ask it before loading anything, then ask again with the record once it is loaded.
    """
    kind, verb = _split(action)
    role = user.role
    if role == "admin":
        return True
    if verb in ("read", "export"):
        allowed = _RESTRICTED_READ.get(kind)
        return allowed is None or role in allowed
    if role == "viewer":
        return False
    if role == "strategist":
        return kind in _STRATEGIST_KINDS
    # Contributors and unit managers may both submit ideas and record check-ins.
    if (kind, verb) in (("idea", "create"), ("checkin", "create")):
        return True
    if role == "unit_manager" and kind in _UNIT_SCOPED and verb != "import":
        if record is None:
            return True
        units = _units_of(record)
        return bool(units) and all(unit is not None and unit in user.managed_units for unit in units)
    return False


def require(user: Principal, action: str, record: Mapping[str, Any] | None = None) -> None:
    """Raise PermissionDenied (naming the action and the user's role) unless `can` allows it."""
    if not can(user, action, record):
        where = ""
        if record is not None and record.get("unit_id") and user.role == "unit_manager":
            where = f" in unit {record.get('unit_id')} (you manage {user.unit_id or 'no unit'})"
        raise PermissionDenied(f"{_role_words(user.role)} may not {_action_words(action)}{where}")


# How roles and actions read in a sentence shown to a user: "a strategist may not see users".
_VERB_WORDS = {
    "read": "see",
    "create": "add",
    "update": "change",
    "delete": "delete",
    "status": "review",
    "import": "import",
    "export": "export",
}
_KIND_WORDS = {
    "organisation": "the organisation's records",
    "mission": "the mission",
    "unit": "units",
    "goal": "goals",
    "checkin": "goal check-ins",
    "idea": "ideas",
    "person": "people",
    "skill": "skills",
    "knowledge_area": "knowledge areas",
    "document": "documents",
    "communication": "communications",
    "user": "users",
    "audit": "the audit log",
}


def _role_words(role: str) -> str:
    return f"{'an' if role == 'admin' else 'a'} {role.replace('_', ' ')}"  # "a unit manager"


def _action_words(action: str) -> str:
    kind, verb = _split(action)
    return f"{_VERB_WORDS[verb]} {_KIND_WORDS[kind]}"


def subtree(unit_id: str | None, parent_of: Iterable[tuple[str, str | None]]) -> frozenset[str]:
    """`unit_id` and every unit below it, from (unit id, parent id) pairs. Empty when unit_id is None."""
    if unit_id is None:
        return frozenset()
    children: dict[str | None, list[str]] = {}
    for child, parent in parent_of:
        children.setdefault(parent, []).append(child)
    found = {unit_id}
    todo = [unit_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:  # guards against a cycle that slipped into the data
                found.add(child)
                todo.append(child)
    return frozenset(found)


# ---- API tokens ---------------------------------------------------------------------------------
# Tokens are signed, not stored: `username` plus a fingerprint of the user's password hash, so
# changing a password (or deactivating the user) revokes every token issued before.

_TOKEN_SALT = "hoshin.api-token"


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the stored password hash; it changes whenever the password does."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def issue_token(secret_key: str, username: str, password_hash: str) -> str:
    """A bearer token for `username`, valid until its password changes or the token expires."""
    from itsdangerous import URLSafeTimedSerializer

    serializer = URLSafeTimedSerializer(secret_key, salt=_TOKEN_SALT)
    return serializer.dumps({"u": username, "p": password_fingerprint(password_hash)})


def read_token(secret_key: str, token: str, max_age_s: int) -> tuple[str, str]:
    """(username, password fingerprint) from a token; AuthenticationError if forged or expired."""
    from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

    serializer = URLSafeTimedSerializer(secret_key, salt=_TOKEN_SALT)
    try:
        data = serializer.loads(token, max_age=max_age_s)
    except SignatureExpired:
        raise AuthenticationError("the API token has expired; create a new one") from None
    except BadSignature:
        raise AuthenticationError("the API token is not valid") from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), str) or not isinstance(data.get("p"), str):
        raise AuthenticationError("the API token is not valid")
    return data["u"], data["p"]


# ---- Signing in ---------------------------------------------------------------------------------

_LOGIN_FAILED = "unknown user name or wrong password"


def _principal(
    store: Any, row: Mapping[str, Any], parents: Mapping[str, list[str]] | None = None
) -> Principal:
    """`parents`: the organisation's units as {unit: [parent]} when already read."""
    from hoshin.store.trees import descendants

    org, unit = row["organisation_id"], row.get("unit_id")
    if row["role"] not in MANAGING_ROLES:
        managed: frozenset[str] = frozenset()
    elif unit and parents is not None and unit in parents:
        managed = frozenset(descendants(unit, parents))
    else:  # also an unknown unit: unit_subtree raises NotFoundError for it
        managed = frozenset(store.unit_subtree(org, unit)) if unit else frozenset()
    return Principal(
        username=row["username"],
        role=row["role"],
        organisation_id=org,
        unit_id=unit,
        person_id=row.get("person_id"),
        managed_units=managed,
    )


def login(
    store: Any, username: str, password: str, organisation_id: str | None = None
) -> tuple[Principal, str]:
    """(the user, their password fingerprint) when the credentials match an active user.

    User names are unique only within an organisation, and the login form names none: every
    active user of that name is a candidate and the password picks the one signing in (only those
    of `organisation_id` when it is given). So another organisation that creates a user with a
    taken name cannot lock anyone out. AuthenticationError otherwise, with the same message
    whether the name or the password was wrong, so the form does not reveal which names exist.
    """
    from hoshin.store.passwords import verify_password

    candidates = store.sign_in_candidates(username, organisation_id) if username else []
    if not candidates:
        # An unknown name costs one hash too, so the answer's time does not tell names apart.
        verify_password(password, _unknown_user_hash())
    matches = [row for row in candidates if verify_password(password, row["password_hash"])]
    if len(matches) > 1:
        # Only someone who knows the password of each of them gets here.
        raise AuthenticationError(
            "this user name and password fit users of several organisations; name the organisation"
        )
    if not matches:
        raise AuthenticationError(_LOGIN_FAILED)
    return signed_in(store, matches[0])


@cache
def _unknown_user_hash() -> str:
    """A hash no password matches, made once, for sign-ins under names nobody has."""
    import secrets

    from hoshin.store.passwords import hash_password

    return hash_password(secrets.token_urlsafe(32))


def session_fingerprint(row: Mapping[str, Any]) -> str:
    """What a session cookie carries to prove it is current: a digest of the user's password hash
    and session epoch, so a new password or a sign-out (which raises the epoch) ends it. The cookie
    is signed, not stored: without the epoch a copy of it kept working after logout."""
    mark = f"{row.get('password_hash') or ''}\x00{row.get('session_epoch') or 0}"
    return hashlib.sha256(mark.encode()).hexdigest()[:16]


def signed_in(store: Any, row: Mapping[str, Any]) -> tuple[Principal, str]:
    """The user of a stored `row` who has just proved who they are (a password, or an ID token from
    the single sign-on provider), and the fingerprint their session cookie carries."""
    return _principal(store, row), session_fingerprint(row)


def sign_out(store: Any, user: Principal) -> None:
    """End every session of `user` (in every browser): their cookies no longer sign anyone in.
    API tokens are not sessions; they end with a new password or a deactivated user."""
    store.end_sessions(user.organisation_id, user.username)


def load_principal(
    store: Any, organisation_id: str, username: str, fingerprint: str, session: bool = False
) -> Principal:
    """The user a token (or, with `session`, a session cookie) names, provided they are still
    active, kept their password and, for a session, have not signed out since it was issued."""
    import hmac

    row, parents = (
        store.user_with_units(username, organisation_id, tree_for=MANAGING_ROLES)
        if username and organisation_id
        else (None, {})
    )
    # A session may belong to a user without a password (one who signs in through single sign-on);
    # a token never does: tokens are issued for a password and end with it.
    if row is not None and row.get("active") and (session or row.get("password_hash")):
        expected = session_fingerprint(row) if session else password_fingerprint(row["password_hash"])
        if hmac.compare_digest(expected, str(fingerprint)):
            return _principal(store, row, parents)
    raise AuthenticationError("your session has ended; sign in again")


def token_for(store: Any, secret_key: str, user: Principal) -> str:
    """A new bearer token for `user`, revoked when their password changes."""
    row = store.find_user(user.username, user.organisation_id)
    if row is None or not row.get("password_hash"):
        raise AuthenticationError("this user cannot sign in, so no token can be issued")
    return issue_token(secret_key, f"{user.organisation_id}/{user.username}", row["password_hash"])


def principal_from_token(store: Any, secret_key: str, token: str, max_age_s: int) -> Principal:
    """The user a bearer token stands for; AuthenticationError if forged, expired or revoked."""
    subject, fingerprint = read_token(secret_key, token, max_age_s)
    organisation_id, _, username = subject.partition("/")
    try:
        return load_principal(store, organisation_id, username, fingerprint)
    except AuthenticationError:
        raise AuthenticationError(
            "the API token has been revoked (password changed or user deactivated)"
        ) from None
