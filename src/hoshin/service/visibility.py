"""Who may read which goals, people and units: the one rule every read of them goes through.

A unit manager reads the goals, people and units of their own unit and the units below it (the
policy's `managed_units`); every other role reads every record. A record outside a user's sight is
answered exactly as a record that does not exist (the store's own NotFoundError), so neither a
status nor a message tells which records of other units exist.

Views that show a goal in its place in the cascade (the goal tree, line of sight, the strategy map,
parent suggestions) also show the goals above a visible goal, the objectives it serves: they are
the context the view is for. Nothing else of another unit is shown, and such a goal still cannot be
opened, changed or checked in on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hoshin.service.auth import Principal

if TYPE_CHECKING:
    from hoshin.store.repository import Repository

__all__ = ["EVERYTHING", "SCOPED_KINDS", "Sight", "sight_of"]

# Record kinds whose reads depend on the reader's unit (store kind names).
SCOPED_KINDS = frozenset({"goals", "people", "units"})


@dataclass(frozen=True)
class Sight:
    """The units whose goals, people and units one user may read; None: every unit."""

    units: frozenset[str] | None = None

    @property
    def everything(self) -> bool:
        return self.units is None

    def sees(self, kind: str, record: Mapping[str, Any]) -> bool:
        """True when the reader may read `record` of `kind` (store kind name)."""
        if self.units is None or kind not in SCOPED_KINDS:
            return True
        unit = record.get("id") if kind == "units" else record.get("unit_id")
        return unit is not None and unit in self.units

    def only(self, kind: str, records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """The records of `kind` the reader may read, in their order."""
        if self.units is None or kind not in SCOPED_KINDS:
            return list(records)
        return [r for r in records if self.sees(kind, r)]

    def sees_unit(self, unit_id: str | None) -> bool:
        return self.units is None or (unit_id is not None and unit_id in self.units)

    def get(self, repo: Repository, org_id: str, kind: str, key: str) -> dict[str, Any]:
        """One record the reader may read; NotFoundError, word for word the store's answer for a
        missing record, when it does not exist or lies outside their sight."""
        from hoshin.store.repository import missing_record

        record = repo.get(kind, org_id, key)
        if not self.sees(kind, record):
            raise missing_record(kind, org_id, key)
        return record

    def require(self, org_id: str, kind: str, key: str, record: Mapping[str, Any]) -> None:
        """The same answer as `get` for a record the caller has already read."""
        from hoshin.store.repository import missing_record

        if not self.sees(kind, record):
            raise missing_record(kind, org_id, key)

    def in_context(self, goals: Mapping[str, Mapping[str, Any]]) -> set[str]:
        """The ids of `goals` (id -> goal with `parent_ids`) a cascade view may show: the visible
        goals and every goal above one of them."""
        if self.units is None:
            return set(goals)
        shown = {g for g, goal in goals.items() if self.sees("goals", goal)}
        todo = list(shown)
        while todo:
            for parent in goals.get(todo.pop(), {}).get("parent_ids") or []:
                if parent in goals and parent not in shown:
                    shown.add(parent)
                    todo.append(parent)
        return shown

    def dashboard(self, repo: Repository, org_id: str, data: dict[str, Any]) -> dict[str, Any]:
        """The dashboard's numbers (service/dashboard.py, shared by every viewer) as this reader
        may see them: an issue about a goal only when the goal is theirs. Counts and scores per
        unit and theme stay: they name no goal."""
        if self.units is None:
            return data
        units = dict(repo.columns("goals", org_id, ("id", "unit_id")))
        issues = [
            i
            for i in data.get("issues") or []
            if i.get("record_kind") != "goal" or self.sees_unit(units.get(i.get("record_id")))
        ]
        return {**data, "issues": issues}


EVERYTHING = Sight()


def sight_of(user: Principal) -> Sight:
    """The sight of a signed-in user: a unit manager's units, everything for other roles."""
    if user.role == "unit_manager":
        return Sight(frozenset(user.managed_units))
    return EVERYTHING
