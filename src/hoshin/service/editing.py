"""Changes to records as the REST API and the web forms make them: check, validate, write, audit.

Every function here runs the permission check for the particular record, the store's own
validation (types, references, cycles: the same rules as a file import), the write and its audit
event in one transaction, so a refused or failed change leaves the database exactly as it was.
Callers pass plain dicts (already shaped by the request schemas) and get the stored record back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hoshin.errors import ConflictError, InputError
from hoshin.service.audit import record_event
from hoshin.service.auth import Principal, require
from hoshin.service.visibility import sight_of

if TYPE_CHECKING:
    from hoshin.store.repository import Repository

__all__ = ["SINGULAR", "change_idea_status", "create", "delete", "policy_kind", "submit_idea", "update"]

# Store kind (plural, as in files and tables) -> the policy's singular kind.
SINGULAR = {
    "units": "unit",
    "people": "person",
    "knowledge_areas": "knowledge_area",
    "skills": "skill",
    "goals": "goal",
    "ideas": "idea",
    "documents": "document",
    "communications": "communication",
    "users": "user",
}
_KEY = {"users": "username"}


def policy_kind(kind: str) -> str:
    try:
        return SINGULAR[kind]
    except KeyError:
        raise InputError(f"unknown kind {kind!r}; use one of: {', '.join(SINGULAR)}") from None


def _validated(store: Repository, org: str, kind: str, record: dict[str, Any], source: str) -> dict[str, Any]:
    from hoshin.service.records import Batch, validate_batches

    batch = Batch(kind=kind, source=source, rows=[(1, record)])
    validate_batches(store, org, [batch])
    validated = dict(batch.records[0])
    if kind == "users":
        from hoshin.store.passwords import hash_password

        password = validated.pop("password", None)
        validated.pop("password_hash", None)  # never accept a ready-made hash from a request
        if password:
            validated["password_hash"] = hash_password(password)
    return validated


def _scope(record: dict[str, Any]) -> dict[str, Any]:
    return {"unit_id": record.get("unit_id")}


def _refuse_hidden_references(store: Repository, user: Principal, kind: str, record: dict[str, Any]) -> None:
    """A goal's parents and owner must be records the user may see (a parent also when it is an
    objective above their goals); another unit's id is refused with the very words an unknown id
    gets from validation, so a form cannot be used to probe which ids exist."""
    sight = sight_of(user)
    if sight.everything or kind != "goals":
        return
    org = user.organisation_id
    parents = record.get("parent_ids") or []
    if parents:
        tree = store.goal_parent_ids(org)
        goals = {
            g: {"unit_id": unit, "parent_ids": tree.get(g, [])}
            for g, unit in store.columns("goals", org, ("id", "unit_id"))
        }
        shown = sight.in_context(goals)
        hidden = [p for p in parents if p in goals and p not in shown]
        if hidden:
            _unknown("parent_ids", "goals", hidden[0])
    owner = record.get("owner_id")
    if owner:
        people = dict(store.columns("people", org, ("id", "unit_id")))
        if owner in people and not sight.sees_unit(people[owner]):
            _unknown("owner_id", "people", owner)


def _unknown(field: str, kind: str, key: str) -> None:
    from hoshin.errors import RowError

    raise RowError(
        "request",
        1,
        field,
        f"refers to unknown {kind} id {key!r}",
        f"import the {kind} first or correct the id",
    )


def create(
    store: Repository,
    user: Principal,
    kind: str,
    values: dict[str, Any],
    also: Callable[[dict[str, Any]], object] | None = None,
) -> dict[str, Any]:
    """Store a new record; ConflictError if its id is taken, PermissionDenied outside the user's scope.

    `also(record)` runs inside the write's transaction once the record (as validated) is written,
    for writes that belong with it: they commit with it or not at all."""
    action = f"{policy_kind(kind)}.create"
    require(user, action, _scope(values))
    key_name = _KEY.get(kind, "id")
    key = values[key_name]
    with store.transaction():
        if store.existing_keys(kind, user.organisation_id, [key]):
            raise ConflictError(f"a {policy_kind(kind).replace('_', ' ')} with id {key!r} already exists")
        _refuse_hidden_references(store, user, kind, values)
        record = _validated(store, user.organisation_id, kind, values, "request")
        # The key was just found free, and the signed-in user's organisation exists.
        store.upsert(kind, user.organisation_id, [record], all_new=True)
        record_event(store, user.organisation_id, user.username, action, kind, key, _safe(values))
        if also is not None:
            also(record)
        # Read back on the writing connection: a second connection and transaction after the
        # commit cost every submission more than this one read inside it.
        return store.get(kind, user.organisation_id, key)


def submit_idea(
    store: Repository, user: Principal, values: dict[str, Any], aligner: Any, mission: dict[str, Any] | None
) -> dict[str, Any]:
    """Store a new idea with its verdict against `mission` (the current version, None if there is
    none yet). When the kept corridor state can judge the idea beforehand, the verdict is written
    in the idea's own transaction; otherwise (and when validation changed the text judged) the
    idea is stored first and scored after, and a failed scoring leaves it stored without a verdict
    (`hoshin corridor rescore` fills the gap). Without `submitted_at` it is today (UTC)."""
    import datetime as dt

    from hoshin.service.corridor import judge_arrivals, score_new_ideas

    org = user.organisation_id
    # An idea is submitted now unless the caller says when (an import of older ideas): without a
    # date it would never count in the ideas-by-month charts.
    if not values.get("submitted_at"):
        values = {**values, "submitted_at": dt.datetime.now(dt.UTC).date().isoformat()}
    early = judge_arrivals(store, org, aligner, [values], mission) if mission is not None else None
    also = None if early is None else (lambda record: early.save(store, [record]))
    record = create(store, user, "ideas", values, also=also)
    if mission is not None and not (early is not None and early.saved):
        # A submission never waits for a full pass that only refreshes a still-valid state.
        rows = {record["id"]: record}
        score_new_ideas(
            store, org, [record["id"]], aligner, refresh_in_background=True, mission=mission, rows=rows
        )
    return record


def update(
    store: Repository, user: Principal, kind: str, key: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Change the given fields of a stored record; the user must be allowed both its old and new unit.
    A record the user may not read is answered as a missing one (service/visibility.py)."""
    action = f"{policy_kind(kind)}.update"
    org = user.organisation_id
    with store.transaction():
        current = sight_of(user).get(store, org, kind, key)
        scope = _scope(current)
        if "unit_id" in changes:
            scope["new_unit_id"] = changes["unit_id"]
        require(user, action, scope)
        merged = {**current, **changes}
        merged.pop("password_hash", None)
        _refuse_hidden_references(store, user, kind, changes)
        record = _validated(store, org, kind, merged, "request")
        store.upsert(kind, org, [record])
        before = {name: current.get(name) for name in changes if name != "password"}
        record_event(
            store, org, user.username, action, kind, key, {"changed": _safe(changes), "before": before}
        )
    return store.get(kind, org, key)


