"""The unit tree, the goal tree (goals may have several parents) and goals' check-ins."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select

from hoshin.errors import NotFoundError
from hoshin.store import schema
from hoshin.store.base import chunks
from hoshin.store.engine import inserted_id
from hoshin.store.kinds import NO_KIND
from hoshin.store.records import Records
from hoshin.store.trees import descendants, unit_parents

__all__ = ["GoalTrees"]


class GoalTrees(Records):
    """Walks of the unit and goal trees, goals by id, owner or unit, and check-ins."""

    def unit_subtree(self, org_id: str, unit_id: str) -> list[str]:
        """`unit_id` and every unit below it, top first; NotFoundError for an unknown unit."""
        self.get("units", org_id, unit_id)
        with self._reading() as conn:
            return descendants(unit_id, unit_parents(conn, org_id))

    def unit_path(self, org_id: str, unit_id: str) -> list[str]:
        """The chain from the root down to `unit_id`."""
        with self._reading() as conn:
            parents = unit_parents(conn, org_id)
        if unit_id not in parents:
            raise NotFoundError(f"no unit {unit_id!r} in {org_id!r}")
        path = [unit_id]
        while (
            parent := parents[path[-1]][0] if parents[path[-1]] else None
        ) is not None and parent not in path:
            path.append(parent)
        return list(reversed(path))

    def goal_parents(self, org_id: str, goal_id: str) -> list[str]:
        return self.get("goals", org_id, goal_id)["parent_ids"]

    def goal_children(self, org_id: str, goal_id: str) -> list[str]:
        """Ids of the goals that name `goal_id` as a parent, sorted."""
        link = schema.goal_parents
        with self._reading() as conn:
            return list(
                conn.execute(
                    select(link.c.goal_id)
                    .where(link.c.organisation_id == org_id, link.c.parent_id == goal_id)
                    .order_by(link.c.goal_id)
                ).scalars()
            )

    def set_goal_parents(self, org_id: str, goal_id: str, parent_ids: Iterable[str]) -> None:
        """Replace a goal's parents; ConflictError naming the cycle if that would make one."""
        self.get("goals", org_id, goal_id)
        self.upsert("goals", org_id, [{"id": goal_id, "parent_ids": list(parent_ids)}])

    def goals_by_ids(self, org_id: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """goal id -> {id, text, level, unit_id, owner_id, parent_ids} for those of `ids` that
        exist (unknown ids are left out, not an error), sorted by id."""
        wanted = sorted(set(ids))
        goals = schema.goals
        with self._reading() as conn:
            found: dict[str, dict[str, Any]] = {}
            for chunk in chunks(wanted):
                found.update(_brief_goals(conn, org_id, goals.c.id.in_(chunk)))
        return dict(sorted(found.items()))

    def goals_of(
        self, org_id: str, owner: str | None = None, units: Iterable[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        """Goals owned by the person `owner` and/or placed in one of `units`, in the shape of
        `goals_by_ids`. With neither, every goal of the organisation; with both, goals matching both."""
        goals = schema.goals
        condition = [] if owner is None else [goals.c.owner_id == owner]
        with self._reading() as conn:
            if units is None:
                return _brief_goals(conn, org_id, *condition)
            found: dict[str, dict[str, Any]] = {}
            for chunk in chunks(sorted(set(units))):
                found.update(_brief_goals(conn, org_id, goals.c.unit_id.in_(chunk), *condition))
        return dict(sorted(found.items()))

    def goal_parent_ids(self, org_id: str) -> dict[str, list[str]]:
        """goal id -> its parent ids (sorted, as `rows` lists them) for every goal that has a parent:
        with `columns`, the whole goal tree of 10,000 goals in tens of milliseconds."""
        link = schema.goal_parents
        query = (
            select(link.c.goal_id, link.c.parent_id)
            .where(link.c.organisation_id == org_id)
            .order_by(link.c.goal_id, link.c.parent_id)
        )
        found: dict[str, list[str]] = {}
        with self._reading() as conn:
            for goal_id, parent_id in conn.execute(query):
                found.setdefault(goal_id, []).append(parent_id)
        return found

    def add_checkin(self, org_id: str, goal_id: str, date: str, value: float, note: str | None = None) -> int:
        """Record progress on a goal; returns the check-in's id. NotFoundError for an unknown goal."""
        self.get("goals", org_id, goal_id)
        with self.transaction() as conn:
            result = conn.execute(
                insert(schema.checkins).values(
                    organisation_id=org_id, goal_id=goal_id, date=date, value=value, note=note
                )
            )
            return inserted_id(result)

    def checkins(self, org_id: str, goal_id: str | None = None) -> list[dict[str, Any]]:
        """Check-ins, by goal then date (all goals when goal_id is None)."""
        t = schema.checkins
        query = select(t).where(t.c.organisation_id == org_id)
        if goal_id is not None:
            query = query.where(t.c.goal_id == goal_id)
        with self._reading() as conn:
            result = conn.execute(query.order_by(t.c.goal_id, t.c.date, t.c.id))
            return [self._record(NO_KIND, r._mapping, False) for r in result]


_GOAL_BRIEF = ("id", "text", "level", "unit_id", "owner_id")


def _brief_goals(conn: Connection, org_id: str, *where: Any) -> dict[str, dict[str, Any]]:
    """The goals matching `where`, sorted by id, as dicts of _GOAL_BRIEF with their parent_ids."""
    goals, links = schema.goals, schema.goal_parents
    query = (
        select(*(goals.c[c] for c in _GOAL_BRIEF))
        .where(goals.c.organisation_id == org_id, *where)
        .order_by(goals.c.id)
    )
    found = {row[0]: dict(zip(_GOAL_BRIEF, row, strict=True)) for row in conn.execute(query)}
    for goal in found.values():
        goal["parent_ids"] = []
    for chunk in chunks(list(found)):
        for goal_id, parent_id in conn.execute(
            select(links.c.goal_id, links.c.parent_id)
            .where(links.c.organisation_id == org_id, links.c.goal_id.in_(chunk))
            .order_by(links.c.parent_id)
        ):
            found[goal_id]["parent_ids"].append(parent_id)
    return found