def delete(store: Repository, user: Principal, kind: str, key: str) -> None:
    """Remove a record; ConflictError if other records still point at it."""
    action = f"{policy_kind(kind)}.delete"
    org = user.organisation_id
    with store.transaction():
        current = sight_of(user).get(store, org, kind, key)
        require(user, action, _scope(current))
        store.delete(kind, org, key)
        record_event(store, org, user.username, action, kind, key, {"deleted": _safe(current)})


def change_idea_status(
    store: Repository,
    user: Principal,
    idea_id: str,
    status: str,
    override_tier: str | None = None,
    override_reason: str | None = None,
) -> dict[str, Any]:
    """Move an idea through the funnel; the reviewer is recorded as the signed-in user."""
    org = user.organisation_id
    with store.transaction():
        current = store.get("ideas", org, idea_id)
        require(user, "idea.status", _scope(current))
        if override_tier and not (override_reason or "").strip():
            raise InputError("an override of the tier needs a reason; say why the reviewer disagrees")
        changes: dict[str, str | None] = {"status": status, "reviewer": user.username}
        if override_tier is not None:
            changes.update(override_tier=override_tier, override_reason=override_reason)
        record = _validated(store, org, "ideas", {**current, **changes}, "request")
        store.upsert("ideas", org, [record])
        record_event(
            store,
            org,
            user.username,
            "idea.status",
            "ideas",
            idea_id,
            {"from": current.get("status"), **changes},
        )
    return store.get("ideas", org, idea_id)


def add_checkin(
    store: Repository, user: Principal, goal_id: str, date: str, value: float, note: str | None
) -> dict[str, Any]:
    """Record progress on a goal (contributors may, for any goal); returns the stored check-in.
    A unit manager's check-in on another unit's goal is answered as one on a missing goal."""
    import math

    from hoshin.service.records import NUL_PROBLEM, holds_nul

    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"value: {value!r} is not a finite number; write a number such as 2.5")
    if holds_nul(note):
        raise InputError(f"note: {NUL_PROBLEM}")
    org = user.organisation_id
    with store.transaction():
        goal = sight_of(user).get(store, org, "goals", goal_id)
        require(user, "checkin.create", _scope(goal))
        checkin_id = store.add_checkin(org, goal_id, date, value, note)
        record_event(
            store,
            org,
            user.username,
            "checkin.create",
            "goals",
            goal_id,
            {"date": date, "value": value, "note": note},
        )
    return next(c for c in store.checkins(org, goal_id) if c["id"] == checkin_id)


def _safe(values: dict[str, Any]) -> dict[str, Any]:
    """Values fit for the audit log: never a password or its hash."""
    return {k: ("***" if k in ("password", "password_hash") else v) for k, v in values.items()}
